//! The sections that judge the design: hot partitions, cost, trade-offs, and
//! the validation results (every check, the conventions, the last live run).

use super::{
    Doc, Input, LiveOutcome, cell, code, code_cell, count, inline, load_icon, money, number, plural,
};
use crate::analysis::cost::{
    READ_PRICE_PER_MILLION, STORAGE_PRICE_PER_GB_MONTH, WRITE_PRICE_PER_MILLION,
};
use crate::analysis::partitions::{PARTITION_READ_LIMIT, PARTITION_WRITE_LIMIT};
use crate::analysis::{Finding, LoadKind, PartitionLoad, RULES, Severity};

/// Loads the hot-partition section lists one by one, besides those with a finding.
const TOP_LOADS: usize = 10;

pub(super) fn hot_partitions(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Hot Partition Analysis");
    doc.line(format!(
        "Each partition serves up to {} RCU and {} WCU per second. ✅ below half of that, ⚠️ from half, ❌ past it.",
        count(PARTITION_READ_LIMIT),
        count(PARTITION_WRITE_LIMIT)
    ));
    doc.blank();
    let loads = &input.analysis.partitions.loads;
    if loads.is_empty() {
        doc.line("No pattern puts load on a partition key.");
    }
    let (shown, rest) = loads_to_show(loads);
    if !rest.is_empty() {
        doc.line(format!(
            "The {} heaviest of the {} loads by share of the partition limit (every load from half the limit is among them):",
            shown.len(),
            count(loads.len() as f64)
        ));
        doc.blank();
    }
    for load in shown {
        doc.line(load_line(input, load));
    }
    if let Some(highest) = rest.first() {
        doc.line(format!(
            "- … and {}, the heaviest at {}% of its partition's limit {}",
            plural(rest.len(), "more load", "more loads"),
            percent(highest.share),
            load_icon(highest.share)
        ));
    }
    let groups = &input.analysis.partitions.groups;
    if groups.is_empty() {
        return;
    }
    doc.heading(3, "Load per partition key");
    let rows: Vec<Vec<String>> = groups
        .iter()
        .map(|g| {
            let share = g.read_share().max(g.write_share());
            vec![
                cell(&g.label()),
                code_cell(&g.key),
                count(g.partitions),
                number(g.read_units),
                number(g.write_units),
                cell(&g.patterns.join(", ")),
                load_icon(share).to_string(),
            ]
        })
        .collect();
    doc.table(
        &[
            "Table/Index",
            "Partition key",
            "Partitions",
            "RCU per partition",
            "WCU per partition",
            "Patterns",
            "Status",
        ],
        &rows,
    );
}

/// Loads shown one by one: the `TOP_LOADS` heaviest and every one from half the
/// limit (each has a finding), heaviest first; then the rest, heaviest first.
pub(super) fn loads_to_show(loads: &[PartitionLoad]) -> (Vec<&PartitionLoad>, Vec<&PartitionLoad>) {
    let mut sorted: Vec<&PartitionLoad> = loads.iter().collect();
    // Stable: equal shares keep the pattern order.
    sorted.sort_by(|a, b| b.share.total_cmp(&a.share));
    let shown = sorted
        .iter()
        .enumerate()
        .take_while(|(i, load)| *i < TOP_LOADS || load.share >= 0.5)
        .count();
    let rest = sorted.split_off(shown);
    (sorted, rest)
}

/// `- **AP20** Get all categories (writes Category) — Products on `CATEGORIES`: …`
fn load_line(input: &Input, load: &PartitionLoad) -> String {
    let description = input
        .model
        .pattern(&load.pattern)
        .map(|p| format!(" {}", inline(&p.description)))
        .unwrap_or_default();
    let index = match &load.index {
        Some(i) => format!("{}/{i}", load.table),
        None => load.table.to_string(),
    };
    let key = partition_key_text(input, &load.entity, &load.table, load.index.as_deref());
    let kind = match load.kind {
        LoadKind::Read => String::new(),
        LoadKind::Write => format!(" (writes {})", inline(&load.entity)),
    };
    let partitions = match count(load.partitions).as_str() {
        "1" => "1 partition".to_string(),
        n => format!("{n} partitions"),
    };
    format!(
        "- **{}**{description}{kind} — {index}{}: {} RPS across ~{partitions} = {} RPS per partition — {} {} per partition, {}% of the {} limit {}",
        load.pattern,
        if key.is_empty() {
            String::new()
        } else {
            format!(" on {}", code(&key))
        },
        number(load.peak_rps),
        number(load.rps_per_partition),
        number(load.units_per_partition),
        load.kind.unit(),
        percent(load.share),
        count(load.kind.limit()),
        load_icon(load.share)
    )
}

