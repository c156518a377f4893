//! The DynamoDB MCP server's validation input, `dynamodb_data_model.json`:
//! `tables` (CreateTable arguments), `items` (BatchWriteItem requests from the
//! sample items) and `access_patterns` (one `aws dynamodb …` command per
//! pattern, bound to a sample item's values; a `reason` for patterns served
//! outside DynamoDB). Read back as far as the format allows.

mod command;
mod import;

use serde_json::{Map, Value, json};

use super::aws_cli::AwsCall;
use super::{Exported, NoteKind, Report, pretty, schema};
use crate::analysis::sample_items::{self, SampleCounts};
use crate::analysis::{self, Status};
use crate::model::{AccessPattern, Model, item_to_json};
pub use command::{Call, read_bound_to};
pub use import::import;

/// Time to live per table, beside the tables (see `export`).
pub const TTL_FIELD: &str = "time_to_live";

pub fn export(model: &Model, samples: &SampleCounts) -> Exported {
    let mut report = Report::default();
    let analysis = analysis::analyze(model);
    let set = sample_items::generate(model, samples);

    let mut tables: Vec<Value> = Vec::with_capacity(model.tables.len());
    let mut ttl = Map::new();
    for table in &model.tables {
        let mut definition = schema::create_table(table);
        // The server's validation hands each entry to CreateTable as it is, and
        // CreateTable takes no time to live: the table would not be created. The
        // setting goes beside the tables, where the validation does not look.
        if let Some(spec) = &table.ttl {
            definition.remove("TimeToLiveSpecification");
            ttl.insert(table.name.clone(), json!(spec.attribute));
            report.push(
                NoteKind::Kept,
                format!("table {}", table.name),
                format!(
                    "time to live on `{}` is kept in the top-level `{TTL_FIELD}` field, not in the table: the MCP server's validation passes each table to CreateTable, which rejects TimeToLiveSpecification (the CloudFormation export carries it)",
                    spec.attribute
                ),
            );
        }
        tables.push(Value::Object(definition));
    }
    let mut items = Map::new();
    for table in &model.tables {
        let requests: Vec<Value> = set
            .table_items(&table.name)
            .map(|(_, item)| json!({"PutRequest": {"Item": item_to_json(item)}}))
            .collect();
        items.insert(table.name.clone(), Value::Array(requests));
    }
    super::report_duplicate_keys(&set, &mut report);

    let bindable = command::bindable_items(model, &set);
    let mut patterns = Vec::new();
    for (r, p) in analysis.resolutions.iter().zip(&model.access_patterns) {
        let mut entry = Map::new();
        entry.insert("pattern".into(), pattern_id(&p.id));
        entry.insert("description".into(), json!(p.description));
        if let Some(source) = &p.source {
            let unchanged = source_digest(model, p) == source.digest;
            // A pattern the model cannot place has no other command to write.
            let unplaced = p.outside_dynamodb.is_none() && r.status == Status::Unresolved;
            if unchanged || unplaced {
                if !unchanged {
                    report.push(
                        NoteKind::Kept,
                        format!("pattern {}", p.id),
                        "changed since it was imported, but no entity places it: its command is written as it came",
                    );
                }
                // Unchanged since the import: the command as it came, byte for byte.
                for (field, value) in [
                    ("table", &source.table),
                    ("index", &source.index),
                    ("dynamodb_operation", &source.operation),
                ] {
                    if let Some(value) = value {
                        entry.insert(field.into(), json!(value));
                    }
                }
                entry.insert("implementation".into(), json!(source.command));
                if let Some(reason) = &p.outside_dynamodb {
                    entry.insert("reason".into(), json!(reason));
                }
                patterns.push(Value::Object(entry));
                continue;
            }
            report.push(
                NoteKind::Inferred,
                format!("pattern {}", p.id),
                "changed since it was imported (its table, entities, keys or fields): its command is written anew from the model",
            );
        }
        let reason = match r.status {
            Status::Outside => Some(p.outside_dynamodb.clone().unwrap_or_default()),
            Status::Unresolved => Some(format!(
                "not resolved in the model: {}",
                r.problem.clone().unwrap_or_default()
            )),
            _ => None,
        };
        if let Some(reason) = reason {
            entry.insert("reason".into(), json!(reason));
            patterns.push(Value::Object(entry));
            continue;
        }
        match command::for_pattern(model, &set, &bindable, r, p) {
            Ok(call) => {
                entry.insert("table".into(), json!(call.table));
                if let Some(index) = call.index {
                    entry.insert("index".into(), json!(index));
                }
                entry.insert("dynamodb_operation".into(), json!(call.operation));
                entry.insert("implementation".into(), json!(call.command));
            }
            Err(why) => {
                report.push(
                    NoteKind::Dropped,
                    format!("pattern {}", p.id),
                    format!("no command: {why}"),
                );
                entry.insert(
                    "reason".into(),
                    json!(format!("no command could be bound: {why}")),
                );
            }
        }
        patterns.push(Value::Object(entry));
    }

    if !model.entities.is_empty() {
        report.push(
            NoteKind::Dropped,
            "model",
            "the format has no entities: entity names, key templates, generators, item counts and sizes are not in it (the items show the keys as written)",
        );
    }
    if !model.access_patterns.is_empty() {
        report.push(
            NoteKind::Dropped,
            "model",
            "access patterns keep only their id, description and one bound command: RPS, inputs, range conditions, consistency and notes are not in the format",
        );
    }
    let described = !model.description.is_empty()
        || !model.trade_offs.is_empty()
        || model.tables.iter().any(|t| !t.description.is_empty());
    if described || model.conventions.is_some() {
        report.push(
            NoteKind::Dropped,
            "model",
            "descriptions, trade-offs, the profile and the conventions have no place in the format",
        );
    }
    let mut doc = json!({
        "tables": tables,
        "items": Value::Object(items),
        "access_patterns": patterns,
    });
    if !ttl.is_empty() {
        doc[TTL_FIELD] = Value::Object(ttl);
    }
    Exported {
        text: pretty(&doc),
        report,
    }
}

