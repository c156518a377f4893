//! Access-pattern coverage: every pattern served by a key condition, or marked as
//! served outside DynamoDB.

use std::borrow::Cow;

use super::{Input, Message, PatternInput, finding, thousands};
use crate::analysis::findings::{Finding, Fix, Location, Severity};
use crate::analysis::resolve::Status;
use crate::model::{Edit, Operation, PatternChange};

/// Whether one access pattern is served, and how well.
pub fn check_pattern(input: &Input, at: PatternInput, out: &mut Vec<Finding>) {
    let PatternInput {
        resolution: r,
        pattern,
        id,
        ..
    } = at;
    let loc = || Location::pattern(id);
    if pattern.entities.is_empty()
        && pattern.outside_dynamodb.is_none()
        && let Some(source) = &pattern.source
    {
        out.push(finding(
            "coverage.no-entity",
            Severity::Warning,
            loc(),
            format!(
                "{} names no entity: it runs as the command it was imported with{}, but the checks cannot cost it or tell which index serves it",
                pattern.id,
                source
                    .table
                    .as_deref()
                    .map(|t| format!(" on {t}"))
                    .unwrap_or_default()
            ),
            "pick the entity it reads or writes",
        ));
        return;
    }
    if pattern.entities.is_empty() && pattern.outside_dynamodb.is_none() {
        out.push(finding(
            "coverage.no-entity",
            Severity::Error,
            loc(),
            format!("{} names no entity, so nothing can serve it", pattern.id),
            "pick the entity it reads or writes, or mark it as served outside DynamoDB",
        ));
        return;
    }
    if r.status == Status::Write {
        if let Some(problem) = &r.problem {
            let f = finding(
                "coverage.write-key",
                Severity::Warning,
                loc(),
                format!("{}: {problem}", pattern.id),
                "add the missing attributes to the inputs, or read the key first (a Query) and say so in the notes",
            );
            out.push(match missing_inputs_fix(input, at) {
                Some(fix) => f.with_fix(fix),
                None => f,
            });
        }
        return;
    }
    if pattern.index.is_some()
        && let (Status::Unresolved, Some(problem)) = (r.status, &r.problem)
    {
        // The best index that serves it with a key condition; failing that, the
        // resolver's own choice once unpinned (a scan, say).
        let serving = r
            .alternatives
            .first()
            .filter(|p| p.call != Operation::Scan)
            .map(|p| p.index_label().to_string());
        let better = serving
            .as_ref()
            .map(|label| format!("pin it to {label}, which serves it"))
            .unwrap_or_else(|| "unpin it, or change the index".into());
        let f = finding(
            "coverage.pinned-index",
            Severity::Error,
            loc(),
            format!("{}: {problem}", pattern.id),
            better,
        );
        let pinned = pattern.index.as_deref().unwrap_or_default();
        let (label, changes) = match &serving {
            Some(to) => (
                format!("Pin {} to {to}", pattern.id),
                format!("{} is pinned to {to} instead of {pinned}", pattern.id),
            ),
            None => (
                format!("Unpin {}", pattern.id),
                format!(
                    "{} is no longer pinned to {pinned}: the checks pick its index",
                    pattern.id
                ),
            ),
        };
        out.push(f.with_fix(Fix {
            label,
            changes: vec![changes],
            edit: Edit::Pattern {
                pattern: pattern.uid.get(),
                change: PatternChange::Index(serving),
            },
            safe: true,
        }));
        return;
    }
    let Some(plan) = &r.plan else { return };
    let returned = pattern.items.max(1);
    let amplification = plan.amplification(returned);
    if plan.call == Operation::GetItem && returned > 1 {
        out.push(finding(
            "coverage.items-estimate",
            Severity::Warning,
            loc(),
            Message::new()
                .s(id)
                .s(" returns ")
                .u(returned)
                .s(" items per call, but a GetItem returns one: the read is costed at one item"),
            "declare it a BatchGetItem or a Query, or set its items per call to 1",
        ));
    }
    if plan.call != Operation::GetItem
        && plan.call != Operation::BatchGetItem
        && plan.partition_items.round() < f64::from(returned)
    {
        let mut message = Message::new()
            .s(id)
            .s(" returns ")
            .u(returned)
            .s(" items per call, but the model's estimates put ~")
            .n(plan.partition_items)
            .s(" ");
        for (i, entity) in pattern.entities.iter().enumerate() {
            message = message.s(if i == 0 { "" } else { ", " }).s(entity);
        }
        out.push(finding(
            "coverage.items-estimate",
            Severity::Warning,
            loc(),
            message
                .s(" items under its key condition on ")
                .s(&plan.table)
                .s(if plan.index.is_some() { "/" } else { "" })
                .s(plan.index.as_deref().unwrap_or(""))
                .s(": one of the two is wrong, and the read is costed at ")
                .n(plan.items_read)
                .s(" items"),
            "correct the pattern's items per call, or the entities' item counts and distinct values",
        ));
    }
    match r.status {
        Status::NeedsScan => out.push(finding(
            "coverage.scan",
            Severity::Warning,
            loc(),
            Message::new()
                .s(id)
                .s(" scans ")
                .s(&plan.qualified_label())
                .s(": reads ~")
                .n(plan.items_read)
                .s(" items to return ")
                .u(returned)
                .s(" (")
                .n(amplification.max(1.0))
                .s("× read amplification)"),
            scan_hint(pattern),
        )),
        Status::NeedsFilter => {
            let mut message = Message::new()
                .s(id)
                .s(" reads ~")
                .n(plan.items_read)
                .s(" items from ")
                .s(&plan.qualified_label())
                .s(" to return ")
                .u(returned)
                .s(": a filter on ");
            for (i, filter) in plan.filters.iter().enumerate() {
                message = message.s(if i == 0 { "" } else { ", " }).s(filter);
            }
            if !plan.selective {
                message = message.s(if plan.filters.is_empty() { "" } else { " and " });
            }
            if !plan.selective || plan.filters.is_empty() {
                message = message.s("the entity type");
            }
            out.push(finding(
                "coverage.filter",
                Severity::Warning,
                loc(),
                message
                    .s(" drops the rest (")
                    .s(&format_ratio(amplification))
                    .s("× read amplification)"),
                if plan.selective {
                    "put the filtered attributes into the sort key, in the order the pattern knows them"
                } else {
                    "give the entity's sort key a literal type marker (e.g. ORDER#) so the key condition selects only it"
                },
            ));
        }
        _ => {}
    }
    if let (Some(note), false) = (&r.note, matches!(r.status, Status::NeedsScan)) {
        out.push(finding(
            "coverage.get-as-query",
            Severity::Info,
            loc(),
            format!("{}: {note}", pattern.id),
            "declare the pattern as a Query, or key the table on what the pattern knows",
        ));
    }
}

