//! Writing the contract: one entry per DynamoDB table, its entities with their
//! key templates, and every attribute with its source — key attributes from
//! the entity's key sources, or derived from the template and the sources of
//! the attributes it reads.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde_json::{Map, Value};

use super::types::{
    ContractAttribute, ContractEntity, ContractGsi, ContractTable, ENTITY_OWNED, GSI_OWNED,
    KeyNames, TABLE_OWNED,
};
use super::{
    STRING_FORMAT, entity_type_of, refit, source_fits, template_from_source, to_column_terms,
};
use crate::analysis::{self, Status, context::Context};
use crate::export::{Exported, NoteKind, Report, join_list, pretty};
use crate::model::{
    AttrType, ContractLayout, Entity, EntityLayout, Model, Projection, Source, Table,
    Transformation,
};

pub fn export(model: &Model) -> Exported {
    let mut report = Report::default();
    let derived = Derived::of(model);
    let layout = model.migration_contract.as_ref();
    let by_table = entities_by_table(model);
    let tables: Vec<Value> = model
        .tables
        .iter()
        .map(|table| {
            let entities = by_table.get(table.name.as_str()).map(Vec::as_slice);
            let object = table_object(
                table,
                entities.unwrap_or_default(),
                layout,
                &derived,
                &mut report,
            );
            Value::Object(object)
        })
        .collect();
    let mut doc = Map::new();
    doc.insert("tables".into(), Value::Array(tables));
    if let Some(layout) = layout {
        for (field, value) in &layout.fields {
            if field != "tables" {
                doc.insert(field.clone(), value.clone());
            }
        }
    }
    report_left_out(model, &mut report);
    Exported {
        text: pretty(&Value::Object(doc)),
        report,
    }
}

/// The entities of each table, with their positions in the model, in model order.
pub(super) fn entities_by_table(model: &Model) -> HashMap<&str, Vec<(usize, &Entity)>> {
    let mut by_table: HashMap<&str, Vec<(usize, &Entity)>> = HashMap::new();
    for (i, e) in model.entities.iter().enumerate() {
        by_table.entry(e.table.as_str()).or_default().push((i, e));
    }
    by_table
}

/// What the export takes from the analysis: the patterns each table serves and
/// each entity's item size.
pub(super) struct Derived {
    /// Table name to the ids of the patterns it serves, in model order.
    served: BTreeMap<String, Vec<String>>,
    pattern_ids: HashSet<String>,
    table_names: HashSet<String>,
    /// Estimated item size in bytes, per entity in model order.
    item_sizes: Vec<f64>,
}

impl Derived {
    pub(super) fn of(model: &Model) -> Self {
        let analysis = analysis::analyze(model);
        let mut served: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for r in &analysis.resolutions {
            let mut tables: Vec<&str> = match (&r.plan, r.status) {
                (_, Status::Unresolved | Status::Outside) => Vec::new(),
                (Some(plan), _) => vec![&plan.table],
                (None, _) => r.writes.iter().map(|w| &*w.table).collect(),
            };
            tables.dedup();
            for table in tables {
                let ids = served.entry(table.to_string()).or_default();
                if ids.last().map(String::as_str) != Some(&*r.pattern) {
                    ids.push(r.pattern.to_string());
                }
            }
        }
        let context = Context::new(model);
        Derived {
            served,
            pattern_ids: model.access_patterns.iter().map(|p| p.id.clone()).collect(),
            table_names: model.tables.iter().map(|t| t.name.clone()).collect(),
            item_sizes: context.entities.iter().map(|e| e.item_size).collect(),
        }
    }

