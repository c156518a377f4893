//! `dynamodel fix FILE [--rule ID…] [--dry-run] [-o OUT]`: applies the findings'
//! quick fixes and prints what it changed.

use std::io::Write;
use std::path::PathBuf;

use clap::Args;
use clap::builder::{PossibleValue, PossibleValuesParser};

use super::{EXIT_OK, EXIT_UNREADABLE, Source};
use crate::analysis::fixes::{FixRun, FixSelection, apply_fixes};
use crate::analysis::{Counts, RULES};
use crate::model;

/// Apply the findings' quick fixes to FILE (or write OUT) and print what changed.
///
/// Without --rule: every safe fix (renames GSIs to GSI<n>, drops entity
/// prefixes, pins, zero-pads); with --rule only those rules' fixes, removals and
/// added inputs included. A fix that would serve any access pattern worse is not
/// applied.
#[derive(Args, Debug)]
pub struct FixArgs {
    /// The model file to fix.
    file: PathBuf,
    /// Apply this rule's fixes (repeat for several; `dynamodel check` names each
    /// finding's rule).
    #[arg(long = "rule", value_name = "ID", value_parser = rule_id(), hide_possible_values = true)]
    rules: Vec<String>,
    /// Print what would change; write nothing.
    #[arg(long)]
    dry_run: bool,
    /// Write the fixed model to OUT instead of FILE.
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

fn rule_id() -> PossibleValuesParser {
    PossibleValuesParser::new(
        RULES
            .iter()
            .map(|r| PossibleValue::new(r.id).help(r.summary)),
    )
}

pub fn run(args: FixArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let FixArgs {
        file,
        rules,
        dry_run,
        output,
    } = args;
    let Some(model) = Source::File(file.clone()).load_or_report(err) else {
        return EXIT_UNREADABLE;
    };
    let run = apply_fixes(&model, &FixSelection { rules });
    let name = file
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string());
    if let Err(e) = write_report(out, &name, &run) {
        let _ = writeln!(err, "dynamodel: could not write the report: {e}");
        return EXIT_UNREADABLE;
    }
    // With -o the output is written even when nothing changed: the caller asked for it.
    if dry_run || (run.applied.is_empty() && output.is_none()) {
        let _ = writeln!(
            out,
            "{}",
            if dry_run {
                "dry run: nothing written"
            } else {
                "nothing to write"
            }
        );
        return EXIT_OK;
    }
    let target = output.unwrap_or(file);
    if let Err(e) = model::save(&run.model, &target) {
        let _ = writeln!(err, "dynamodel: {e}");
        return EXIT_UNREADABLE;
    }
    let _ = writeln!(out, "wrote {}", target.display());
    EXIT_OK
}

fn write_report(out: &mut dyn Write, name: &str, run: &FixRun) -> std::io::Result<()> {
    writeln!(out, "{name}: {}", counts(run.before))?;
    for fix in &run.applied {
        writeln!(
            out,
            "  fixed    {:<26} {}: {}",
            fix.rule, fix.location, fix.label
        )?;
        for change in &fix.changes {
            writeln!(out, "           {change}")?;
        }
    }
    for skipped in &run.skipped {
        writeln!(
            out,
            "  skipped  {:<26} {}: {}",
            skipped.rule, skipped.label, skipped.reason
        )?;
    }
    writeln!(
        out,
        "{} fix(es) applied; now {}",
        run.applied.len(),
        counts(run.after)
    )
}

fn counts(c: Counts) -> String {
    format!(
        "{} error(s), {} warning(s), {} info",
        c.errors, c.warnings, c.infos
    )
}