/// A pattern id as the format writes it: a number when it is one (`7`, as the
/// MCP server numbers patterns), else text (`AP7`, `5a`).
fn pattern_id(id: &str) -> Value {
    match id.parse::<u64>() {
        Ok(n) if n.to_string() == id => json!(n),
        _ => json!(id),
    }
}

/// What an imported pattern's command depends on, digested: the key schemas and
/// indexes of the tables the command names, the key templates of the pattern's entities and
/// the pattern's own fields (all but its id, texts and rates). FNV-1a over the
/// JSON, as 16 hex digits: the same model always gives the same digest.
pub fn source_digest(model: &Model, pattern: &AccessPattern) -> String {
    let call = pattern
        .source
        .as_ref()
        .and_then(|source| AwsCall::parse(&source.command).ok());
    let tables: Vec<String> = match (&call, &pattern.source) {
        (Some(call), _) => call.tables().into_iter().map(str::to_string).collect(),
        (None, Some(source)) => source.table.iter().cloned().collect(),
        (None, None) => Vec::new(),
    };
    let index = call.as_ref().and_then(|c| c.text("IndexName"));
    // What a command can depend on: each table's key schema and the one index it
    // names (keys and projection), not billing, capacity, other indexes, the
    // stream or time to live.
    let definitions: Vec<Value> = tables
        .iter()
        .map(|name| match model.table(name) {
            Some(t) => {
                let spec = schema::TableSpec::from_model(t);
                let named = spec
                    .gsis
                    .iter()
                    .chain(&spec.lsis)
                    .find(|i| Some(i.name.as_str()) == index);
                let mut keys: Vec<&String> = std::iter::once(&spec.partition_key)
                    .chain(spec.sort_key.iter())
                    .collect();
                if let Some(i) = named {
                    keys.extend(i.partition_key.iter().chain(&i.sort_key));
                }
                let types: Vec<&crate::model::KeyAttribute> = spec
                    .attributes
                    .iter()
                    .filter(|a| keys.contains(&&a.name))
                    .collect();
                json!({
                    "name": spec.name,
                    "keys": [spec.partition_key, spec.sort_key],
                    "types": types,
                    "index": named.map(|i| json!([i.name, i.partition_key, i.sort_key, i.projection])),
                })
            }
            None => json!(name),
        })
        .collect();
    // The entities' keys, and for writes their attributes (a put names them all).
    let writes = pattern.operation.is_write();
    let entities: Vec<Value> = pattern
        .entities
        .iter()
        .map(|name| match model.entity(name) {
            Some(e) if writes => json!({
                "name": e.name,
                "table": e.table,
                "keys": e.keys,
                "attributes": e
                    .attributes
                    .iter()
                    .map(|a| json!([a.name, a.attr_type]))
                    .collect::<Vec<_>>(),
            }),
            Some(e) => json!({"name": e.name, "table": e.table, "keys": e.keys}),
            None => json!(name),
        })
        .collect();
    let shape = json!({
        "tables": definitions,
        "entities": entities,
        "operation": pattern.operation,
        "inputs": pattern.inputs,
        "range": pattern.range,
        "sort": pattern.sort,
        "items": pattern.items,
        "consistency": pattern.consistency,
        "index": pattern.index,
        "outside": pattern.outside_dynamodb.is_some(),
    });
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in shape.to_string().bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests;
