//! `## Access Pattern Mapping`: the resolved call of every solved pattern, and
//! the patterns DynamoDB does not serve with a key condition.

use super::{Doc, Input, bytes, cell, code_cell, inline, number};
use crate::analysis::resolve::display_template;
use crate::analysis::{KeyOp, KeyPart, Plan, Resolution, Status};
use crate::model::{AccessPattern, Consistency, Operation, SortOrder, Template};

pub(super) fn access_pattern_mapping(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Access Pattern Mapping");
    doc.heading(3, "Solved Patterns");
    let pairs: Vec<(&Resolution, &AccessPattern)> = input
        .analysis
        .resolutions
        .iter()
        .zip(&input.model.access_patterns)
        .collect();
    let solved: Vec<Vec<String>> = pairs
        .iter()
        .filter(|(r, _)| {
            matches!(
                r.status,
                Status::Served | Status::NeedsFilter | Status::Write
            )
        })
        .map(|(r, p)| solved_row(input, r, p))
        .collect();
    if solved.is_empty() {
        doc.line("No pattern is served by DynamoDB yet.");
    } else {
        doc.table(
            &[
                "Pattern #",
                "Description",
                "Type",
                "Peak RPS",
                "Items Returned",
                "Avg Item Size",
                "Table/GSI Used",
                "DynamoDB Operations",
                "Implementation Notes",
            ],
            &solved,
        );
    }
    doc.heading(3, "Unsolved Patterns & Alternatives");
    let unsolved: Vec<Vec<String>> = pairs
        .iter()
        .filter(|(r, _)| {
            matches!(
                r.status,
                Status::Outside | Status::NeedsScan | Status::Unresolved
            )
        })
        .map(|(r, p)| unsolved_row(r, p))
        .collect();
    if unsolved.is_empty() {
        doc.line("None: DynamoDB serves every pattern with a key condition or a write.");
    } else {
        doc.table(
            &["Pattern #", "Description", "Status", "Alternative"],
            &unsolved,
        );
    }
}

fn solved_row(input: &Input, r: &Resolution, p: &AccessPattern) -> Vec<String> {
    let entity = p.primary_entity().and_then(|n| input.ctx.entity_index(n));
    let mut notes: Vec<String> = Vec::new();
    let (kind, used, operation, size) = match &r.plan {
        Some(plan) => {
            let (op, bindings) = read_call(plan, p);
            notes.extend(binding_notes(bindings));
            if p.sort == SortOrder::Descending {
                notes.push("newest first (ScanIndexForward = false)".into());
            }
            if !plan.selective {
                notes.push(
                    "the key condition also reads other entities' items; a filter drops them"
                        .into(),
                );
            }
            let size = entity.and_then(|e| {
                input.ctx.entities[e]
                    .index_size
                    .get(plan.index_pos)
                    .copied()
            });
            ("Read", plan_label(plan), op, size)
        }
        None => {
            let (op, bindings) = write_call(input, p);
            notes.extend(binding_notes(bindings));
            let mut used: Vec<String> = Vec::new();
            for w in &r.writes {
                let label = match &w.index {
                    Some(i) => format!("{}/{i}", w.table),
                    None => w.table.to_string(),
                };
                if !used.contains(&label) {
                    used.push(label);
                }
            }
            let size = entity.map(|e| input.ctx.entities[e].item_size);
            ("Write", used.join(", "), op, size)
        }
    };
    if p.consistency == Consistency::Strong {
        notes.push("strongly consistent".into());
    }
    notes.extend(r.note.iter().cloned());
    notes.extend(r.problem.iter().cloned());
    if !p.notes.trim().is_empty() {
        notes.push(p.notes.trim().to_string());
    }
    vec![
        cell(&p.id),
        cell(&p.description),
        kind.to_string(),
        number(p.peak_rps),
        p.items.to_string(),
        size.map(bytes).unwrap_or_default(),
        cell(&used),
        code_cell(&operation),
        cell(&notes.join("; ")),
    ]
}

fn unsolved_row(r: &Resolution, p: &AccessPattern) -> Vec<String> {
    let (status, alternative) = match r.status {
        Status::Outside => (
            "Outside DynamoDB",
            p.outside_dynamodb.clone().unwrap_or_default(),
        ),
        Status::NeedsScan => {
            let scan = r
                .plan
                .as_ref()
                .map(|plan| {
                    format!(
                        "Scan of {} reads ~{} items per call; an index whose partition key the pattern knows would serve it with a Query",
                        plan_label(plan),
                        number(plan.items_read)
                    )
                })
                .unwrap_or_default();
            ("Needs a scan", scan)
        }
        _ => {
            let mut text = r.problem.clone().unwrap_or_default();
            if !r.alternatives.is_empty() {
                let labels: Vec<String> = r.alternatives.iter().map(plan_label).collect();
                text.push_str(&format!("; could be served by {}", labels.join(", ")));
            }
            ("Unresolved", text)
        }
    };
    vec![
        cell(&p.id),
        cell(&p.description),
        status.to_string(),
        cell(&alternative),
    ]
}

