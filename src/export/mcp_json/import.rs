//! Reading `dynamodb_data_model.json` back: tables from their CreateTable
//! arguments, entities and key templates guessed from the items, and access
//! patterns from their `aws dynamodb` commands as far as those can be read.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::super::aws_cli::AwsCall;
use super::super::infer::{self, Hints};
use super::super::json_read::{Result, ShapeError, Walk};
use super::super::{Imported, NoteKind, Report, read_item, schema};
use crate::model::{
    AccessPattern, Consistency, Entity, Item, Model, Operation, RangeCondition, RangeOp, SortOrder,
    SourceCall, unique_name,
};

pub fn import(value: &Value, name: &str) -> std::result::Result<Imported, ShapeError> {
    let root = Walk::root(value);
    let mut report = Report::default();
    for field in root.object()?.keys() {
        if !["tables", "items", "access_patterns", super::TTL_FIELD].contains(&field.as_str()) {
            report.push(
                NoteKind::Dropped,
                field.as_str(),
                "not a field of the MCP server's data model: ignored",
            );
        }
    }
    let mut model = Model::new(name);
    // The MCP server drafts designs of any style; the workshop's conventions are
    // for the workshop's own redesign.
    model.profile = crate::model::Profile::SingleTable;

    for t in root.field("tables")?.items()? {
        let table = schema::table_from_create_table(&t, &mut report)?;
        if model.table(&table.name).is_some() {
            return Err(t
                .field("TableName")?
                .error(format!("a second table named `{}`", table.name)));
        }
        model.tables.push(table);
    }

    if let Some(ttl) = root.opt(super::TTL_FIELD)? {
        for (table, attribute) in ttl.entries()? {
            let attribute = attribute.name()?.to_string();
            match model.tables.iter_mut().find(|t| t.name == table) {
                Some(t) => t.ttl = Some(crate::model::TimeToLive { attribute }),
                None => {
                    return Err(ttl.error(format!(
                        "time to live for `{table}`, which is not among the tables"
                    )));
                }
            }
        }
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
        let at = format!("items.{}", table.name);
        let mut groups: Vec<infer::Group> = Vec::new();
        for (group, group_items) in infer::group_items(table, list) {
            let name = unique_name(&group, |n| {
                model.entity(n).is_some() || groups.iter().any(|g| g.name == n)
            });
            groups.push(infer::Group {
                name,
                items: group_items,
                hints: Hints::default(),
                at: at.clone(),
            });
        }
        // Linear in the table's items, however many entities it holds.
        let entities = infer::entities(
            table,
            groups,
            |_, group, report| {
                report.push(
                    NoteKind::Inferred,
                    &group.at,
                    format!("entity {} from {} items", group.name, group.items.len()),
                );
            },
            &mut report,
        );
        model.entities.extend(entities);
    }
    for entity in &mut model.entities {
        entity.item_count = entity.example_items.len().max(1) as u64;
    }
    if !model.entities.is_empty() {
        report.push(
            NoteKind::Inferred,
            "items",
            "item counts are the sample counts; set each entity's expected count for sizing and cost",
        );
    }

    if let Some(patterns) = root.opt("access_patterns")? {
        let texts = KeyTexts::new(&model);
        for p in patterns.items()? {
            let pattern = read_pattern(&p, &model, &texts, &mut report)?;
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
    // What each command touches, as imported: the export writes the command back
    // as it came while the model still digests the same.
    let digests: Vec<Option<String>> = model
        .access_patterns
        .iter()
        .map(|p| p.source.as_ref().map(|_| super::source_digest(&model, p)))
        .collect();
    for (pattern, digest) in model.access_patterns.iter_mut().zip(digests) {
        if let (Some(source), Some(digest)) = (&mut pattern.source, digest) {
            source.digest = digest;
        }
    }
    Ok(Imported { model, report })
}

fn read_pattern(
    p: &Walk,
    model: &Model,
    texts: &KeyTexts,
    report: &mut Report,
) -> Result<AccessPattern> {
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
    let operation_text = match p.opt("dynamodb_operation")? {
        Some(op) => Some((op.str()?.to_string(), op.path().to_string())),
        None => None,
    };
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
    let call = implementation
        .as_ref()
        .map(|(command, _)| AwsCall::parse(command));
    let operation = match (&operation_text, &call) {
        (Some((text, at)), _) => match Operation::ALL.into_iter().find(|o| o.as_str() == text) {
            Some(o) => o,
            None if text == "TransactGetItems" => {
                report.push(
                    NoteKind::Inferred,
                    at,
                    "TransactGetItems read as BatchGetItem",
                );
                Operation::BatchGetItem
            }
            None => {
                return Err(p
                    .field("dynamodb_operation")?
                    .error(format!("`{text}` is not a DynamoDB operation")));
            }
        },
        (None, Some(Ok(call))) => operation_of(call.operation),
        (None, _) => Operation::Query,
    };
    let mut pattern = AccessPattern::new(&id, description, operation);
    if let Some(reason) = p.opt("reason")? {
        pattern.outside_dynamodb = Some(reason.str()?.to_string());
    }
    let at = p.path().to_string();
    match (&implementation, call) {
        (Some((command, path)), call) => {
            pattern.source = Some(SourceCall {
                command: command.clone(),
                table: table.clone(),
                index: index.clone(),
                operation: operation_text.map(|(text, _)| text),
                digest: String::new(),
            });
            if pattern.outside_dynamodb.is_none() {
                match call {
                    Some(Ok(call)) => read_call(
                        &call,
                        path,
                        table.as_deref(),
                        model,
                        texts,
                        &mut pattern,
                        report,
                    ),
                    Some(Err(why)) => report.push(
                        NoteKind::Kept,
                        path,
                        format!("the command could not be read ({why}): kept as it is"),
                    ),
                    None => {}
                }
            }
        }
        (None, _) if pattern.outside_dynamodb.is_none() => report.push(
            NoteKind::Dropped,
            &at,
            "no implementation to read the pattern's keys from",
        ),
        (None, _) => {}
    }
    if pattern.outside_dynamodb.is_none()
        && let Some(index) = index
    {
        pattern.index = Some(index);
    }
    Ok(pattern)
}

fn operation_of(api: &str) -> Operation {
    match api {
        "TransactGetItems" => Operation::BatchGetItem,
        other => Operation::ALL
            .into_iter()
            .find(|o| o.as_str() == other)
            .unwrap_or(Operation::Query),
    }
}

/// A key condition: (key attribute, operator, value texts).
type Condition = (String, String, Vec<String>);

/// Reads what a call says about a pattern: its entities (those whose key
/// templates have the shape of the call's key values, or whose items hold them),
/// inputs, range condition, page size, order and consistency.
fn read_call(
    call: &AwsCall,
    at: &str,
    table: Option<&str>,
    model: &Model,
    texts: &KeyTexts,
    pattern: &mut AccessPattern,
    report: &mut Report,
) {
    if call.flag("ScanIndexForward") == Some(false) {
        pattern.sort = SortOrder::Descending;
    }
    if call.flag("ConsistentRead") == Some(true) {
        pattern.consistency = Consistency::Strong;
    }
    if let Some(limit) = call.number("Limit").and_then(|l| u32::try_from(l).ok())
        && matches!(pattern.operation, Operation::Query | Operation::Scan)
    {
        pattern.items = limit.max(1);
    }
    let names: BTreeMap<String, String> = call
        .json("ExpressionAttributeNames")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();
    let values: BTreeMap<String, Value> = call
        .json("ExpressionAttributeValues")
        .and_then(|v| serde_json::from_value(v.clone()).ok())
        .unwrap_or_default();

    // One (table, conditions) per item the call touches: a transaction or a batch
    // can touch several entities.
    let mut targets: Vec<(String, Vec<Condition>)> = Vec::new();
    let own_table = call.text("TableName").or(table);
    for key_field in ["Key", "Item"] {
        if let (Some(t), Some(Value::Object(key))) = (own_table, call.json(key_field)) {
            targets.push((t.to_string(), equalities(key)));
        }
    }
    if let Some(Value::Object(requests)) = call.json("RequestItems") {
        for (t, body) in requests {
            let keys = match body {
                Value::Object(get) => get.get("Keys").and_then(Value::as_array).cloned(),
                Value::Array(writes) => Some(
                    writes
                        .iter()
                        .filter_map(|w| {
                            w.pointer("/PutRequest/Item")
                                .or_else(|| w.pointer("/DeleteRequest/Key"))
                                .cloned()
                        })
                        .collect(),
                ),
                _ => None,
            };
            if let Some(Value::Object(key)) = keys.as_ref().and_then(|k| k.first()) {
                targets.push((t.clone(), equalities(key)));
            }
        }
    }
    if let Some(Value::Array(actions)) = call.json("TransactItems") {
        for body in actions
            .iter()
            .filter_map(Value::as_object)
            .flat_map(|a| a.values())
        {
            let key = body.get("Key").or_else(|| body.get("Item"));
            if let (Some(t), Some(Value::Object(key))) =
                (body.get("TableName").and_then(Value::as_str), key)
            {
                targets.push((t.to_string(), equalities(key)));
            }
        }
    }
    if targets.is_empty()
        && let Some(t) = own_table
    {
        let mut conditions = Vec::new();
        if let Some(expression) = call.text("KeyConditionExpression") {
            // `a BETWEEN :x AND :y` holds an AND of its own: put it back together.
            let mut parts: Vec<String> = Vec::new();
            for piece in split_ci(expression, " AND ").into_iter().map(str::trim) {
                match parts.last_mut() {
                    Some(last)
                        if find_ci(last, " BETWEEN ").is_some()
                            && find_ci(last, " AND ").is_none() =>
                    {
                        last.push_str(" AND ");
                        last.push_str(piece);
                    }
                    _ => parts.push(piece.to_string()),
                }
            }
            for part in parts.iter().map(String::as_str) {
                match parse_condition(part, &names, &values) {
                    Some(c) => conditions.push(c),
                    None => report.push(
                        NoteKind::Dropped,
                        at,
                        format!("could not read the key condition `{part}`"),
                    ),
                }
            }
        }
        targets.push((t.to_string(), conditions));
    }

    let mut entities: Vec<String> = Vec::new();
    let mut first_conditions: Option<Vec<Condition>> = None;
    for (table_name, conditions) in &targets {
        let Some(table) = model.table(table_name) else {
            report.push(
                NoteKind::Kept,
                at,
                format!("the command names `{table_name}`, no table of the model: kept as it is"),
            );
            continue;
        };
        // Only key attributes tell entities apart (an item's data can be anything).
        let keys = table.key_attribute_names();
        let conditions: Vec<Condition> = conditions
            .iter()
            .filter(|(attribute, ..)| keys.contains(&attribute.as_str()))
            .cloned()
            .collect();
        let conditions = &conditions;
        match best_entity(model, texts, &table.name, conditions) {
            Some(entity) => {
                if !entities.contains(&entity.name) {
                    entities.push(entity.name.clone());
                }
                if first_conditions.is_none() {
                    first_conditions = Some(conditions.clone());
                }
            }
            None => report.push(
                NoteKind::Kept,
                at,
                format!(
                    "no entity of {} has keys of the shape the command uses: the pattern keeps its command and runs as it",
                    table.name
                ),
            ),
        }
    }
    let (Some(primary), Some(conditions)) = (entities.first(), first_conditions) else {
        return;
    };
    let Some(entity) = model.entity(primary) else {
        return;
    };
    pattern.entities = entities.clone();
    let writes_new = pattern.operation == Operation::PutItem;
    for (attribute, op, values) in &conditions {
        let Some(template) = entity.parsed_key_template(attribute).and_then(|t| t.ok()) else {
            continue;
        };
        let add_input = |p: &str, pattern: &mut AccessPattern| {
            if !pattern.inputs.iter().any(|i| i == p) {
                pattern.inputs.push(p.to_string());
            }
        };
        let range_op = match op.as_str() {
            // A put of a new item names no input: it writes all of them.
            "=" if writes_new => continue,
            "=" => {
                for p in template.placeholders() {
                    add_input(p, pattern);
                }
                continue;
            }
            "begins_with" => RangeOp::BeginsWith,
            "BETWEEN" => RangeOp::Between,
            "<" => RangeOp::Lt,
            "<=" => RangeOp::Le,
            ">" => RangeOp::Gt,
            ">=" => RangeOp::Ge,
            _ => continue,
        };
        // The placeholders the bound value spells out whole are inputs; the range
        // is on the one it ends in (`STATUS#open#DATE#2024` against
        // `STATUS#{status}#DATE#{date}`: status is known, the range is on date). A
        // begins_with that stops at a literal (`ORDER#`) is a type marker, no range.
        let Some(value) = values.first() else {
            continue;
        };
        let (known, within) = bound_prefix(&template, value);
        for p in known {
            add_input(p, pattern);
        }
        if let Some((attribute, reached)) = within
            && (range_op != RangeOp::BeginsWith || reached)
        {
            pattern.range = Some(RangeCondition {
                attribute: attribute.to_string(),
                op: range_op,
            });
        }
    }
    report.push(
        NoteKind::Inferred,
        at,
        format!("{} reads or writes {}", pattern.id, entities.join(", ")),
    );
}

/// Walks `value` along `template`: the placeholders it holds whole, and the
/// placeholder it stops in or before (with whether it reached into it).
fn bound_prefix<'t>(
    template: &'t crate::model::Template<'_>,
    value: &str,
) -> (Vec<&'t str>, Option<(&'t str, bool)>) {
    use crate::model::Segment;
    let mut known = Vec::new();
    let mut rest = value;
    let segments = &template.segments;
    for (i, segment) in segments.iter().enumerate() {
        match segment {
            Segment::Literal(l) => match rest.strip_prefix(l.as_ref()) {
                Some(after) => rest = after,
                None => {
                    let next = segments[i..].iter().find_map(|s| match s {
                        Segment::Placeholder { attribute, .. } => Some(attribute.as_ref()),
                        Segment::Literal(_) => None,
                    });
                    return (known, next.map(|a| (a, false)));
                }
            },
            Segment::Placeholder { attribute, .. } => {
                let attribute = attribute.as_ref();
                let whole = match segments.get(i + 1) {
                    Some(Segment::Literal(next)) if !rest.is_empty() => {
                        rest.find(next.as_ref()).filter(|&at| at > 0)
                    }
                    _ => None,
                };
                match whole {
                    Some(at) => {
                        known.push(attribute);
                        rest = &rest[at..];
                    }
                    None => return (known, Some((attribute, !rest.is_empty()))),
                }
            }
        }
    }
    (known, None)
}

