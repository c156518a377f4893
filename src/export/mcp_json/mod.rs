//! The DynamoDB MCP server's validation input, `dynamodb_data_model.json`:
//! `tables` (CreateTable arguments), `items` (BatchWriteItem requests from the
//! sample items) and `access_patterns` (one `aws dynamodb …` command per
//! pattern, bound to a sample item's values; a `reason` for patterns served
//! outside DynamoDB). Read back as far as the format allows.

mod command;
mod import;

use serde_json::{Map, Value, json};

use super::{Exported, NoteKind, Report, pretty, schema};
use crate::analysis::sample_items::{self, SampleCounts};
use crate::analysis::{self, Status};
use crate::model::{Model, item_to_json};
pub use import::import;

pub fn export(model: &Model, samples: &SampleCounts) -> Exported {
    let mut report = Report::default();
    let analysis = analysis::analyze(model);
    let set = sample_items::generate(model, samples);

    let tables: Vec<Value> = model
        .tables
        .iter()
        .map(|t| Value::Object(schema::create_table(t)))
        .collect();

    let mut items = Map::new();
    for table in &model.tables {
        let requests: Vec<Value> = set
            .table_items(&table.name)
            .map(|(_, item)| json!({"PutRequest": {"Item": item_to_json(item)}}))
            .collect();
        items.insert(table.name.clone(), Value::Array(requests));
    }
    super::report_duplicate_keys(&set, &mut report);

    let mut patterns = Vec::new();
    for (r, p) in analysis.resolutions.iter().zip(&model.access_patterns) {
        let mut entry = Map::new();
        entry.insert("pattern".into(), json!(p.id));
        entry.insert("description".into(), json!(p.description));
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
        match command::for_pattern(model, &set, r, p) {
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
    let doc = json!({
        "tables": tables,
        "items": Value::Object(items),
        "access_patterns": patterns,
    });
    Exported {
        text: pretty(&doc),
        report,
    }
}

#[cfg(test)]
mod tests;