    /// The ids a table satisfies: those a contract listed that the model does
    /// not define or still places on the table, in their order, then the
    /// others the table serves.
    fn satisfies(&self, table: &str, written: Option<&Vec<String>>) -> Vec<String> {
        let served = self
            .served
            .get(table)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let here: HashSet<&String> = served.iter().collect();
        let mut ids: Vec<String> = written
            .into_iter()
            .flatten()
            .filter(|id| !self.pattern_ids.contains(*id) || here.contains(id))
            .cloned()
            .collect();
        let listed: HashSet<&String> = ids.iter().collect();
        let more: Vec<String> = served
            .iter()
            .filter(|id| !listed.contains(id))
            .cloned()
            .collect();
        ids.extend(more);
        ids
    }
}

/// One table of the contract, with what the layout kept of it applied where
/// the table and its elements still match.
pub(super) fn table_object(
    table: &Table,
    entities: &[(usize, &Entity)],
    layout: Option<&ContractLayout>,
    derived: &Derived,
    report: &mut Report,
) -> Map<String, Value> {
    let at = format!("table {}", table.name);
    let names: Vec<&str> = entities.iter().map(|(_, e)| e.name.as_str()).collect();
    let is_table = |name: &str| derived.table_names.contains(name);
    let found = layout.and_then(|l| l.table(&table.name, &names, is_table));
    let kept = found.map(|(_, t)| t);
    if kept.is_none() && layout.is_some_and(|l| l.tables.contains_key(&table.name)) {
        report.push(
            NoteKind::Inferred,
            &at,
            "holds other entities than when its contract was read: what was kept of it (type, item size, order of attributes…) is derived from the model instead (the ids it satisfies stay)",
        );
    }

    let mut written: Vec<(ContractEntity, Option<&EntityLayout>)> = Vec::new();
    for (_, entity) in entities {
        let entity_kept = kept.and_then(|t| t.entity(&entity.name, &entity.source_table));
        let attributes = entity_attributes(table, entity, entity_kept, report);
        let spec = ContractEntity {
            entity_type: Some(entity_type_of(&entity.name)),
            source_table: entity_source_table(entity).map(str::to_string),
            pk_template: entity
                .key_template(&table.partition_key.name)
                .map(|t| t.into_owned()),
            sk_template: table
                .sort_key
                .as_ref()
                .and_then(|sk| entity.key_template(&sk.name))
                .map(|t| t.into_owned()),
            attributes,
            extra: Map::new(),
        };
        written.push((spec, entity_kept));
    }
    let on_table = match (kept, written.as_slice()) {
        (Some(t), [(entity, entity_kept)]) if t.attributes_on_table => {
            let (_, model_entity) = entities[0];
            let readable = keys_read_back(table, model_entity, &entity.attributes);
            if !readable {
                report.push(
                    NoteKind::Inferred,
                    &at,
                    "its attributes were listed on the table, but its key templates no longer read back from them: written as an entity",
                );
            }
            readable && entity_kept.is_none_or(|e| e.kept.is_empty())
        }
        _ => false,
    };

    let sizes = entities.iter().map(|(i, _)| derived.item_sizes[*i]);
    let size = sizes.fold(None, |max: Option<f64>, s| {
        Some(max.map_or(s, |m| m.max(s)))
    });
    let first_source = written.first().and_then(|(e, _)| e.source_table.clone());
    let (entity_list, flat) = if on_table {
        let attributes = written
            .into_iter()
            .next()
            .map(|(e, _)| e.attributes)
            .unwrap_or_default();
        (None, Some(attributes))
    } else {
        (Some(written), None)
    };
    let spec = ContractTable {
        table: table.name.clone(),
        kind: Some(
            if names.len() > 1 {
                "multi-entity"
            } else {
                "single-entity"
            }
            .to_string(),
        ),
        source_table: first_source,
        pk: table.partition_key.name.clone(),
        sk: table.sort_key.as_ref().map(|k| k.name.clone()),
        gsis: table.gsis.iter().map(gsi_spec).collect(),
        entities: None,
        attributes: flat,
        // The ids are checked against the model's own patterns one by one: they
        // stay with the table (found by its entities, or else by its name)
        // whatever became of its entities.
        satisfies: Some(
            derived.satisfies(
                &table.name,
                kept.or_else(|| layout.and_then(|l| l.tables.get(&table.name)))
                    .and_then(|t| t.satisfies.as_ref()),
            ),
        ),
        estimated_item_size_bytes: size.map(|s| Value::from(s.ceil() as u64)),
        extra: Map::new(),
    };
    let mut object = to_object(&spec);
    if let Some(Value::Array(gsis)) = object.get_mut("gsis") {
        for (value, gsi) in gsis.iter_mut().zip(&table.gsis) {
            if let (Value::Object(o), Some(k)) = (value, kept.and_then(|t| t.gsis.get(&gsi.name))) {
                k.apply(o, &GSI_OWNED);
            }
        }
    }
    if let Some(list) = entity_list {
        let values: Vec<Value> = list
            .into_iter()
            .map(|(entity, entity_kept)| {
                let mut o = to_object(&entity);
                if let Some(k) = entity_kept {
                    k.kept.apply(&mut o, &ENTITY_OWNED);
                }
                Value::Object(o)
            })
            .collect();
        // In the workshop's order: after the GSIs, before what the table satisfies.
        let mut values = Some(Value::Array(values));
        let mut ordered = Map::new();
        for (field, value) in object {
            if field == "satisfies"
                && let Some(list) = values.take()
            {
                ordered.insert("entities".into(), list);
            }
            ordered.insert(field, value);
        }
        if let Some(list) = values {
            ordered.insert("entities".into(), list);
        }
        object = ordered;
    }
    if let Some(k) = kept {
        k.kept.apply(&mut object, &TABLE_OWNED);
    }
    object
}