/// Equality conditions on every attribute of a key (or an item).
fn equalities(key: &Map<String, Value>) -> Vec<Condition> {
    key.iter()
        .map(|(k, v)| {
            (
                k.clone(),
                "=".to_string(),
                key_text(v).into_iter().collect(),
            )
        })
        .collect()
}

fn key_text(v: &Value) -> Option<String> {
    crate::model::AttrValue::from_json(v)
        .ok()
        .and_then(|a| a.key_text())
}

/// The entity of `table` whose key templates the conditions fit best: by the
/// shape of the values (`USER#u9` fits `USER#{user_id}` better than `{id}`, and
/// `ORDER#` cannot be `#META`), then by the entity's own items holding them.
/// A table with one entity takes it when nothing contradicts it.
fn best_entity<'m>(
    model: &'m Model,
    texts: &KeyTexts,
    table: &str,
    conditions: &[Condition],
) -> Option<&'m Entity> {
    let candidates: Vec<&'m Entity> = model.entities.iter().filter(|e| e.table == table).collect();
    let scored = candidates
        .iter()
        .filter_map(|e| {
            shape_score(e, conditions).map(|s| (s, texts.score(&e.name, conditions), *e))
        })
        .max_by_key(|(shape, items, _)| (*shape, *items))?;
    let (shape, items, entity) = scored;
    (shape > 0 || items > 0 || candidates.len() == 1).then_some(entity)
}

