//! One table of a NoSQL Workbench model: its key schema, GSIs and LSIs,
//! declared attributes and billing as they are; its facets, then its items
//! that no facet holds (grouped by key shape), as entities.

use std::collections::HashMap;

use super::super::infer::{self, Group, Hints};
use super::super::json_read::{ShapeError, Walk};
use super::super::{NoteKind, Report, join_list, schema};
use super::attr_type;
use super::sample_data::read_items;
use crate::model::template::is_attribute_name;
use crate::model::{
    AttrType, Attribute, Billing, Entity, Gsi, Item, KeyAlias, KeyAttribute, KeyType, Lsi, Model,
    Table, unique_name,
};

type Result<T> = std::result::Result<T, ShapeError>;

/// Table fields read here; any other is reported as dropped.
const TABLE_FIELDS: &[&str] = &[
    "TableName",
    "KeyAttributes",
    "NonKeyAttributes",
    "TableFacets",
    "GlobalSecondaryIndexes",
    "LocalSecondaryIndexes",
    "TableData",
    "DataAccess",
    "BillingMode",
    "ProvisionedCapacitySettings",
];

pub(super) fn read_table(t: &Walk, model: &mut Model, report: &mut Report) -> Result<()> {
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
    let declared = declared_attributes(t, &name, report)?;
    read_indexes(t, &mut table, &declared, report)?;
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

    let mut groups: Vec<Group> = Vec::new();
    let facets = match t.opt("TableFacets")? {
        Some(list) => list.items()?,
        None => Vec::new(),
    };
    let mut facet_aliases = Vec::with_capacity(facets.len());
    for f in &facets {
        let items = read_items(f.opt("TableData")?, &table, report)?;
        let aliases = key_aliases(f, &table)?;
        let hints = facet_hints(f, &aliases, &declared, &items, report)?;
        facet_aliases.push(aliases);
        groups.push(Group {
            name: f.field("FacetName")?.name()?.to_string(),
            at: f.path().to_string(),
            items,
            hints,
        });
    }
    let loose = read_items(t.opt("TableData")?, &table, report)?;
    if !loose.is_empty() {
        let at = format!("{}.TableData", t.path());
        for (group, items) in infer::group_items(&table, loose) {
            let attributes = declared
                .iter()
                .filter(|(n, _)| items.iter().any(|i| i.contains_key(n)))
                .cloned()
                .collect();
            groups.push(Group {
                name: group,
                at: at.clone(),
                items,
                hints: Hints {
                    aliases: Default::default(),
                    attributes,
                },
            });
        }
    }

    let mut entities = infer::entities(
        &table,
        groups,
        |g, group, report| {
            if g >= facets.len() {
                report.push(
                    NoteKind::Inferred,
                    &group.at,
                    format!(
                        "items without a facet: entity {} from {} items",
                        group.name,
                        group.items.len()
                    ),
                );
            }
        },
        report,
    );
    // The facets come first, in order.
    for (entity, aliases) in entities.iter_mut().zip(&facet_aliases) {
        remember_aliases(entity, aliases);
    }
    keep_unused_attributes(t, &table, &declared, &mut entities, report);
    if entities.is_empty() {
        report.push(
            NoteKind::Inferred,
            t.path(),
            "no facets, no items and no attributes: the table has no entities",
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

/// The table's `NonKeyAttributes`, each name once (the first type wins).
fn declared_attributes(
    t: &Walk,
    table: &str,
    report: &mut Report,
) -> Result<Vec<(String, AttrType)>> {
    let Some(list) = t.opt("NonKeyAttributes")? else {
        return Ok(Vec::new());
    };
    let mut declared: Vec<(String, AttrType)> = Vec::new();
    let mut first: HashMap<String, usize> = HashMap::new();
    let mut repeats: Vec<(usize, String, Vec<AttrType>)> = Vec::new();
    for a in list.items()? {
        let attr = a.field("AttributeName")?.name()?.to_string();
        let ty = a.field("AttributeType")?;
        let Some(attr_type) = attr_type(ty.str()?) else {
            return Err(ty.error(format!(
                "expected an attribute type (S, N, B, BOOL, NULL, M, L, SS, NS, BS), found `{}`",
                ty.str()?
            )));
        };
        match first.get(&attr) {
            Some(&at) => match repeats.iter_mut().find(|(i, ..)| *i == at) {
                Some((_, _, types)) => types.push(attr_type),
                None => repeats.push((at, a.path().to_string(), vec![attr_type])),
            },
            None => {
                first.insert(attr.clone(), declared.len());
                declared.push((attr, attr_type));
            }
        }
    }
    for (at, path, types) in repeats {
        let (attr, kept) = &declared[at];
        let mut message = format!(
            "`{attr}` is declared {} times in the NonKeyAttributes of table `{table}`: read once",
            types.len() + 1
        );
        let mut others: Vec<&str> = types
            .iter()
            .filter(|t| *t != kept)
            .map(|t| t.as_str())
            .collect();
        others.dedup();
        if !others.is_empty() {
            message.push_str(&format!(
                ", as {} (the first type; also declared as {})",
                kept.as_str(),
                others.join(", ")
            ));
        }
        report.push(NoteKind::Repaired, path, message);
    }
    Ok(declared)
}

/// GSIs and LSIs. An LSI whose partition key is not the table's cannot be
/// one: it is read as the GSI it describes.
fn read_indexes(
    t: &Walk,
    table: &mut Table,
    declared: &[(String, AttrType)],
    report: &mut Report,
) -> Result<()> {
    if let Some(list) = t.opt("GlobalSecondaryIndexes")? {
        for g in list.items()? {
            let (partition_key, sort_key) = index_keys(&g, table, declared, report)?;
            table.gsis.push(Gsi {
                uid: Default::default(),
                name: g.field("IndexName")?.name()?.to_string(),
                partition_key,
                sort_key,
                projection: schema::read_projection(&g)?,
                provisioned: None,
            });
        }
    }
    if let Some(list) = t.opt("LocalSecondaryIndexes")? {
        for l in list.items()? {
            let name = l.field("IndexName")?.name()?.to_string();
            let (partition_key, mut sort_key) = index_keys(&l, table, declared, report)?;
            let projection = schema::read_projection(&l)?;
            let shares_partition =
                partition_key.len() == 1 && partition_key[0].name == table.partition_key.name;
            if shares_partition && sort_key.len() == 1 {
                table.lsis.push(Lsi {
                    uid: Default::default(),
                    name,
                    sort_key: sort_key.remove(0),
                    projection,
                });
                continue;
            }
            if shares_partition && sort_key.is_empty() {
                return Err(l.error(format!(
                    "LSI `{name}` has no sort key: an LSI is the table's partition key with another sort key"
                )));
            }
            let why = if shares_partition {
                "more than one sort key attribute".to_string()
            } else {
                let names: Vec<&str> = partition_key.iter().map(|k| k.name.as_str()).collect();
                format!(
                    "the partition key `{}`, not the table's `{}`",
                    names.join("`, `"),
                    table.partition_key.name
                )
            };
            report.push(
                NoteKind::Repaired,
                l.path(),
                format!("LSI `{name}` has {why}: only a GSI can, so it is read as one"),
            );
            table.gsis.push(Gsi {
                uid: Default::default(),
                name,
                partition_key,
                sort_key,
                projection,
                provisioned: None,
            });
        }
    }
    Ok(())
}

/// An index's partition and sort key attributes, from NoSQL Workbench's
/// `KeyAttributes` (one each) or from a DynamoDB `KeySchema` (up to four
/// each, as multi-attribute GSI keys have; types from the table's attributes).
fn index_keys(
    index: &Walk,
    table: &Table,
    declared: &[(String, AttrType)],
    report: &mut Report,
) -> Result<(Vec<KeyAttribute>, Vec<KeyAttribute>)> {
    if index.opt("KeyAttributes")?.is_none()
        && let Some(schema) = index.opt("KeySchema")?
    {
        let (mut partition, mut sort) = (Vec::new(), Vec::new());
        for k in schema.items()? {
            let name = k.field("AttributeName")?.name()?;
            let key_type = match k.opt("AttributeType")? {
                Some(ty) => schema::key_type_of(&ty)?,
                None => known_key_type(name, table, declared).unwrap_or_else(|| {
                    report.push(
                        NoteKind::Inferred,
                        k.path(),
                        format!("the type of `{name}` is declared nowhere: read as a string (S)"),
                    );
                    KeyType::S
                }),
            };
            let kind = k.field("KeyType")?;
            let list = match kind.str()? {
                "HASH" => &mut partition,
                "RANGE" => &mut sort,
                other => {
                    return Err(kind.error(format!("expected HASH or RANGE, found `{other}`")));
                }
            };
            if list.len() == 4 {
                return Err(kind.error(format!(
                    "a fifth {} attribute: a key holds at most four",
                    kind.str()?
                )));
            }
            list.push(KeyAttribute::new(name, key_type));
        }
        if partition.is_empty() {
            return Err(schema.error("no HASH key"));
        }
        return Ok((partition, sort));
    }
    let keys = index.field("KeyAttributes")?;
    let partition = vec![key(&keys.field("PartitionKey")?)?];
    let sort = match keys.opt("SortKey")? {
        Some(sk) => vec![key(&sk)?],
        None => Vec::new(),
    };
    Ok((partition, sort))
}

/// The key type the table already gives `name`: a key of the table or of a
/// GSI, or a declared string, number or binary attribute.
fn known_key_type(name: &str, table: &Table, declared: &[(String, AttrType)]) -> Option<KeyType> {
    if let Some(k) = table
        .indexes()
        .iter()
        .flat_map(|i| i.key_attributes())
        .find(|k| k.name == name)
    {
        return Some(k.key_type);
    }
    match declared.iter().find(|(n, _)| n == name)?.1 {
        AttrType::S => Some(KeyType::S),
        AttrType::N => Some(KeyType::N),
        AttrType::B => Some(KeyType::B),
        _ => None,
    }
}

/// A facet's `KeyAttributeAlias`: each of the table's key attributes with
/// the text the facet gives it.
fn key_aliases<'a>(f: &Walk<'a>, table: &'a Table) -> Result<Vec<(&'a str, &'a str)>> {
    let mut aliases = Vec::new();
    if let Some(alias) = f.opt("KeyAttributeAlias")? {
        let keys = [
            ("PartitionKeyAlias", Some(&table.partition_key)),
            ("SortKeyAlias", table.sort_key.as_ref()),
        ];
        for (field, key) in keys {
            if let (Some(a), Some(key)) = (alias.opt(field)?, key) {
                aliases.push((key.name.as_str(), a.str()?));
            }
        }
    }
    Ok(aliases)
}

/// Each alias of the facet with the template it became, so that the export
/// writes the alias back as it came while the template stays that one.
fn remember_aliases(entity: &mut Entity, aliases: &[(&str, &str)]) {
    for &(key, alias) in aliases {
        if let Some(template) = entity.keys.get(key)
            && template != alias
        {
            let remembered = KeyAlias {
                alias: alias.to_string(),
                template: template.clone(),
            };
            entity.key_aliases.insert(key.to_string(), remembered);
        }
    }
}

/// What a facet says of its entity: its key aliases and attributes.
fn facet_hints<'a>(
    f: &Walk<'a>,
    aliases: &[(&'a str, &'a str)],
    declared: &[(String, AttrType)],
    items: &[Item],
    report: &mut Report,
) -> Result<Hints<'a>> {
    let mut hints = Hints::default();
    for &(key, text) in aliases {
        // NoSQL Workbench's default alias is the attribute's own name: no hint.
        if !text.trim().is_empty() && text != key {
            hints.aliases.insert(key, text);
        }
    }
    if let Some(list) = f.opt("NonKeyAttributes")? {
        for a in list.items()? {
            let attr = a.str()?;
            if hints.attributes.iter().any(|(n, _)| n == attr) {
                report.push(
                    NoteKind::Repaired,
                    a.path(),
                    format!("`{attr}` is listed twice: read once"),
                );
                continue;
            }
            let ty = match declared.iter().find(|(n, _)| n == attr) {
                Some((_, t)) => *t,
                None => {
                    let held = items
                        .iter()
                        .find_map(|i| i.get(attr))
                        .map(|v| v.attr_type());
                    report.push(
                        NoteKind::Inferred,
                        a.path(),
                        match held {
                            Some(t) => format!(
                                "`{attr}` is not among the table's NonKeyAttributes: read as {}, the type its items hold",
                                t.as_str()
                            ),
                            None => format!(
                                "`{attr}` is not among the table's NonKeyAttributes: read as a string (S)"
                            ),
                        },
                    );
                    held.unwrap_or(AttrType::S)
                }
            };
            hints.attributes.push((attr.to_string(), ty));
        }
    }
    Ok(hints)
}