fn to_object<T: serde::Serialize>(value: &T) -> Map<String, Value> {
    // The contract's types serialize to objects with string keys: this cannot fail.
    match serde_json::to_value(value) {
        Ok(Value::Object(o)) => o,
        _ => Map::new(),
    }
}

fn gsi_spec(gsi: &crate::model::Gsi) -> ContractGsi {
    let names = |keys: &[crate::model::KeyAttribute]| {
        KeyNames::of(&keys.iter().map(|k| k.name.as_str()).collect::<Vec<_>>())
    };
    ContractGsi {
        index_name: gsi.name.clone(),
        pk: names(&gsi.partition_key).unwrap_or(KeyNames::Many(Vec::new())),
        sk: names(&gsi.sort_key),
        projection: Some(gsi.projection.label().to_string()),
        non_key_attributes: match &gsi.projection {
            Projection::Include { attributes } => Some(attributes.clone()),
            _ => None,
        },
        extra: Map::new(),
    }
}

/// The source table an entity is migrated from: its own, or its first
/// attribute's.
fn entity_source_table(entity: &Entity) -> Option<&str> {
    if !entity.source_table.is_empty() {
        return Some(&entity.source_table);
    }
    entity
        .attributes
        .iter()
        .filter_map(|a| a.source.as_ref())
        .map(|s| s.table.as_str())
        .find(|t| !t.is_empty())
}