/// How well the conditions' values fit the entity's key templates: one point per
/// key attribute whose template the value fits, plus the template's literal
/// characters; `None` when a value contradicts a template (another literal, a
/// missing separator).
fn shape_score(entity: &Entity, conditions: &[Condition]) -> Option<usize> {
    let mut score = 0;
    for (attribute, op, values) in conditions {
        // An attribute of an item that is no key this entity writes says nothing.
        let Some(Ok(template)) = entity.parsed_key_template(attribute) else {
            continue;
        };
        let literal: usize = template
            .segments
            .iter()
            .map(|s| match s {
                crate::model::Segment::Literal(l) => l.len(),
                _ => 0,
            })
            .sum();
        let Some(value) = values.first() else {
            continue;
        };
        let fits = match op.as_str() {
            "=" => template.match_value(value).is_some(),
            "begins_with" => crate::analysis::resolve::could_start_with(&template, value),
            _ => {
                let lead = template.leading_literal();
                value.starts_with(lead) || lead.starts_with(value.as_str())
            }
        };
        if !fits {
            return None;
        }
        score += 1 + literal;
    }
    Some(score)
}

/// The key values each entity's items hold, per key attribute, sorted: built once
/// per import, so placing a command costs a few binary searches, not a pass over
/// every item.
struct KeyTexts {
    by_entity: BTreeMap<(String, String), Vec<String>>,
}

