//! Two versions of a design side by side: the review document `dynamodel diff
//! --format markdown` writes for a pull request, and the model document's
//! "Changes from the previous design" section.

use super::{Doc, cell, code_cell, count, inline, money, number, plural};
use crate::analysis::compare::{Comparison, PlanSummary, Tone, Verdict};
use crate::analysis::format::{duration, money_delta};

/// The review document of `comparison`; `old` and `new` name the two files.
pub fn review(comparison: &Comparison, old: &str, new: &str) -> String {
    let mut doc = Doc::default();
    doc.line(format!(
        "# Design review: {} → {}",
        inline(&comparison.old_name),
        inline(&comparison.new_name)
    ));
    doc.blank();
    doc.line(format!(
        "Comparing `{}` with `{}`.",
        inline(old),
        inline(new)
    ));
    write(&mut doc, comparison, 2);
    doc.finish()
}

/// The model document's section on what changed since `comparison`'s old design.
pub(super) fn section(doc: &mut Doc, comparison: &Comparison) {
    doc.heading(2, "Changes from the previous design");
    doc.line(format!("Compared with _{}_.", inline(&comparison.old_name)));
    write(doc, comparison, 3);
}

fn write(doc: &mut Doc, c: &Comparison, level: usize) {
    doc.blank();
    doc.line(summary(c));
    patterns(doc, c, level);
    structure(doc, c, level);
    cost(doc, c, level);
    findings(doc, c, level);
    partitions(doc, c, level);
    migration(doc, c, level);
}

/// One paragraph: verdicts, cost, findings, migration.
pub fn summary(c: &Comparison) -> String {
    if c.is_equivalent() {
        return "**Summary.** The two designs are equivalent: same structure, same plans, \
                same findings, same cost."
            .to_string();
    }
    let verdicts: Vec<String> = c
        .verdict_counts()
        .into_iter()
        .map(|(v, n)| format!("{} {}", count(n as f64), v.label()))
        .collect();
    format!(
        "**Summary.** {}: {}. Monthly cost {} → {} ({}). Findings: {} fixed, {} introduced, {} unchanged. \
         Structure: {}. Migration: {}, {} write units ({}, {} at {} WCU/s).",
        plural(c.patterns.len(), "access pattern", "access patterns"),
        verdicts.join(", "),
        money(c.cost.before),
        money(c.cost.after),
        money_delta(c.cost.delta()),
        count(c.findings.fixed.len() as f64),
        count(c.findings.introduced.len() as f64),
        count(c.findings.unchanged as f64),
        plural(c.structure.len(), "change", "changes"),
        plural(c.migration.steps.len(), "step", "steps"),
        count(c.migration.write_units()),
        money(c.migration.cost()),
        duration(c.migration.seconds()),
        count(c.migration.write_rate),
    )
}

fn verdict_cell(v: Verdict) -> String {
    let icon = match v.tone() {
        Tone::Better => "✅ ",
        Tone::Worse => "❌ ",
        Tone::Neutral => "",
    };
    format!("{icon}{}", v.label())
}

fn plan_cell(plan: Option<&PlanSummary>) -> String {
    let Some(p) = plan else {
        return "—".to_string();
    };
    let mut text = format!("{} {}", p.call, p.index);
    if !p.key_condition.is_empty() {
        text.push_str(&format!(": {}", p.key_condition));
    }
    let units = if p.write_units > 0.0 {
        format!(" ({} WCU)", number(p.write_units))
    } else if p.read_units > 0.0 {
        format!(" ({} RCU)", number(p.read_units))
    } else {
        String::new()
    };
    format!("{}{units}", cell(&text))
}

fn patterns(doc: &mut Doc, c: &Comparison, level: usize) {
    doc.heading(level, "Access patterns");
    if c.patterns.is_empty() {
        doc.line("Neither design has access patterns.");
        return;
    }
    let rows: Vec<Vec<String>> = c
        .patterns
        .iter()
        .map(|p| {
            let id = match &p.old_id {
                Some(old) => format!("{} (was {})", p.id, old),
                None => p.id.clone(),
            };
            let mut verdict = verdict_cell(p.verdict);
            if !p.definition.is_empty() {
                verdict.push_str(&format!("<br>{}", cell(&p.definition.join("; "))));
            }
            vec![
                cell(&id),
                cell(&p.description),
                plan_cell(p.before.as_ref()),
                plan_cell(p.after.as_ref()),
                verdict,
            ]
        })
        .collect();
    doc.table(&["AP", "Description", "Before", "After", "Verdict"], &rows);
}