/// A share as a percentage: whole from 1%, significant digits below.
fn percent(share: f64) -> String {
    let pct = share * 100.0;
    if pct >= 1.0 { count(pct) } else { number(pct) }
}

/// The partition key as an entity writes it in an index: `{email}`, `{a} + {b}`.
fn partition_key_text(input: &Input, entity: &str, table: &str, index: Option<&str>) -> String {
    let (Some(e), Some(t)) = (input.ctx.entity_index(entity), input.ctx.table_index(table)) else {
        return String::new();
    };
    let Some(view) = input.ctx.tables[t].indexes.iter().find(|v| v.name == index) else {
        return String::new();
    };
    view.partition_key
        .iter()
        .filter_map(|k| input.ctx.template(e, &k.name).map(|tpl| tpl.to_string()))
        .collect::<Vec<_>>()
        .join(" + ")
}

pub(super) fn cost_estimates(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Cost Estimates");
    let costs = &input.analysis.costs;
    let mut rows: Vec<Vec<String>> = costs
        .rows
        .iter()
        .map(|r| {
            vec![
                cell(&r.label()),
                money(r.read_cost),
                money(r.write_cost),
                format!("{} ({} GB)", money(r.storage_cost), number(r.storage_gb)),
                money(r.total()),
            ]
        })
        .collect();
    let sum = |f: fn(&crate::analysis::IndexCost) -> f64| costs.rows.iter().map(f).sum::<f64>();
    rows.push(vec![
        "**Total**".to_string(),
        format!("**{}**", money(sum(|r| r.read_cost))),
        format!("**{}**", money(sum(|r| r.write_cost))),
        format!("**{}**", money(sum(|r| r.storage_cost))),
        format!("**{}**", money(costs.total())),
    ]);
    doc.table(
        &[
            "Table/Index",
            "Monthly RCU Cost",
            "Monthly WCU Cost",
            "Storage",
            "Total Monthly Cost",
        ],
        &rows,
    );
    doc.line("Assumptions:");
    doc.blank();
    doc.line(format!(
        "- On-demand prices (us-east-1): ${READ_PRICE_PER_MILLION} per million read request units, ${WRITE_PRICE_PER_MILLION} per million write request units, ${STORAGE_PRICE_PER_GB_MONTH} per GB-month."
    ));
    doc.line("- Each pattern runs at its average RPS for a month of 730 hours.");
    doc.line("- A read unit covers 4 KB (half a unit when eventually consistent); a write unit covers 1 KB; transactions cost twice.");
    doc.line("- Writes also pay for every GSI and LSI that holds the item.");
    doc.line("- Storage from each entity's estimated item count and item size, plus 100 bytes of overhead per item and index entry.");
}

pub(super) fn trade_offs(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Trade-offs and Optimizations");
    if !input.model.trade_offs.trim().is_empty() {
        doc.line(input.model.trade_offs.trim());
        doc.blank();
    }
    let findings: Vec<&Finding> = input
        .analysis
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("gsi.") || f.rule.starts_with("consolidation."))
        .collect();
    if findings.is_empty() {
        doc.line("The checks find no unused, duplicate or redundant GSI, and no pattern that reads entities from different tables or partitions.");
        return;
    }
    doc.line("From the GSI-optimisation and consolidation checks:");
    doc.blank();
    for f in findings {
        doc.line(finding_line(f));
    }
}

