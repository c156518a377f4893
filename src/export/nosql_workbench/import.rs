//! Reading a NoSQL Workbench model: tables, GSIs and billing as they are;
//! facets become entities (templates from the key aliases and the items);
//! items without a facet are grouped into entities by their sort-key literal.
//! A `dynamodel` field restores what the format cannot carry.

use serde_json::Value;

use super::super::infer::{self, Hints};
use super::super::json_read::{ShapeError, Walk};
use super::super::{Imported, NoteKind, Report, read_item, schema};
use super::{EXTENSION_FIELD, VERSION, attr_type, workbench_document};
use crate::analysis::sample_items::{self, SampleCounts};
use crate::model::{
    AttrType, Billing, Gsi, Item, KeyAttribute, Model, Profile, Table, unique_name,
};

type Result<T> = std::result::Result<T, ShapeError>;

/// Table fields read here; any other is reported as dropped.
const TABLE_FIELDS: &[&str] = &[
    "TableName",
    "KeyAttributes",
    "NonKeyAttributes",
    "TableFacets",
    "GlobalSecondaryIndexes",
    "TableData",
    "DataAccess",
    "BillingMode",
    "ProvisionedCapacitySettings",
];

pub fn import(value: &Value, file_stem: &str) -> Result<Imported> {
    let root = Walk::root(value);
    root.object()?;
    let mut report = Report::default();
    let extension = read_extension(&root, &mut report)?;

    if let Some((embedded, counts)) = &extension {
        let mut stripped = root.object()?.clone();
        stripped.remove(EXTENSION_FIELD);
        let expected = workbench_document(embedded, counts, &mut Report::default());
        if expected == stripped {
            report.push(
                NoteKind::Kept,
                EXTENSION_FIELD,
                "the NoSQL Workbench part is as dynamodel exported it: the whole model is read from this field",
            );
            return Ok(Imported {
                model: embedded.clone(),
                report,
            });
        }
    }

    let name = match root.opt("ModelName")? {
        Some(n) => n.name()?.to_string(),
        None => {
            report.push(
                NoteKind::Inferred,
                "ModelName",
                format!("missing: the model is named `{file_stem}`"),
            );
            file_stem.to_string()
        }
    };
    let mut model = Model::new(name);
    model.profile = Profile::SingleTable;
    report.push(
        NoteKind::Inferred,
        ".",
        "checked as a single-table design (NoSQL Workbench models usually are); switch the profile for the workshop's conventions",
    );
    match root.opt("ModelMetadata")? {
        Some(meta) => {
            if let Some(version) = meta.opt("Version")? {
                let v = version.str()?;
                if !matches!(v, "3.0" | "2.0") {
                    report.push(
                        NoteKind::Inferred,
                        version.path(),
                        format!("version {v} is unknown here; read as {VERSION}"),
                    );
                }
            }
            if let Some(d) = meta.opt("Description")? {
                model.description = d.str()?.trim().to_string();
            }
            if let Some(author) = meta.opt("Author")?
                && !author.str()?.trim().is_empty()
            {
                report.push(
                    NoteKind::Dropped,
                    author.path(),
                    "the model has no author field",
                );
            }
        }
        None => report.push(
            NoteKind::Inferred,
            "ModelMetadata",
            format!("missing: read as version {VERSION}"),
        ),
    }

    for t in root.field("DataModel")?.items()? {
        read_table(&t, &mut model, &mut report)?;
    }
    if model.entities.iter().any(|e| !e.example_items.is_empty()) {
        report.push(
            NoteKind::Inferred,
            "DataModel",
            "the items are kept as each entity's example items; item counts are unknown (1,000 per entity assumed)",
        );
    }
    if let Some((embedded, counts)) = extension {
        overlay(&mut model, &embedded, &counts, &mut report);
    }
    Ok(Imported { model, report })
}

