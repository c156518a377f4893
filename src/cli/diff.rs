//! `dynamodel diff OLD NEW`: two versions of a design compared pattern by
//! pattern, with the migration between them.

use std::io::{self, Write};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use serde_json::json;

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, Source};
use crate::analysis::compare::{self, Comparison, PlanSummary};
use crate::analysis::format::{count, duration, money, money_delta, number, plural};
use crate::analysis::{self};
use crate::export;

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
enum Format {
    #[default]
    Text,
    Json,
    /// A review document for a pull request.
    Markdown,
}

/// Compare two versions of a design.
///
/// Structure, every access pattern's plan before and after with a verdict,
/// findings fixed and introduced, cost, partitions that crossed a limit, and the
/// migration plan. Exit 0 when the designs are equivalent, 1 when they differ, 2
/// when a file cannot be read.
#[derive(Args, Debug)]
pub struct DiffArgs {
    /// The model file before the change.
    old: PathBuf,
    /// The model file after the change.
    new: PathBuf,
    /// The comparison as text, json, or markdown.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
    /// Write units a second the migration's times assume.
    #[arg(long, value_name = "WCU", value_parser = write_rate, default_value_t = compare::DEFAULT_WRITE_RATE)]
    write_rate: f64,
}

fn write_rate(text: &str) -> Result<f64, String> {
    text.parse::<f64>()
        .ok()
        .filter(|r| *r > 0.0 && r.is_finite())
        .ok_or_else(|| "expected write units a second (a positive number)".to_string())
}

