//! The workshop's conventions: natural partition-key values without entity
//! prefixes, GSIs named GSI1, GSI2, …, and the tables and GSIs the design expects.

use super::{Input, finding};
use crate::analysis::findings::{Finding, Location, Severity};
use crate::model::IndexKind;

/// Rules that hold only in the workshop profile (single-table designs prefix keys by type).
pub fn check_workshop(input: &Input, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    // The key attributes already looked at, one entity at a time (one buffer for all).
    let mut seen: Vec<&str> = Vec::new();
    for (e, info) in ctx.entities.iter().enumerate() {
        seen.clear();
        let Some(t) = info.table else { continue };
        for view in &ctx.tables[t].indexes {
            if view.kind == IndexKind::Lsi {
                continue;
            }
            for key in &view.partition_key {
                if seen.contains(&key.name.as_str()) {
                    continue;
                }
                seen.push(&key.name);
                let Some(tpl) = ctx.template(e, &key.name) else {
                    continue;
                };
                let prefix = tpl.leading_literal();
                if prefix.is_empty() || tpl.is_constant() {
                    continue;
                }
                let bare = tpl
                    .placeholders()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join("#");
                out.push(finding(
                    "conventions.entity-prefix",
                    Severity::Error,
                    Location::template(&info.entity.name, &key.name),
                    format!(
                        "{}[{}] = `{tpl}` puts the entity prefix `{prefix}` on partition-key values",
                        info.entity.name, key.name
                    ),
                    format!("write `{bare}`: the table already says what the item is"),
                ));
            }
        }
    }

    for table in &ctx.model.tables {
        let mut numbers = Vec::new();
        let mut misnamed = 0;
        for gsi in &table.gsis {
            match gsi_number(&gsi.name) {
                Some(n) => numbers.push(n),
                None => {
                    out.push(finding(
                        "conventions.gsi-naming",
                        Severity::Error,
                        Location::index(&table.name, &gsi.name),
                        format!(
                            "GSI `{}` of table {} is not named GSI<n>",
                            gsi.name, table.name
                        ),
                        format!("rename it GSI{}", free_number(table, misnamed)),
                    ));
                    misnamed += 1;
                }
            }
        }
        numbers.sort_unstable();
        let missing: Vec<String> = (1..=numbers.last().copied().unwrap_or(0))
            .filter(|n| !numbers.contains(n))
            .map(|n| format!("GSI{n}"))
            .collect();
        if !missing.is_empty() {
            out.push(finding(
                "conventions.gsi-naming",
                Severity::Error,
                Location::table(&table.name),
                format!(
                    "the GSIs of table {} skip {}",
                    table.name,
                    missing.join(", ")
                ),
                "number GSIs GSI1, GSI2, … without gaps",
            ));
        }
    }
}

fn gsi_number(name: &str) -> Option<u32> {
    let digits = name.strip_prefix("GSI")?;
    if digits.starts_with('0') {
        return None;
    }
    digits.parse().ok().filter(|n| *n > 0)
}

/// The `nth` GSI number (from 0) not taken in the table, for a rename hint.
fn free_number(table: &crate::model::Table, nth: usize) -> u32 {
    (1..)
        .filter(|n| !table.gsis.iter().any(|g| gsi_number(&g.name) == Some(*n)))
        .nth(nth)
        .unwrap_or(1)
}

/// The conventions block: tables and GSI names a finished design must have.
pub fn check_expected(input: &Input, out: &mut Vec<Finding>) {
    let model = input.ctx.model;
    let Some(conventions) = &model.conventions else {
        return;
    };
    for expected in &conventions.expected_tables {
        let Some(table) = model.table(&expected.name) else {
            out.push(finding(
                "conventions.expected-table",
                Severity::Error,
                Location::Model,
                format!(
                    "the design expects a table {}, and the model has none",
                    expected.name
                ),
                format!(
                    "add table {} (or rename the table that plays its part)",
                    expected.name
                ),
            ));
            continue;
        };
        for gsi in &expected.gsis {
            if table.gsi(gsi).is_none() {
                out.push(finding(
                    "conventions.expected-gsi",
                    Severity::Error,
                    Location::table(&table.name),
                    format!(
                        "the design expects GSI {gsi} on table {}, and it has none",
                        table.name
                    ),
                    format!(
                        "add {gsi} to {}, or rename the GSI that plays its part",
                        table.name
                    ),
                ));
            }
        }
    }
}