/// Declared attributes that no facet lists and no item holds still belong to
/// the table: they go on each of its entities, or on an entity of their own
/// when the table has none (a schema without sample data).
fn keep_unused_attributes(
    t: &Walk,
    table: &Table,
    declared: &[(String, AttrType)],
    entities: &mut Vec<Entity>,
    report: &mut Report,
) {
    let keys = table.key_attribute_names();
    let unused: Vec<&(String, AttrType)> = declared
        .iter()
        .filter(|(n, _)| !keys.contains(&n.as_str()))
        .filter(|(n, _)| entities.iter().all(|e| e.attribute(n).is_none()))
        .collect();
    if unused.is_empty() {
        return;
    }
    let names: Vec<String> = unused.iter().map(|(n, _)| format!("`{n}`")).collect();
    let are = if unused.len() == 1 { "is" } else { "are" };
    if entities.is_empty() {
        let mut entity = Entity::new(format!("{}Item", infer::pascal(&table.name)), &table.name);
        for k in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
            entity
                .attributes
                .push(Attribute::new(&k.name, key_attr_type(k)));
            if is_attribute_name(&k.name) {
                entity
                    .keys
                    .insert(k.name.clone(), format!("{{{}}}", k.name));
            }
        }
        for (n, ty) in &unused {
            entity.attributes.push(Attribute::new(n, *ty));
        }
        report.push(
            NoteKind::Inferred,
            t.path(),
            format!(
                "{} {are} declared in NonKeyAttributes, and the table has no facets and no items: entity {} holds them, with the table's key attributes as its own",
                join_list(&names),
                entity.name
            ),
        );
        entities.push(entity);
        return;
    }
    for entity in entities.iter_mut() {
        for (n, ty) in &unused {
            entity.attributes.push(Attribute::new(n, *ty));
        }
    }
    let holders: Vec<String> = entities.iter().map(|e| e.name.clone()).collect();
    report.push(
        NoteKind::Inferred,
        format!("{}.NonKeyAttributes", t.path()),
        format!(
            "{} {are} declared, but no facet lists {them} and no item holds {them}: added to every entity of table `{}` ({})",
            join_list(&names),
            table.name,
            join_list(&holders),
            them = if unused.len() == 1 { "it" } else { "them" },
        ),
    );
}

fn key_attr_type(k: &KeyAttribute) -> AttrType {
    match k.key_type {
        KeyType::S => AttrType::S,
        KeyType::N => AttrType::N,
        KeyType::B => AttrType::B,
    }
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