fn structure(doc: &mut Doc, c: &Comparison, level: usize) {
    doc.heading(level, "Structural changes");
    if c.structure.is_empty() {
        doc.line("No table, index, entity or attribute changed.");
        return;
    }
    let rows: Vec<Vec<String>> = c
        .structure
        .iter()
        .map(|s| {
            let element = match &s.old_path {
                Some(old) => format!("{} (was {old})", s.path),
                None => s.path.clone(),
            };
            vec![
                s.element.label().to_string(),
                cell(&element),
                s.kind.label().to_string(),
                cell(&s.details.join("; ")),
            ]
        })
        .collect();
    doc.table(&["Kind", "Element", "Change", "Details"], &rows);
}

fn cost(doc: &mut Doc, c: &Comparison, level: usize) {
    doc.heading(level, "Cost");
    doc.line(
        "Monthly on-demand cost (us-east-1 prices, a 730-hour month) of each design, \
         per table and index; each total is that design's own.",
    );
    let amount = |v: Option<f64>| v.map_or_else(|| "—".to_string(), money);
    let mut rows: Vec<Vec<String>> = c
        .cost
        .rows
        .iter()
        .map(|r| {
            vec![
                cell(&r.label),
                amount(r.before),
                amount(r.after),
                money_delta(r.delta()),
            ]
        })
        .collect();
    rows.push(vec![
        "**Total**".to_string(),
        format!("**{}**", money(c.cost.before)),
        format!("**{}**", money(c.cost.after)),
        format!("**{}**", money_delta(c.cost.delta())),
    ]);
    doc.table(&["Table/Index", "Before", "After", "Change"], &rows);
}

fn findings(doc: &mut Doc, c: &Comparison, level: usize) {
    doc.heading(level, "Findings");
    doc.line(format!(
        "{} fixed, {} introduced, {} in both designs.",
        count(c.findings.fixed.len() as f64),
        count(c.findings.introduced.len() as f64),
        count(c.findings.unchanged as f64)
    ));
    for (title, list) in [
        ("Fixed", &c.findings.fixed),
        ("Introduced", &c.findings.introduced),
    ] {
        if list.is_empty() {
            continue;
        }
        doc.heading(level + 1, title);
        let rows: Vec<Vec<String>> = list
            .iter()
            .map(|f| {
                vec![
                    f.severity.label().to_string(),
                    code_cell(f.rule),
                    cell(&f.location),
                    cell(&f.message),
                ]
            })
            .collect();
        doc.table(&["Severity", "Rule", "Where", "Finding"], &rows);
    }
}

fn partitions(doc: &mut Doc, c: &Comparison, level: usize) {
    if c.partitions.is_empty() {
        return;
    }
    doc.heading(level, "Partitions that crossed a limit");
    let share =
        |s: Option<f64>| s.map_or_else(|| "—".to_string(), |s| format!("{}%", number(s * 100.0)));
    let rows: Vec<Vec<String>> = c
        .partitions
        .iter()
        .map(|p| {
            vec![
                cell(&p.index),
                code_cell(&p.key),
                p.load.to_string(),
                share(p.before),
                share(p.after),
                if p.now_hot() {
                    "❌ now hot"
                } else {
                    "✅ no longer hot"
                }
                .to_string(),
            ]
        })
        .collect();
    doc.table(
        &[
            "Table/Index",
            "Partition key",
            "Load",
            "Before (share of limit)",
            "After",
            "",
        ],
        &rows,
    );
}

fn migration(doc: &mut Doc, c: &Comparison, level: usize) {
    doc.heading(level, "Migration plan");
    let plan = &c.migration;
    if plan.is_empty() {
        doc.line("Nothing to migrate: the tables, indexes and items stay as they are.");
        return;
    }
    doc.line(format!(
        "In order. Write units: one per started KB of each item written, plus one per started KB of \
         its entry in each index; priced on demand (${} per million); times at {} write units a second. \
         Total: {} write units, {}, {}.",
        crate::analysis::cost::WRITE_PRICE_PER_MILLION,
        count(plan.write_rate),
        count(plan.write_units()),
        money(plan.cost()),
        duration(plan.seconds())
    ));
    let rows: Vec<Vec<String>> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            vec![
                (i + 1).to_string(),
                cell(&s.action.describe()),
                if s.online { "yes" } else { "no" }.to_string(),
                count(s.items as f64),
                count(s.write_units),
                money(s.cost),
                duration(s.seconds),
                cell(&s.note),
            ]
        })
        .collect();
    doc.table(
        &[
            "#",
            "Step",
            "Online",
            "Items",
            "Write units",
            "Cost",
            "Time",
            "Note",
        ],
        &rows,
    );
}