/// The `dynamodel` field: the model and the sample counts it was exported with.
fn read_extension(root: &Walk, report: &mut Report) -> Result<Option<(Model, SampleCounts)>> {
    let Some(field) = root.opt(EXTENSION_FIELD)? else {
        return Ok(None);
    };
    let model = match field.opt("model")? {
        Some(m) => {
            match serde_json::from_value::<Model>(m.value.clone()) {
                Ok(model) => model,
                Err(e) => {
                    report.push(
                    NoteKind::Dropped,
                    m.path(),
                    format!("not a dynamodel model ({e}); imported from the NoSQL Workbench part only"),
                );
                    return Ok(None);
                }
            }
        }
        None => return Ok(None),
    };
    let mut counts = SampleCounts::default();
    if let Some(samples) = field.opt("sample_items")? {
        if let Some(d) = samples.opt("default")? {
            counts.default = d.u64()? as usize;
        }
        if let Some(per) = samples.opt("per_entity")? {
            for (entity, n) in per.entries()? {
                counts
                    .per_entity
                    .insert(entity.to_string(), n.u64()? as usize);
            }
        }
    }
    Ok(Some((model, counts)))
}

fn read_table(t: &Walk, model: &mut Model, report: &mut Report) -> Result<()> {
    let name = t.field("TableName")?.name()?.to_string();
    if model.table(&name).is_some() {
        return Err(t
            .field("TableName")?
            .error(format!("a second table named `{name}`")));
    }
    let keys = t.field("KeyAttributes")?;
    let mut table = Table::new(&name, key(&keys.field("PartitionKey")?)?);
    table.sort_key = match keys.opt("SortKey")? {
        Some(sk) => Some(key(&sk)?),
        None => None,
    };

    let mut declared: Vec<(String, AttrType)> = Vec::new();
    if let Some(list) = t.opt("NonKeyAttributes")? {
        for a in list.items()? {
            let attr = a.field("AttributeName")?.name()?.to_string();
            let ty = a.field("AttributeType")?;
            let Some(attr_type) = attr_type(ty.str()?) else {
                return Err(ty.error(format!(
                    "expected an attribute type (S, N, B, BOOL, NULL, M, L, SS, NS, BS), found `{}`",
                    ty.str()?
                )));
            };
            declared.push((attr, attr_type));
        }
    }

    if let Some(list) = t.opt("GlobalSecondaryIndexes")? {
        for g in list.items()? {
            let keys = g.field("KeyAttributes")?;
            table.gsis.push(Gsi {
                name: g.field("IndexName")?.name()?.to_string(),
                partition_key: vec![key(&keys.field("PartitionKey")?)?],
                sort_key: match keys.opt("SortKey")? {
                    Some(sk) => vec![key(&sk)?],
                    None => Vec::new(),
                },
                projection: schema::read_projection(&g)?,
                provisioned: None,
            });
        }
    }
    table.billing = billing(t, report)?;
    for (field, value) in t.entries()? {
        if field == "DataAccess" {
            if value
                .entries()?
                .iter()
                .any(|(_, v)| v.value.as_object().is_some_and(|m| !m.is_empty()))
            {
                report.push(
                    NoteKind::Dropped,
                    value.path(),
                    "NoSQL Workbench's data access settings are not imported",
                );
            }
        } else if !TABLE_FIELDS.contains(&field) {
            report.push(
                NoteKind::Dropped,
                value.path(),
                "not a field this importer knows",
            );
        }
    }

    // Facets, then items that belong to no facet.
    let mut facets: Vec<(String, Walk, Vec<Item>)> = Vec::new();
    if let Some(list) = t.opt("TableFacets")? {
        for f in list.items()? {
            let facet_name = f.field("FacetName")?.name()?.to_string();
            let items = items(f.opt("TableData")?, report)?;
            facets.push((facet_name, f, items));
        }
    }
    let loose = items(t.opt("TableData")?, report)?;
    let all: Vec<&Item> = facets
        .iter()
        .flat_map(|(_, _, items)| items.iter())
        .chain(loose.iter())
        .collect();
    let mut entities = Vec::new();
    for (facet_name, f, facet_items) in &facets {
        let mut hints = Hints::default();
        if let Some(alias) = f.opt("KeyAttributeAlias")? {
            if let Some(a) = alias.opt("PartitionKeyAlias")? {
                hints
                    .aliases
                    .insert(table.partition_key.name.as_str(), a.str()?);
            }
            if let (Some(a), Some(sk)) = (alias.opt("SortKeyAlias")?, &table.sort_key) {
                hints.aliases.insert(sk.name.as_str(), a.str()?);
            }
        }
        if let Some(list) = f.opt("NonKeyAttributes")? {
            for a in list.items()? {
                let attr = a.str()?;
                let ty = declared.iter().find(|(n, _)| n == attr).map(|(_, t)| *t);
                if ty.is_none() {
                    report.push(
                        NoteKind::Inferred,
                        a.path(),
                        format!("`{attr}` is not among the table's NonKeyAttributes: read as a string (S)"),
                    );
                }
                hints
                    .attributes
                    .push((attr.to_string(), ty.unwrap_or(AttrType::S)));
            }
        }
        let others: Vec<&Item> = all
            .iter()
            .copied()
            .filter(|i| !facet_items.iter().any(|own| std::ptr::eq(own, *i)))
            .collect();
        entities.push(infer::entity(
            &table,
            facet_name,
            facet_items.clone(),
            &others,
            &hints,
            f.path(),
            report,
        ));
    }
    if !loose.is_empty() {
        let at = format!("{}.TableData", t.path());
        for (group, group_items) in infer::group_items(&table, loose.clone()) {
            report.push(
                NoteKind::Inferred,
                &at,
                format!(
                    "items without a facet: entity {group} from {} items",
                    group_items.len()
                ),
            );
            let others: Vec<&Item> = all
                .iter()
                .copied()
                .filter(|i| !group_items.contains(i))
                .collect();
            let hints = Hints {
                aliases: Default::default(),
                attributes: declared
                    .iter()
                    .filter(|(n, _)| group_items.iter().any(|i| i.contains_key(n)))
                    .cloned()
                    .collect(),
            };
            entities.push(infer::entity(
                &table,
                &group,
                group_items,
                &others,
                &hints,
                &at,
                report,
            ));
        }
    }
    if entities.is_empty() {
        report.push(
            NoteKind::Inferred,
            t.path(),
            "no facets and no items: the table has no entities",
        );
    }
    for mut entity in entities {
        let unique = unique_name(&entity.name, |n| model.entity(n).is_some());
        if unique != entity.name {
            report.push(
                NoteKind::Inferred,
                t.path(),
                format!("a second entity named {} is called {unique}", entity.name),
            );
            entity.name = unique;
        }
        model.entities.push(entity);
    }
    model.tables.push(table);
    Ok(())
}

