//! NoSQL Workbench's data model JSON (ModelName, ModelMetadata, DataModel with
//! tables, facets, GSIs and TableData), written and read.
//!
//! A facet is an entity: its key aliases carry the entity's partition- and
//! sort-key templates (or the alias an imported facet came with, while the
//! template is still the one it was read as), its TableData the entity's
//! sample items. GSIs and LSIs are written in NoSQL Workbench's index shape
//! (`KeyAttributes` with one `PartitionKey` and `SortKey`). What the format
//! has no place for (access patterns, GSI and LSI templates, multi-attribute
//! GSI keys, generators, …) goes into a `dynamodel` field that NoSQL Workbench
//! ignores; reading a file whose Workbench part is unchanged since export
//! gives the model back exactly.

mod import;
mod import_table;
mod sample_data;

use serde_json::{Map, Value, json};

use super::{Exported, NoteKind, Report, pretty};
use crate::analysis::sample_items::{self, SampleCounts};
use crate::model::{AttrType, Entity, KeyAttribute, Model, Projection, Table, item_to_json};
pub use import::import;

/// The field that keeps the whole model beside NoSQL Workbench's own.
pub const EXTENSION_FIELD: &str = "dynamodel";

/// The NoSQL Workbench format version written.
pub const VERSION: &str = "3.0";

pub fn export(model: &Model, samples: &SampleCounts) -> Exported {
    let mut report = Report::default();
    let mut doc = workbench_document(model, samples, &mut report);
    let extension = json!({
        "format_version": crate::model::FORMAT_VERSION,
        "sample_items": {
            "default": samples.default,
            "per_entity": samples.per_entity,
        },
        "model": serde_json::to_value(model).unwrap_or(Value::Null),
    });
    doc.insert(EXTENSION_FIELD.to_string(), extension);
    let mut kept = Vec::new();
    if !model.access_patterns.is_empty() {
        kept.push(format!(
            "the {} access patterns",
            model.access_patterns.len()
        ));
    }
    if model.entities.iter().any(|e| !e.keys.is_empty()) {
        kept.push("the entities' GSI and LSI key templates".to_string());
    }
    if !model.entities.is_empty() {
        kept.push(
            "attribute generators, sizes and cardinalities, item counts and descriptions"
                .to_string(),
        );
    }
    if model.tables.iter().any(|t| !t.description.is_empty()) || !model.trade_offs.is_empty() {
        kept.push("table descriptions and the trade-offs".to_string());
    }
    if model.conventions.is_some() {
        kept.push("the profile and the conventions".to_string());
    }
    if model.tables.iter().any(|t| t.ttl.is_some()) {
        kept.push("time to live".to_string());
    }
    if model.tables.iter().any(|t| t.stream.is_some()) {
        kept.push("streams".to_string());
    }
    if !kept.is_empty() {
        report.push(
            NoteKind::Kept,
            "model",
            format!(
                "NoSQL Workbench has no place for {}: they are kept in the `{EXTENSION_FIELD}` field, which NoSQL Workbench ignores and does not keep when it saves the model",
                super::join_list(&kept)
            ),
        );
    }
    Exported {
        text: pretty(&Value::Object(doc)),
        report,
    }
}

/// The document as NoSQL Workbench has it, without the `dynamodel` field.
fn workbench_document(
    model: &Model,
    samples: &SampleCounts,
    report: &mut Report,
) -> Map<String, Value> {
    let set = sample_items::generate(model, samples);
    super::report_duplicate_keys(&set, report);
    let mut doc = Map::new();
    doc.insert("ModelName".into(), json!(model.name));
    doc.insert(
        "ModelMetadata".into(),
        json!({
            "Author": "",
            "Description": model.description,
            "AWSService": "Amazon DynamoDB",
            "Version": VERSION,
        }),
    );
    let tables: Vec<Value> = model
        .tables
        .iter()
        .map(|t| Value::Object(table(model, t, &set, report)))
        .collect();
    doc.insert("DataModel".into(), Value::Array(tables));
    doc
}

