//! Reading `dynamodb_data_model.json` back: tables from their CreateTable
//! arguments, entities and key templates guessed from the items, and access
//! patterns from their `aws dynamodb` commands as far as those can be read.

use std::collections::BTreeMap;

use serde_json::Value;

use super::super::infer::{self, Hints};
use super::super::json_read::{Result, ShapeError, Walk};
use super::super::{Imported, NoteKind, Report, read_item, schema};
use crate::model::{
    AccessPattern, Consistency, Entity, Item, Model, Operation, RangeCondition, RangeOp, SortOrder,
    unique_name,
};

pub fn import(value: &Value, name: &str) -> std::result::Result<Imported, ShapeError> {
    let root = Walk::root(value);
    root.object()?;
    let mut report = Report::default();
    let mut model = Model::new(name);

    for t in root.field("tables")?.items()? {
        let table = schema::table_from_create_table(&t, &mut report)?;
        if model.table(&table.name).is_some() {
            return Err(t
                .field("TableName")?
                .error(format!("a second table named `{}`", table.name)));
        }
        model.tables.push(table);
    }

    let mut items: BTreeMap<String, Vec<Item>> = BTreeMap::new();
    if let Some(all) = root.opt("items")? {
        for (table, list) in all.entries()? {
            if model.table(table).is_none() {
                return Err(list.error(format!(
                    "items for `{table}`, which is not among the tables"
                )));
            }
            for request in list.items()? {
                if let Some(delete) = request.opt("DeleteRequest")? {
                    report.push(
                        NoteKind::Dropped,
                        delete.path(),
                        "a DeleteRequest adds no item",
                    );
                    continue;
                }
                let item = request.field("PutRequest")?.field("Item")?;
                let parsed = read_item(&item, &mut report)?;
                items.entry(table.to_string()).or_default().push(parsed);
            }
        }
    }

    for table in &model.tables {
        let list = items.remove(&table.name).unwrap_or_default();
        if list.is_empty() {
            report.push(
                NoteKind::Dropped,
                format!("tables[{}]", table.name),
                "no items: no entity can be told from the table alone",
            );
            continue;
        }
        let all: Vec<Item> = list.clone();
        for (group, group_items) in infer::group_items(table, list) {
            let name = unique_name(&group, |n| model.entity(n).is_some());
            let others: Vec<&Item> = all.iter().filter(|i| !group_items.contains(i)).collect();
            let at = format!("items.{}", table.name);
            report.push(
                NoteKind::Inferred,
                &at,
                format!("entity {name} from {} items", group_items.len()),
            );
            let entity = infer::entity(
                table,
                &name,
                group_items,
                &others,
                &Hints::default(),
                &at,
                &mut report,
            );
            model.entities.push(entity);
        }
    }
    for entity in &mut model.entities {
        entity.item_count = entity.example_items.len().max(1) as u64;
    }
    report.push(
        NoteKind::Inferred,
        "items",
        "item counts are the sample counts; set each entity's expected count for sizing and cost",
    );

    if let Some(patterns) = root.opt("access_patterns")? {
        for p in patterns.items()? {
            let pattern = read_pattern(&p, &model, &mut report)?;
            if model.pattern(&pattern.id).is_some() {
                return Err(p
                    .field("pattern")?
                    .error(format!("a second pattern `{}`", pattern.id)));
            }
            model.access_patterns.push(pattern);
        }
        if !model.access_patterns.is_empty() {
            report.push(
                NoteKind::Inferred,
                "access_patterns",
                "the format has no request rates: every pattern is set to 1 RPS; set the real figures",
            );
        }
    }
    Ok(Imported { model, report })
}