impl KeyTexts {
    fn new(model: &Model) -> KeyTexts {
        let mut by_entity: BTreeMap<(String, String), Vec<String>> = BTreeMap::new();
        for entity in &model.entities {
            for item in &entity.example_items {
                for (attribute, value) in item {
                    if let Some(text) = value.key_text() {
                        by_entity
                            .entry((entity.name.clone(), attribute.clone()))
                            .or_default()
                            .push(text);
                    }
                }
            }
        }
        for texts in by_entity.values_mut() {
            texts.sort_unstable();
        }
        KeyTexts { by_entity }
    }

    /// How many of the conditions' values some item of the entity holds (or
    /// starts with, for a prefix).
    fn score(&self, entity: &str, conditions: &[Condition]) -> usize {
        conditions
            .iter()
            .filter(|(attribute, _, values)| {
                let Some(texts) = self.by_entity.get(&(entity.to_string(), attribute.clone()))
                else {
                    return false;
                };
                !values.is_empty()
                    && values.iter().all(|v| {
                        let at = texts.partition_point(|t| t.as_str() < v.as_str());
                        texts.get(at).is_some_and(|t| t.starts_with(v.as_str()))
                    })
            })
            .count()
    }
}

/// `#pk = :v`, `begins_with(#sk, :p)`, `#sk BETWEEN :a AND :b` (the AND of a
/// BETWEEN was split off by the caller and is put back here).
fn parse_condition(
    part: &str,
    names: &BTreeMap<String, String>,
    values: &BTreeMap<String, Value>,
) -> Option<Condition> {
    let name = |n: &str| {
        names
            .get(n.trim())
            .cloned()
            .unwrap_or_else(|| n.trim().to_string())
    };
    let value = |v: &str| values.get(v.trim()).and_then(key_text);
    let function = "begins_with(";
    if let Some(inner) = part
        .get(..function.len())
        .filter(|head| head.eq_ignore_ascii_case(function))
        .and_then(|_| part[function.len()..].strip_suffix(')'))
    {
        let (a, v) = inner.split_once(',')?;
        return Some((name(a), "begins_with".into(), vec![value(v)?]));
    }
    if let Some(at) = find_ci(part, " BETWEEN ") {
        let (a, rest) = (&part[..at], &part[at + " BETWEEN ".len()..]);
        let and = find_ci(rest, " AND ")?;
        let (low, high) = (&rest[..and], &rest[and + " AND ".len()..]);
        return Some((name(a), "BETWEEN".into(), vec![value(low)?, value(high)?]));
    }
    for op in ["<=", ">=", "=", "<", ">"] {
        if let Some((a, v)) = part.split_once(op) {
            return Some((name(a), op.to_string(), vec![value(v)?]));
        }
    }
    None
}

/// Where `needle` (ASCII) first occurs in `haystack`, whatever the letter case:
/// DynamoDB reads `and`, `AND` and `And` alike.
fn find_ci(haystack: &str, needle: &str) -> Option<usize> {
    let (h, n) = (haystack.as_bytes(), needle.as_bytes());
    (0..=h.len().checked_sub(n.len())?).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// `haystack` split at each `needle`, whatever the letter case.
fn split_ci<'h>(haystack: &'h str, needle: &str) -> Vec<&'h str> {
    let mut out = Vec::new();
    let mut rest = haystack;
    while let Some(at) = find_ci(rest, needle) {
        out.push(&rest[..at]);
        rest = &rest[at + needle.len()..];
    }
    out.push(rest);
    out
}