pub fn run(args: DiffArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let options = compare::Options {
        write_rate: args.write_rate,
    };
    let format = args.format;
    let (old, new) = (Source::File(args.old), Source::File(args.new));
    let mut models = Vec::with_capacity(2);
    for source in [&old, &new] {
        let Some(model) = source.load_or_report(err) else {
            return EXIT_UNREADABLE;
        };
        models.push(model);
    }
    let (old_model, new_model) = (&models[0], &models[1]);
    let comparison = compare::compare(
        old_model,
        &analysis::analyze(old_model),
        new_model,
        &analysis::analyze(new_model),
        options,
    );
    let (old_label, new_label) = (old.display(), new.display());
    let written = match format {
        Format::Text => write_text(out, &comparison, &old_label, &new_label),
        Format::Json => write_json(out, &comparison, &old_label, &new_label),
        Format::Markdown => {
            out.write_all(export::markdown::review(&comparison, &old_label, &new_label).as_bytes())
        }
    };
    if let Err(e) = written {
        let _ = writeln!(err, "dynamodel: could not write the comparison: {e}");
        return EXIT_UNREADABLE;
    }
    if comparison.is_equivalent() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

fn write_json(out: &mut dyn Write, c: &Comparison, old: &str, new: &str) -> io::Result<()> {
    let doc = json!({
        "old": { "file": old, "model": c.old_name },
        "new": { "file": new, "model": c.new_name },
        "equivalent": c.is_equivalent(),
        "verdicts": c.verdict_counts().into_iter().map(|(v, n)| (v.label(), n)).collect::<std::collections::BTreeMap<_, _>>(),
        "structure": c.structure,
        "patterns": c.patterns,
        "findings": c.findings,
        "cost": {
            "before": c.cost.before,
            "after": c.cost.after,
            "delta": c.cost.delta(),
            "tables": c.cost.tables,
            "indexes": c.cost.rows,
        },
        "partitions": c.partitions,
        "migration": {
            "write_rate": c.migration.write_rate,
            "write_units": c.migration.write_units(),
            "cost": c.migration.cost(),
            "seconds": c.migration.seconds(),
            "steps": c.migration.steps,
        },
    });
    serde_json::to_writer_pretty(&mut *out, &doc)?;
    writeln!(out)
}

fn plan_text(plan: Option<&PlanSummary>) -> String {
    let Some(p) = plan else {
        return "—".to_string();
    };
    let mut text = format!("{} {}", p.call, p.index);
    if !p.key_condition.is_empty() {
        text.push_str(&format!("  {}", p.key_condition));
    }
    if p.write_units > 0.0 {
        text.push_str(&format!("  · {} WCU", number(p.write_units)));
    } else if p.read_units > 0.0 {
        text.push_str(&format!(
            "  · {} read, {} RCU",
            plural(p.items_read.ceil() as usize, "item", "items"),
            number(p.read_units)
        ));
    }
    text
}

fn write_text(out: &mut dyn Write, c: &Comparison, old: &str, new: &str) -> io::Result<()> {
    writeln!(out, "{} ({old}) → {} ({new})", c.old_name, c.new_name)?;
    if c.is_equivalent() {
        writeln!(out, "\nThe designs are equivalent.")?;
        return Ok(());
    }
    let verdicts: Vec<String> = c
        .verdict_counts()
        .into_iter()
        .map(|(v, n)| format!("{} {}", count(n as f64), v.label()))
        .collect();
    writeln!(
        out,
        "\nAccess patterns ({}): {}",
        count(c.patterns.len() as f64),
        verdicts.join(", ")
    )?;
    for p in &c.patterns {
        let id = match &p.old_id {
            Some(old) => format!("{} (was {old})", p.id),
            None => p.id.clone(),
        };
        writeln!(out, "  {id:<6} {:<16} {}", p.verdict.label(), p.description)?;
        if p.before.is_some() && p.after.is_some() && !p.plan_changed {
            writeln!(out, "         both:   {}", plan_text(p.after.as_ref()))?;
        } else {
            writeln!(out, "         before: {}", plan_text(p.before.as_ref()))?;
            writeln!(out, "         after:  {}", plan_text(p.after.as_ref()))?;
        }
        for change in &p.definition {
            writeln!(out, "         pattern: {change}")?;
        }
    }
    writeln!(
        out,
        "\nStructure ({})",
        plural(c.structure.len(), "change", "changes")
    )?;
    for s in &c.structure {
        let element = match &s.old_path {
            Some(old) => format!("{} (was {old})", s.path),
            None => s.path.clone(),
        };
        writeln!(
            out,
            "  {:<9} {:<9} {element}",
            s.kind.label(),
            s.element.label()
        )?;
        for d in &s.details {
            writeln!(out, "            {d}")?;
        }
    }
    writeln!(
        out,
        "\nCost per month (on demand, 730-hour month): {} → {} ({})",
        money(c.cost.before),
        money(c.cost.after),
        money_delta(c.cost.delta())
    )?;
    let amount = |v: Option<f64>| v.map_or_else(|| "—".to_string(), money);
    for r in &c.cost.rows {
        writeln!(
            out,
            "  {:<24} {:>12} → {:>12}  {}",
            r.label,
            amount(r.before),
            amount(r.after),
            money_delta(r.delta())
        )?;
    }
    writeln!(
        out,
        "\nFindings: {} fixed, {} introduced, {} unchanged",
        count(c.findings.fixed.len() as f64),
        count(c.findings.introduced.len() as f64),
        count(c.findings.unchanged as f64)
    )?;
    for (sign, list) in [
        ("fixed", &c.findings.fixed),
        ("new", &c.findings.introduced),
    ] {
        for f in list {
            writeln!(
                out,
                "  {sign:<5} {:<7} {:<30} {}: {}",
                f.severity.label(),
                f.rule,
                f.location,
                f.message
            )?;
        }
    }
    if !c.partitions.is_empty() {
        writeln!(out, "\nPartitions that crossed a limit")?;
        let share = |s: Option<f64>| {
            s.map_or_else(|| "—".to_string(), |s| format!("{}%", number(s * 100.0)))
        };
        for p in &c.partitions {
            writeln!(
                out,
                "  {:<16} {:<20} {:<5} {} → {}{}",
                p.index,
                p.key,
                p.load,
                share(p.before),
                share(p.after),
                if p.now_hot() {
                    "  now hot"
                } else {
                    "  no longer hot"
                }
            )?;
        }
    }
    let plan = &c.migration;
    writeln!(
        out,
        "\nMigration plan ({}; {} write units, {}, {} at {} WCU/s)",
        plural(plan.steps.len(), "step", "steps"),
        count(plan.write_units()),
        money(plan.cost()),
        duration(plan.seconds()),
        count(plan.write_rate)
    )?;
    for (i, s) in plan.steps.iter().enumerate() {
        writeln!(
            out,
            "  {:>2}. {}{}",
            i + 1,
            s.action.describe(),
            if s.online { "" } else { "  [not online]" }
        )?;
        if s.items > 0 || s.write_units > 0.0 {
            writeln!(
                out,
                "      {}, {} write units, {}, {}",
                plural(s.items as usize, "item", "items"),
                count(s.write_units),
                money(s.cost),
                duration(s.seconds)
            )?;
        }
        if !s.note.is_empty() {
            writeln!(out, "      {}", s.note)?;
        }
    }
    Ok(())
}