/// The entity's attributes in the contract's order: the table's keys, the
/// entity's attributes, the index keys it writes (or the order the contract
/// listed them in, while the entity is the one it was).
fn entity_attributes(
    table: &Table,
    entity: &Entity,
    kept: Option<&EntityLayout>,
    report: &mut Report,
) -> Vec<ContractAttribute> {
    let at = format!("entity {}", entity.name);
    let key_types: BTreeMap<&str, AttrType> = table
        .indexes()
        .iter()
        .flat_map(|ix| ix.key_attributes())
        .map(|k| (k.name.as_str(), key_attr_type(k.key_type)))
        .collect();
    // Key attributes the entity writes by a template (an attribute of the key's
    // own name is the key itself, listed with the attributes).
    let written_keys: Vec<&str> = table
        .key_attribute_names()
        .into_iter()
        .filter(|k| entity.keys.contains_key(*k) && entity.attribute(k).is_none())
        .collect();
    let base_count = 1 + usize::from(table.sort_key.is_some());
    let base_names: Vec<&str> = table
        .key_attribute_names()
        .into_iter()
        .take(base_count)
        .collect();

    let mut derived_keys: Vec<&str> = Vec::new();
    let mut refitted: Vec<&str> = Vec::new();
    let mut unsourced: Vec<&str> = Vec::new();
    let pk_source = key_source(entity, &table.partition_key.name, None, kept);
    let mut keys: BTreeMap<&str, ContractAttribute> = BTreeMap::new();
    for &key in &written_keys {
        let found = if key == table.partition_key.name {
            pk_source.clone()
        } else {
            key_source(entity, key, pk_source.as_ref().map(|(s, _)| s), kept)
        };
        match &found {
            None => unsourced.push(key),
            Some((_, Origin::Derived)) => derived_keys.push(key),
            Some((_, Origin::Refitted)) => refitted.push(key),
            Some((_, Origin::AsKept)) => {}
        }
        let attr_type = key_types.get(key).copied().unwrap_or(AttrType::S);
        let source = found.map(|(s, _)| s);
        keys.insert(key, ContractAttribute::new(key, attr_type, source.as_ref()));
    }

    let mut list: Vec<ContractAttribute> = Vec::with_capacity(entity.attributes.len() + keys.len());
    for name in &base_names {
        if let Some(a) = keys.remove(name) {
            list.push(a);
        }
    }
    for a in &entity.attributes {
        if a.source.is_none() {
            unsourced.push(&a.name);
        }
        list.push(ContractAttribute::new(
            &a.name,
            a.attr_type,
            a.source.as_ref(),
        ));
    }
    for name in &written_keys {
        if let Some(a) = keys.remove(name) {
            list.push(a);
        }
    }
    if let Some(order) = kept.map(|k| &k.attribute_order).filter(|o| !o.is_empty()) {
        let position: BTreeMap<&str, usize> = order
            .iter()
            .enumerate()
            .map(|(i, n)| (n.as_str(), i))
            .collect();
        // Stable: names the contract did not list keep their derived order, after it.
        list.sort_by_key(|a| position.get(a.name.as_str()).copied().unwrap_or(usize::MAX));
    }

    if !derived_keys.is_empty() {
        let names: Vec<String> = derived_keys.iter().map(|k| format!("`{k}`")).collect();
        report.push(
            NoteKind::Inferred,
            &at,
            format!(
                "where {} come from is derived from the key templates and the sources of the attributes they read",
                join_list(&names)
            ),
        );
    }
    if !refitted.is_empty() {
        let names: Vec<String> = refitted.iter().map(|k| format!("`{k}`")).collect();
        report.push(
            NoteKind::Inferred,
            &at,
            format!(
                "the sources of {} are written with the transformation of their current key template (the kept one spelled another)",
                join_list(&names)
            ),
        );
    }
    if unsourced.len() == list.len() {
        report.push(
            NoteKind::Dropped,
            &at,
            "no source known for any of its attributes: written with their name and type only",
        );
    } else if !unsourced.is_empty() {
        let names: Vec<String> = unsourced.iter().map(|k| format!("`{k}`")).collect();
        report.push(
            NoteKind::Dropped,
            &at,
            format!(
                "no source known for {}: written with their name and type only",
                join_list(&names)
            ),
        );
    }
    list
}

fn key_attr_type(key_type: crate::model::KeyType) -> AttrType {
    match key_type {
        crate::model::KeyType::S => AttrType::S,
        crate::model::KeyType::N => AttrType::N,
        crate::model::KeyType::B => AttrType::B,
    }
}

/// How a key attribute's source was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Origin {
    /// The entity's key source, as it is.
    AsKept,
    /// The entity's key source, made to agree with the current template.
    Refitted,
    /// Derived from the template.
    Derived,
}