fn read_pattern(p: &Walk, model: &Model, report: &mut Report) -> Result<AccessPattern> {
    let id_field = p.field("pattern")?;
    let id = match id_field.value {
        Value::String(s) => s.clone(),
        Value::Number(n) => n.to_string(),
        _ => return Err(id_field.error("expected the pattern's id, a string or a number")),
    };
    let description = match p.opt("description")? {
        Some(d) => d.str()?.to_string(),
        None => String::new(),
    };
    let operation = match p.opt("dynamodb_operation")? {
        Some(op) => {
            let text = op.str()?;
            match Operation::ALL.into_iter().find(|o| o.as_str() == text) {
                Some(o) => o,
                None if text == "TransactGetItems" => {
                    report.push(
                        NoteKind::Inferred,
                        op.path(),
                        "TransactGetItems read as BatchGetItem",
                    );
                    Operation::BatchGetItem
                }
                None => return Err(op.error(format!("`{text}` is not a DynamoDB operation"))),
            }
        }
        None => Operation::Query,
    };
    let mut pattern = AccessPattern::new(&id, description, operation);
    if let Some(reason) = p.opt("reason")? {
        pattern.outside_dynamodb = Some(reason.str()?.to_string());
    }
    let table = match p.opt("table")? {
        Some(t) => Some(t.str()?.to_string()),
        None => None,
    };
    let index = match p.opt("index")? {
        Some(i) => Some(i.str()?.to_string()),
        None => None,
    };
    let implementation = match p.opt("implementation")? {
        Some(i) => Some((i.str()?.to_string(), i.path().to_string())),
        None => None,
    };
    let at = p.path().to_string();
    if pattern.outside_dynamodb.is_none() {
        match &implementation {
            Some((command, path)) => {
                read_command(command, path, table.as_deref(), model, &mut pattern, report)
            }
            None => report.push(
                NoteKind::Dropped,
                &at,
                "no implementation to read the pattern's keys from",
            ),
        }
        if let Some(index) = index {
            pattern.index = Some(index);
        }
    }
    Ok(pattern)
}

/// Reads what a command says about a pattern: its entity (the one whose items
/// the key values match), inputs, range condition, order and consistency.
fn read_command(
    command: &str,
    at: &str,
    table: Option<&str>,
    model: &Model,
    pattern: &mut AccessPattern,
    report: &mut Report,
) {
    let words = match shell_words(command) {
        Ok(w) => w,
        Err(why) => {
            report.push(
                NoteKind::Dropped,
                at,
                format!("the command could not be read: {why}"),
            );
            return;
        }
    };
    let mut flags: BTreeMap<&str, Option<&str>> = BTreeMap::new();
    let mut i = 0;
    while i < words.len() {
        let w = words[i].as_str();
        if w.starts_with("--") {
            let value = words
                .get(i + 1)
                .filter(|v| !v.starts_with("--"))
                .map(String::as_str);
            flags.insert(w, value);
            i += if value.is_some() { 2 } else { 1 };
        } else {
            i += 1;
        }
    }
    if flags.contains_key("--no-scan-index-forward") {
        pattern.sort = SortOrder::Descending;
    }
    if flags.contains_key("--consistent-read") {
        pattern.consistency = Consistency::Strong;
    }
    let table_name = flags.get("--table-name").copied().flatten().or(table);
    let json = |flag: &str| -> Option<Value> {
        flags
            .get(flag)
            .copied()
            .flatten()
            .and_then(|text| serde_json::from_str(text).ok())
    };
    let names: BTreeMap<String, String> = json("--expression-attribute-names")
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let values: BTreeMap<String, Value> = json("--expression-attribute-values")
        .and_then(|v| serde_json::from_value(v).ok())
        .unwrap_or_default();
    let text = |v: &Value| -> Option<String> {
        crate::model::AttrValue::from_json(v)
            .ok()
            .and_then(|a| a.key_text())
    };

    // (key attribute, operator, value texts) from --key or the key condition.
    let mut conditions: Vec<(String, String, Vec<String>)> = Vec::new();
    if let Some(Value::Object(key)) = json("--key") {
        for (k, v) in &key {
            conditions.push((k.clone(), "=".into(), text(v).into_iter().collect()));
        }
    } else if let Some(Value::Object(requests)) = json("--request-items") {
        let first_key = requests
            .values()
            .next()
            .and_then(|r| r.get("Keys").and_then(|k| k.get(0)).cloned());
        if let Some(Value::Object(key)) = first_key {
            for (k, v) in &key {
                conditions.push((k.clone(), "=".into(), text(v).into_iter().collect()));
            }
        }
    } else if let Some(expression) = flags.get("--key-condition-expression").copied().flatten() {
        // `a BETWEEN :x AND :y` holds an AND of its own: put it back together.
        let mut parts: Vec<String> = Vec::new();
        for piece in expression.split(" AND ").map(str::trim) {
            match parts.last_mut() {
                Some(last) if last.contains(" BETWEEN ") && !last.contains(" AND ") => {
                    last.push_str(" AND ");
                    last.push_str(piece);
                }
                _ => parts.push(piece.to_string()),
            }
        }
        for part in parts.iter().map(String::as_str) {
            match parse_condition(part, &names, &values, &text) {
                Some(c) => conditions.push(c),
                None => report.push(
                    NoteKind::Dropped,
                    at,
                    format!("could not read the key condition `{part}`"),
                ),
            }
        }
    }

    let Some(table) = table_name.and_then(|t| model.table(t)) else {
        report.push(
            NoteKind::Dropped,
            at,
            "the command names no table of the model",
        );
        return;
    };
    // The entity whose items hold the condition's equality values.
    let entity = model
        .entities_of(&table.name)
        .max_by_key(|e| score(e, &conditions))
        .filter(|e| score(e, &conditions) > 0 || model.entities_of(&table.name).count() == 1);
    let Some(entity) = entity else {
        report.push(
            NoteKind::Dropped,
            at,
            "no entity of the table matches the command's key values",
        );
        return;
    };
    pattern.entities = vec![entity.name.clone()];
    for (attribute, op, _) in &conditions {
        let Some(template) = entity.parsed_key_template(attribute).and_then(|t| t.ok()) else {
            continue;
        };
        let placeholders: Vec<String> = template.placeholders().map(str::to_string).collect();
        match op.as_str() {
            "=" => {
                for p in placeholders {
                    if !pattern.inputs.contains(&p) {
                        pattern.inputs.push(p);
                    }
                }
            }
            "begins_with" => {}
            other => {
                // A range on a sort key: the first placeholder after the bound prefix.
                let range_op = match other {
                    "BETWEEN" => RangeOp::Between,
                    "<" => RangeOp::Lt,
                    "<=" => RangeOp::Le,
                    ">" => RangeOp::Gt,
                    ">=" => RangeOp::Ge,
                    _ => continue,
                };
                if let Some(first) = placeholders.into_iter().next() {
                    pattern.range = Some(RangeCondition {
                        attribute: first,
                        op: range_op,
                    });
                }
            }
        }
    }
    report.push(
        NoteKind::Inferred,
        at,
        format!("{} reads or writes {}", pattern.id, entity.name),
    );
}