pub(super) fn validation_results(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Validation Results");
    doc.line(format!(
        "**{}.** Every design check, ✅ passed, ⚠️ with warnings, ❌ with errors; notes (ℹ️) do not fail a check.",
        super::counts_text(&input.analysis)
    ));
    let mut families: Vec<&str> = Vec::new();
    for rule in RULES {
        if !families.contains(&rule.family) {
            families.push(rule.family);
        }
    }
    for family in families {
        doc.heading(3, family);
        if family == "Conventions" {
            conventions(doc, input);
        }
        for rule in RULES.iter().filter(|r| r.family == family) {
            let found: Vec<&Finding> = input
                .analysis
                .findings
                .iter()
                .filter(|f| f.rule == rule.id)
                .collect();
            let worst = found.iter().map(|f| f.severity).min();
            let icon = match worst {
                Some(Severity::Error) => "❌",
                Some(Severity::Warning) => "⚠️",
                _ => "✅",
            };
            doc.line(format!("- {icon} {} — {}", code(rule.id), rule.summary));
            for f in found {
                doc.line(format!("  {}", finding_line(f)));
            }
        }
    }
    live_run(doc, input);
}

fn finding_line(f: &Finding) -> String {
    let icon = match f.severity {
        Severity::Error => "❌",
        Severity::Warning => "⚠️",
        Severity::Info => "ℹ️",
    };
    format!(
        "- {icon} {} ({}): {} — {}",
        inline(&f.location.path()),
        code(f.rule),
        inline(&f.message),
        inline(&f.hint)
    )
}

/// The conventions block: the profile and the tables and GSIs the design expects.
fn conventions(doc: &mut Doc, input: &Input) {
    let model = input.model;
    doc.line(format!("Profile: {}.", model.profile.label()));
    doc.blank();
    match &model.conventions {
        None => doc.line("The model names no expected tables."),
        Some(c) if c.expected_tables.is_empty() => doc.line("The model names no expected tables."),
        Some(c) => {
            doc.line("Expected tables and GSIs:");
            doc.blank();
            for expected in &c.expected_tables {
                let table = model.table(&expected.name);
                let gsis: Vec<String> = expected
                    .gsis
                    .iter()
                    .map(|g| {
                        let ok = table.is_some_and(|t| t.gsi(g).is_some());
                        format!("{} {}", if ok { "✅" } else { "❌" }, code(g))
                    })
                    .collect();
                doc.line(format!(
                    "- {} {}{}",
                    if table.is_some() { "✅" } else { "❌" },
                    code(&expected.name),
                    if gsis.is_empty() {
                        String::new()
                    } else {
                        format!(": {}", gsis.join(", "))
                    }
                ));
            }
        }
    }
    doc.blank();
}

fn live_run(doc: &mut Doc, input: &Input) {
    doc.heading(3, "Live Run");
    let Some(run) = input.live_run else {
        doc.line("No live run recorded: deploy the model to DynamoDB Local and verify its access patterns to see each one answer here.");
        return;
    };
    let failed = run
        .results
        .iter()
        .filter(|r| r.outcome == LiveOutcome::Failed)
        .count();
    let passed = run
        .results
        .iter()
        .filter(|r| r.outcome == LiveOutcome::Passed)
        .count();
    doc.line(format!(
        "Against {}: {} passed, {} failed, {} not run.",
        inline(&run.target),
        passed,
        failed,
        plural(run.results.len() - passed - failed, "pattern", "patterns")
    ));
    let rows: Vec<Vec<String>> = run
        .results
        .iter()
        .map(|r| {
            vec![
                cell(&r.pattern),
                match r.outcome {
                    LiveOutcome::Passed => "✅ passed",
                    LiveOutcome::Failed => "❌ failed",
                    LiveOutcome::Skipped => "➖ not run",
                }
                .to_string(),
                r.items_returned
                    .map(|n| count(n as f64))
                    .unwrap_or_default(),
                r.consumed_capacity.map(number).unwrap_or_default(),
                r.latency_ms
                    .map(|ms| format!("{} ms", number(ms)))
                    .unwrap_or_default(),
                cell(&r.detail),
            ]
        })
        .collect();
    doc.table(
        &[
            "Pattern #",
            "Result",
            "Items",
            "Consumed capacity",
            "Latency",
            "Detail",
        ],
        &rows,
    );
}
