//! `dynamodel check [FILE]`: the design checks and the access-pattern
//! resolution of a model, as text or JSON.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use serde_json::json;

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, Format, Source};
use crate::analysis::format::{money, plural};
use crate::analysis::{self, Analysis, Severity, Status};
use crate::model::Model;

/// Print the design checks and the access-pattern resolution of FILE.
///
/// Exit 0 without errors, 1 with errors, 2 when FILE cannot be read.
#[derive(Args, Debug, Default)]
pub struct CheckArgs {
    /// The model file (the bundled workshop model when omitted).
    file: Option<PathBuf>,
    /// The report: text for people, json for tools.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

pub fn run(args: CheckArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let source = Source::file_or_default(args.file);
    let Some(model) = source.load_or_report(err) else {
        return EXIT_UNREADABLE;
    };
    let analysis = analysis::analyze(&model);
    let written = match args.format {
        Format::Text => write_text(out, &source.display(), &model, &analysis),
        Format::Json => write_json(out, &source.display(), &model, &analysis),
    };
    if let Err(e) = written {
        let _ = writeln!(err, "dynamodel: could not write the report: {e}");
        return EXIT_UNREADABLE;
    }
    if analysis.has_errors() {
        EXIT_FINDINGS
    } else {
        EXIT_OK
    }
}

/// The human report: findings grouped by severity, then one line per pattern.
pub fn write_text(
    out: &mut dyn Write,
    source: &str,
    model: &Model,
    analysis: &Analysis,
) -> std::io::Result<()> {
    writeln!(
        out,
        "{source}: {} — {} tables, {} entities, {} access patterns",
        model.name,
        model.tables.len(),
        model.entities.len(),
        model.access_patterns.len()
    )?;
    for severity in Severity::ALL {
        let group: Vec<_> = analysis
            .findings
            .iter()
            .filter(|f| f.severity == severity)
            .collect();
        let title = match severity {
            Severity::Error => "Errors",
            Severity::Warning => "Warnings",
            Severity::Info => "Info",
        };
        writeln!(out, "\n{title} ({})", group.len())?;
        for f in group {
            writeln!(
                out,
                "  {:<7} {:<30} {}: {}",
                severity.label(),
                f.rule,
                f.location.path(),
                f.message
            )?;
            writeln!(out, "          hint: {}", f.hint)?;
            if let Some(fix) = &f.fix {
                writeln!(
                    out,
                    "          fix:  {}{}",
                    fix.label,
                    if fix.safe {
                        " (dynamodel fix applies it)"
                    } else {
                        " (dynamodel fix --rule applies it)"
                    }
                )?;
            }
        }
    }
    writeln!(out, "\nAccess patterns")?;
    for (r, p) in analysis.resolutions.iter().zip(&model.access_patterns) {
        let detail = match (&r.plan, r.status) {
            (_, Status::Outside) => format!(
                "outside DynamoDB: {}",
                p.outside_dynamodb.as_deref().unwrap_or_default()
            ),
            (_, Status::Write) => {
                format!("{} → {}", p.operation.as_str(), r.write_targets())
            }
            (Some(plan), _) => {
                let mut s = format!("{} {}", plan.call.as_str(), plan.index_label());
                if !plan.key_condition.is_empty() {
                    s.push_str(&format!(
                        "  {}  [{}]",
                        plan.key_condition.expression(),
                        plan.key_condition.values_text()
                    ));
                }
                if !plan.filters.is_empty() {
                    s.push_str(&format!("  filter: {}", plan.filters.join(", ")));
                }
                s
            }
            (None, _) => r.problem.clone().unwrap_or_default(),
        };
        writeln!(out, "  {:<5} {:<16} {detail}", p.id, r.status.label())?;
    }
    let c = analysis.counts;
    writeln!(
        out,
        "\n{}, {}, {} · estimated {}/month on demand (730-hour month)",
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.infos, "note", "notes"),
        money(analysis.costs.total())
    )
}

/// The machine-readable report: a stable JSON document.
pub fn write_json(
    out: &mut dyn Write,
    source: &str,
    model: &Model,
    analysis: &Analysis,
) -> std::io::Result<()> {
    let findings: Vec<_> = analysis
        .findings
        .iter()
        .map(|f| {
            json!({
                "rule": f.rule,
                "severity": f.severity,
                "location": f.location,
                "path": f.location.path(),
                "message": f.message,
                "hint": f.hint,
                "fix": f.fix.as_ref().map(|fix| json!({
                    "label": fix.label,
                    "changes": fix.changes,
                    "safe": fix.safe,
                })),
            })
        })
        .collect();
    let resolutions: Vec<_> = analysis
        .resolutions
        .iter()
        .map(|r| {
            let plan = r.plan.as_ref().map(|p| {
                json!({
                    "table": p.table,
                    "index": p.index,
                    "call": p.call.as_str(),
                    "key_condition": p.key_condition.expression(),
                    "values": p.key_condition.values().map(|v| json!({"name": v.name, "template": v.template})).collect::<Vec<_>>(),
                    "filters": p.filters,
                    "items_read": p.items_read,
                    "read_units": p.read_units,
                })
            });
            json!({
                "pattern": r.pattern,
                "status": r.status,
                "plan": plan,
                "alternatives": r.alternatives.iter().map(|p| p.index_label().to_string()).collect::<Vec<_>>(),
                "writes": r.writes.iter().map(|w| json!({"table": w.table, "index": w.index, "entity": w.entity, "write_units": w.write_units})).collect::<Vec<_>>(),
                "problem": r.problem,
                "note": r.note,
            })
        })
        .collect();
    let doc = json!({
        "file": source,
        "model": model.name,
        "counts": analysis.counts,
        "findings": findings,
        "resolutions": resolutions,
        "monthly_cost": (analysis.costs.total() * 100.0).round() / 100.0,
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}