/// Where a key attribute's value comes from: the entity's key source when it
/// agrees with the template (or the template is the one it was read with), made
/// to agree otherwise; else derived from the template.
fn key_source(
    entity: &Entity,
    key: &str,
    pk_source: Option<&Source>,
    kept: Option<&EntityLayout>,
) -> Option<(Source, Origin)> {
    let template = entity.key_template(key)?;
    match entity.key_sources.get(key) {
        Some(source) => {
            let as_read = kept
                .and_then(|k| k.key_templates.get(key))
                .is_some_and(|t| *t == *template);
            if as_read || source_fits(entity, source, &template) {
                Some((source.clone(), Origin::AsKept))
            } else {
                Some((refit(entity, source, &template), Origin::Refitted))
            }
        }
        None => derive_key_source(entity, &template, pk_source).map(|s| (s, Origin::Derived)),
    }
}

/// A key attribute's source from its template: the source of the one
/// attribute it copies, or a `string-format` of the template over the column
/// of the last placeholder that has one (a constant template: of the partition
/// key's source or the entity's first sourced attribute).
fn derive_key_source(
    entity: &Entity,
    template: &str,
    pk_source: Option<&Source>,
) -> Option<Source> {
    let parsed = crate::model::Template::parse(template).ok()?;
    if let Some(name) = parsed.single_placeholder() {
        let source = entity.attribute(name)?.source.as_ref()?;
        return Some(Source {
            table: source.table.clone(),
            column: source.column.clone(),
            transformation: source.transformation.clone(),
            join: source.join.clone(),
            extra: BTreeMap::new(),
        });
    }
    let from_placeholder = parsed
        .placeholders()
        .filter_map(|p| entity.attribute(p)?.source.as_ref())
        .filter(|s| !s.column.is_empty())
        .last();
    let basis = from_placeholder.or(pk_source).or_else(|| {
        entity
            .attributes
            .iter()
            .filter_map(|a| a.source.as_ref())
            .find(|s| !s.column.is_empty())
    })?;
    let table = entity_source_table(entity).unwrap_or(&basis.table);
    Some(Source {
        table: table.to_string(),
        column: basis.column.clone(),
        transformation: Some(Transformation {
            kind: STRING_FORMAT.to_string(),
            format: Some(to_column_terms(entity, template)),
            extra: BTreeMap::new(),
        }),
        join: None,
        extra: BTreeMap::new(),
    })
}

/// Whether the entity's key templates read back from its key attributes'
/// sources alone, as they must when the attributes are listed on the table
/// (there are no `pk_template`/`sk_template` there).
fn keys_read_back(table: &Table, entity: &Entity, attributes: &[ContractAttribute]) -> bool {
    table.key_attribute_names().into_iter().all(|key| {
        let Some(template) = entity.key_template(key) else {
            return true;
        };
        if entity.attribute(key).is_some() {
            return true;
        }
        attributes
            .iter()
            .find(|a| a.name == key)
            .and_then(ContractAttribute::source)
            .and_then(|s| template_from_source(entity, &s))
            .is_some_and(|t| t == *template)
    })
}

fn report_left_out(model: &Model, report: &mut Report) {
    let physical: Vec<String> = model
        .tables
        .iter()
        .filter(|t| {
            !t.lsis.is_empty()
                || t.ttl.is_some()
                || t.stream.is_some()
                || t.billing.provisioned().is_some()
        })
        .map(|t| t.name.clone())
        .collect();
    if !physical.is_empty() {
        report.push(
            NoteKind::Dropped,
            "model",
            format!(
                "LSIs, provisioned capacity, time to live and streams have no place in the contract ({})",
                join_list(&physical)
            ),
        );
    }
    if !model.access_patterns.is_empty() {
        report.push(
            NoteKind::Dropped,
            "model",
            "access patterns appear only as the ids each table `satisfies`",
        );
    }
    if !model.entities.is_empty() {
        report.push(
            NoteKind::Dropped,
            "model",
            "item counts, sizes, generators, descriptions and example items of entities are not in the contract",
        );
    }
}