/// Adds to an update's or delete's inputs the attributes its primary key is made
/// of, where its entities have them.
fn missing_inputs_fix(input: &Input, at: PatternInput) -> Option<Fix> {
    let ctx = input.ctx;
    let pattern = at.pattern;
    let e = ctx.pattern_entities(at.position).next().flatten()?;
    let t = ctx.entities[e].table?;
    let missing = crate::analysis::resolve::unbound_primary_key(ctx, pattern, e, t);
    let known = |name: &str| {
        pattern
            .entities
            .iter()
            .filter_map(|n| ctx.model.entity(n))
            .any(|en| en.attribute(name).is_some())
    };
    if missing.is_empty() || !missing.iter().all(|m| known(m)) {
        return None;
    }
    let mut inputs = pattern.inputs.clone();
    inputs.extend(missing.iter().cloned());
    Some(Fix {
        label: format!("Add {} to {}'s inputs", missing.join(", "), pattern.id),
        changes: vec![format!("{} knows {}", pattern.id, inputs.join(", "))],
        edit: Edit::Pattern {
            pattern: pattern.uid.get(),
            change: PatternChange::Inputs(inputs),
        },
        // The hint offers a second remedy (read the key first): the user picks.
        safe: false,
    })
}

fn scan_hint(pattern: &crate::model::AccessPattern) -> Cow<'static, str> {
    if pattern.inputs.is_empty() {
        "if the whole set is small, keep it in one item collection under a fixed partition key and Query it".into()
    } else {
        format!(
            "add an index keyed on {} so a Query finds the items",
            pattern.inputs.join(" + ")
        )
        .into()
    }
}

fn format_ratio(r: f64) -> String {
    if r < 10.0 {
        format!("{r:.1}")
    } else {
        thousands(r).to_string()
    }
}