fn table(
    model: &Model,
    table: &Table,
    set: &sample_items::SampleSet,
    report: &mut Report,
) -> Map<String, Value> {
    let at = format!("table {}", table.name);
    let base: Vec<&str> = std::iter::once(&table.partition_key)
        .chain(table.sort_key.iter())
        .map(|k| k.name.as_str())
        .collect();
    let mut out = Map::new();
    out.insert("TableName".into(), json!(table.name));
    let mut keys = Map::new();
    keys.insert("PartitionKey".into(), key(&table.partition_key));
    if let Some(sk) = &table.sort_key {
        keys.insert("SortKey".into(), key(sk));
    }
    out.insert("KeyAttributes".into(), Value::Object(keys));

    // Every attribute once, with one type per table as NoSQL Workbench keeps it.
    let mut declared: Vec<(String, &'static str)> = Vec::new();
    let mut declare = |name: &str, t: &'static str, report: &mut Report| {
        match declared.iter().find(|(n, _)| n == name) {
            Some((_, first)) if *first != t => report.push(
                NoteKind::Dropped,
                &at,
                format!("`{name}` is {first} and {t} in different entities; NoSQL Workbench keeps one type per table: {first}"),
            ),
            Some(_) => {}
            None => declared.push((name.to_string(), t)),
        }
    };
    for entity in model.entities_of(&table.name) {
        for a in &entity.attributes {
            if !base.contains(&a.name.as_str()) {
                declare(&a.name, a.attr_type.as_str(), report);
            }
        }
    }
    for index in table.indexes().iter().skip(1) {
        for k in index.key_attributes() {
            if !base.contains(&k.name.as_str()) {
                declare(&k.name, k.key_type.as_str(), report);
            }
        }
    }
    out.insert(
        "NonKeyAttributes".into(),
        Value::Array(
            declared
                .iter()
                .map(|(n, t)| json!({"AttributeName": n, "AttributeType": t}))
                .collect(),
        ),
    );

    let facets: Vec<Value> = model
        .entities_of(&table.name)
        .map(|entity| {
            let mut alias = Map::new();
            alias.insert(
                "PartitionKeyAlias".into(),
                json!(key_alias(entity, &table.partition_key)),
            );
            if let Some(sk) = &table.sort_key {
                alias.insert("SortKeyAlias".into(), json!(key_alias(entity, sk)));
            }
            let items: Vec<Value> = set
                .items_of(&entity.name)
                .iter()
                .map(item_to_json)
                .collect();
            let mut attributes: Vec<&str> = entity
                .attributes
                .iter()
                .map(|a| a.name.as_str())
                .filter(|a| !base.contains(a))
                .collect();
            for index in table.indexes().iter().skip(1) {
                for k in index.key_attributes() {
                    let written = entity.key_template(&k.name).is_some();
                    if written
                        && !base.contains(&k.name.as_str())
                        && !attributes.contains(&k.name.as_str())
                    {
                        attributes.push(&k.name);
                    }
                }
            }
            json!({
                "FacetName": entity.name,
                "KeyAttributeAlias": Value::Object(alias),
                "TableData": items,
                "NonKeyAttributes": attributes,
                "DataAccess": {"MySql": {}},
            })
        })
        .collect();
    out.insert("TableFacets".into(), Value::Array(facets));

    if !table.gsis.is_empty() {
        let gsis: Vec<Value> = table
            .gsis
            .iter()
            .map(|gsi| {
                if gsi.partition_key.len() > 1 || gsi.sort_key.len() > 1 {
                    report.push(
                        NoteKind::Kept,
                        format!("index {}/{}", table.name, gsi.name),
                        format!(
                            "NoSQL Workbench keys hold one attribute each: the GSI shows its first ones, the full multi-attribute key is kept in the `{EXTENSION_FIELD}` field"
                        ),
                    );
                }
                let mut keys = Map::new();
                if let Some(pk) = gsi.partition_key.first() {
                    keys.insert("PartitionKey".into(), key(pk));
                }
                if let Some(sk) = gsi.sort_key.first() {
                    keys.insert("SortKey".into(), key(sk));
                }
                json!({"IndexName": gsi.name, "KeyAttributes": Value::Object(keys), "Projection": projection(&gsi.projection)})
            })
            .collect();
        out.insert("GlobalSecondaryIndexes".into(), Value::Array(gsis));
    }
    if !table.lsis.is_empty() {
        let lsis: Vec<Value> = table
            .lsis
            .iter()
            .map(|lsi| {
                json!({
                    "IndexName": lsi.name,
                    "KeyAttributes": {
                        "PartitionKey": key(&table.partition_key),
                        "SortKey": key(&lsi.sort_key),
                    },
                    "Projection": projection(&lsi.projection),
                })
            })
            .collect();
        out.insert("LocalSecondaryIndexes".into(), Value::Array(lsis));
    }
    if table.gsis.iter().any(|g| g.provisioned.is_some()) {
        report.push(
            NoteKind::Kept,
            &at,
            format!(
                "NoSQL Workbench has no per-GSI capacity: kept in the `{EXTENSION_FIELD}` field"
            ),
        );
    }
    out.insert("DataAccess".into(), json!({"MySql": {}}));
    match table.billing {
        crate::model::Billing::OnDemand => {
            out.insert("BillingMode".into(), json!("PAY_PER_REQUEST"));
        }
        crate::model::Billing::Provisioned {
            read_capacity,
            write_capacity,
        } => {
            out.insert("BillingMode".into(), json!("PROVISIONED"));
            out.insert(
                "ProvisionedCapacitySettings".into(),
                json!({"ProvisionedThroughput": {
                    "ReadCapacityUnits": read_capacity,
                    "WriteCapacityUnits": write_capacity,
                }}),
            );
        }
    }
    out
}

/// A facet's alias for a key: the one it was imported with while the entity
/// still writes the template that alias was read as, else the template.
fn key_alias(entity: &Entity, key: &KeyAttribute) -> String {
    match entity.key_aliases.get(&key.name) {
        Some(kept) if entity.keys.get(&key.name) == Some(&kept.template) => kept.alias.clone(),
        _ => entity
            .key_template(&key.name)
            .map(|t| t.into_owned())
            .unwrap_or_else(|| key.name.clone()),
    }
}

fn projection(p: &Projection) -> Value {
    match p {
        Projection::Include { attributes } => {
            json!({"ProjectionType": "INCLUDE", "NonKeyAttributes": attributes})
        }
        p => json!({"ProjectionType": p.label()}),
    }
}

fn key(k: &KeyAttribute) -> Value {
    json!({"AttributeName": k.name, "AttributeType": k.key_type.as_str()})
}

/// The attribute type NoSQL Workbench names `text`.
fn attr_type(text: &str) -> Option<AttrType> {
    AttrType::ALL.into_iter().find(|t| t.as_str() == text)
}

#[cfg(test)]
mod tests;