fn key(w: &Walk) -> Result<KeyAttribute> {
    Ok(KeyAttribute::new(
        w.field("AttributeName")?.name()?,
        schema::key_type_of(&w.field("AttributeType")?)?,
    ))
}

fn billing(t: &Walk, report: &mut Report) -> Result<Billing> {
    let mode = match t.opt("BillingMode")? {
        Some(m) => m.str()?.to_string(),
        None => String::new(),
    };
    let settings = t.opt("ProvisionedCapacitySettings")?;
    if let Some(s) = &settings {
        for auto in ["AutoScalingRead", "AutoScalingWrite"] {
            if let Some(a) = s.opt(auto)? {
                report.push(
                    NoteKind::Dropped,
                    a.path(),
                    "the model has no auto scaling: the provisioned capacity is kept",
                );
            }
        }
    }
    match mode.as_str() {
        "PROVISIONED" => {
            let throughput = match &settings {
                Some(s) => s.opt("ProvisionedThroughput")?,
                None => None,
            };
            let (read_capacity, write_capacity) = match throughput {
                Some(p) => {
                    let p = schema::read_throughput(&p)?;
                    (p.read_capacity, p.write_capacity)
                }
                None => {
                    report.push(
                        NoteKind::Inferred,
                        t.path(),
                        "PROVISIONED without capacity: 5 RCU and 5 WCU assumed",
                    );
                    (5, 5)
                }
            };
            Ok(Billing::Provisioned {
                read_capacity,
                write_capacity,
            })
        }
        "PAY_PER_REQUEST" | "" => Ok(Billing::OnDemand),
        other => Err(t.field("BillingMode")?.error(format!(
            "expected PROVISIONED or PAY_PER_REQUEST, found `{other}`"
        ))),
    }
}