/// How many of the conditions' equality values some item of the entity holds.
fn score(entity: &Entity, conditions: &[(String, String, Vec<String>)]) -> usize {
    conditions
        .iter()
        .filter(|(attribute, _, values)| {
            values.iter().all(|v| {
                entity.example_items.iter().any(|i| {
                    match i.get(attribute).and_then(|x| x.key_text()) {
                        Some(t) => t == *v || t.starts_with(v.as_str()),
                        None => false,
                    }
                })
            }) && !values.is_empty()
        })
        .count()
}

/// `#pk = :v`, `begins_with(#sk, :p)`, `#sk BETWEEN :a AND :b` (the AND of a
/// BETWEEN was split off by the caller and is put back here).
fn parse_condition(
    part: &str,
    names: &BTreeMap<String, String>,
    values: &BTreeMap<String, Value>,
    text: &dyn Fn(&Value) -> Option<String>,
) -> Option<(String, String, Vec<String>)> {
    let name = |n: &str| {
        names
            .get(n.trim())
            .cloned()
            .unwrap_or_else(|| n.trim().to_string())
    };
    let value = |v: &str| values.get(v.trim()).and_then(text);
    if let Some(inner) = part
        .strip_prefix("begins_with(")
        .and_then(|p| p.strip_suffix(')'))
    {
        let (a, v) = inner.split_once(',')?;
        return Some((name(a), "begins_with".into(), vec![value(v)?]));
    }
    if let Some((a, rest)) = part.split_once(" BETWEEN ") {
        let (low, high) = rest.split_once(" AND ")?;
        return Some((name(a), "BETWEEN".into(), vec![value(low)?, value(high)?]));
    }
    for op in ["<=", ">=", "=", "<", ">"] {
        if let Some((a, v)) = part.split_once(op) {
            return Some((name(a), op.to_string(), vec![value(v)?]));
        }
    }
    None
}

/// Splits a POSIX shell command into words: single quotes, double quotes and
/// backslash escapes, no expansions.
pub fn shell_words(command: &str) -> std::result::Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = command.chars();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("a single quote is not closed".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\' | '$' | '`')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("a double quote is not closed".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("a double quote is not closed".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some('\n') => {}
                    Some(c) => word.push(c),
                    None => return Err("the command ends in a backslash".into()),
                }
            }
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}