fn plan_label(plan: &Plan) -> String {
    match &plan.index {
        Some(i) => format!("{}/{i}", plan.table),
        None => plan.table.to_string(),
    }
}

/// Values whose template mixes literals and attributes, each with the names
/// that stand for it in a call.
type Bindings = Vec<(String, Vec<String>)>;

/// `:sk_from, :sk_to = ORDER#{created_at}`.
fn binding_notes(bindings: Bindings) -> impl Iterator<Item = String> {
    bindings
        .into_iter()
        .map(|(template, names)| format!("{} = {template}", names.join(", ")))
}

/// `Query(PK=:email, begins_with(SK, "CART#"))`, and the bindings of values
/// whose template mixes literals and attributes (`:sk = ORDER#{created_at}`).
fn read_call(plan: &Plan, p: &AccessPattern) -> (String, Bindings) {
    let mut bindings = Vec::new();
    let parts: Vec<String> = plan
        .key_condition
        .parts
        .iter()
        .map(|part| condition(part, &mut bindings))
        .collect();
    let mut call = plan.call.as_str().to_string();
    if !parts.is_empty() {
        call.push_str(&format!("({})", parts.join(", ")));
    }
    if plan.call == Operation::BatchGetItem && p.items > 1 {
        call.push_str(&format!(" × {} keys", p.items));
    }
    if !plan.filters.is_empty() {
        call.push_str(&format!(" + filter({})", plan.filters.join(", ")));
    }
    (call, bindings)
}

fn condition(part: &KeyPart, bindings: &mut Bindings) -> String {
    let mut value = |i: usize| match part.values.get(i) {
        Some(v) => operand(&v.name, &v.template, bindings),
        None => "?".to_string(),
    };
    let a = &part.attribute;
    match part.op {
        KeyOp::Eq => format!("{a}={}", value(0)),
        KeyOp::Lt => format!("{a}<{}", value(0)),
        KeyOp::Le => format!("{a}<={}", value(0)),
        KeyOp::Gt => format!("{a}>{}", value(0)),
        KeyOp::Ge => format!("{a}>={}", value(0)),
        KeyOp::Between => {
            let from = value(0);
            format!("{a} BETWEEN {from} AND {}", value(1))
        }
        KeyOp::BeginsWith => format!("begins_with({a}, {})", value(0)),
    }
}

/// A value as the call shows it: `:email` for one attribute, `"CART#"` for a
/// literal, the value's name (with a binding note) for anything mixed.
fn operand(name: &str, template: &str, bindings: &mut Bindings) -> String {
    match Template::parse(template) {
        Ok(t) if t.single_placeholder().is_some() => name.to_string(),
        Ok(t) if t.is_constant() => display_template(template),
        _ => {
            let shown = display_template(template);
            match bindings.iter_mut().find(|(t, _)| *t == shown) {
                Some((_, names)) => names.push(name.to_string()),
                None => bindings.push((shown, vec![name.to_string()])),
            }
            name.to_string()
        }
    }
}

/// A write and where it lands: `UpdateItem(PK=:email, SK="#META")`, or the
/// entities a transaction or batch writes.
fn write_call(input: &Input, p: &AccessPattern) -> (String, Bindings) {
    let op = p.operation.as_str();
    if matches!(
        p.operation,
        Operation::TransactWriteItems | Operation::BatchWriteItem
    ) {
        let entities: Vec<String> = p.entities.iter().map(|e| inline(e)).collect();
        let mut call = format!("{op}({})", entities.join(", "));
        if p.operation == Operation::BatchWriteItem && p.items > 1 {
            call.push_str(&format!(" × {} items", p.items));
        }
        return (call, Vec::new());
    }
    let Some(e) = p.primary_entity().and_then(|n| input.ctx.entity_index(n)) else {
        return (op.to_string(), Vec::new());
    };
    let Some(t) = input.ctx.entities[e].table else {
        return (op.to_string(), Vec::new());
    };
    let mut bindings = Vec::new();
    let keys: Vec<String> = input.ctx.tables[t].indexes[0]
        .key_attributes()
        .filter_map(|k| {
            let tpl = input.ctx.template(e, &k.name)?;
            let name = match tpl.single_placeholder() {
                Some(attr) => format!(":{attr}"),
                None => format!(":{}", k.name.to_ascii_lowercase()),
            };
            Some(format!(
                "{}={}",
                k.name,
                operand(&name, &tpl.to_string(), &mut bindings)
            ))
        })
        .collect();
    (format!("{op}({})", keys.join(", ")), bindings)
}