fn items(list: Option<Walk>, report: &mut Report) -> Result<Vec<Item>> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    list.items()?
        .iter()
        .map(|item| read_item(item, report))
        .collect()
}

/// The file was changed in NoSQL Workbench after export: its tables, facets and
/// items win, and the `dynamodel` field restores what the format cannot carry.
fn overlay(model: &mut Model, embedded: &Model, counts: &SampleCounts, report: &mut Report) {
    report.push(
        NoteKind::Kept,
        EXTENSION_FIELD,
        "the NoSQL Workbench part changed since export: it is read as it is now, and the rest (patterns, templates, generators, LSIs, descriptions) is restored from this field",
    );
    if model.description.is_empty() {
        model.description = embedded.description.clone();
    }
    model.trade_offs = embedded.trade_offs.clone();
    model.profile = embedded.profile;
    model.conventions = embedded.conventions.clone();
    model.access_patterns = embedded.access_patterns.clone();
    for table in &mut model.tables {
        let Some(old) = embedded.table(&table.name) else {
            continue;
        };
        table.description = old.description.clone();
        if table.lsis.is_empty() {
            table.lsis = old.lsis.clone();
        }
        for gsi in &mut table.gsis {
            let Some(was) = old.gsi(&gsi.name) else {
                continue;
            };
            if was.partition_key.first() == gsi.partition_key.first()
                && was.sort_key.first() == gsi.sort_key.first()
            {
                gsi.partition_key = was.partition_key.clone();
                gsi.sort_key = was.sort_key.clone();
                gsi.provisioned = was.provisioned;
            }
        }
    }
    for entity in &mut model.entities {
        let Some(old) = embedded.entity(&entity.name) else {
            continue;
        };
        entity.description = old.description.clone();
        entity.item_count = old.item_count;
        for attr in &mut entity.attributes {
            if let Some(was) = old.attribute(&attr.name) {
                let attr_type = attr.attr_type;
                *attr = was.clone();
                attr.attr_type = attr_type;
            }
        }
        let base: Vec<String> = model
            .tables
            .iter()
            .find(|t| t.name == entity.table)
            .map(|t| {
                std::iter::once(&t.partition_key)
                    .chain(t.sort_key.iter())
                    .map(|k| k.name.clone())
                    .collect()
            })
            .unwrap_or_default();
        for (k, template) in &old.keys {
            // The key aliases carry the base keys; the rest comes from the field.
            if !base.contains(k) || !entity.keys.contains_key(k) {
                entity.keys.insert(k.clone(), template.clone());
            }
        }
        entity
            .attributes
            .retain(|a| !entity.keys.contains_key(&a.name) || old.attribute(&a.name).is_some());
    }
    // Items the generators make anyway need not be kept as examples.
    let mut generated_model = model.clone();
    for e in &mut generated_model.entities {
        e.example_items = embedded
            .entity(&e.name)
            .map(|o| o.example_items.clone())
            .unwrap_or_default();
    }
    let generated = sample_items::generate(&generated_model, counts);
    for entity in &mut model.entities {
        if generated.items_of(&entity.name) == entity.example_items.as_slice() {
            entity.example_items = embedded
                .entity(&entity.name)
                .map(|o| o.example_items.clone())
                .unwrap_or_default();
        }
    }
}
