//! `dynamodel fix FILE [--rule ID…] [--dry-run] [-o OUT]`: applies the findings'
//! quick fixes and prints what it changed.

use std::io::Write;
use std::path::PathBuf;

use super::transfer::Options;
use super::{EXIT_OK, EXIT_UNREADABLE, usage_error};
use crate::analysis::fixes::{FixRun, FixSelection, apply_fixes};
use crate::analysis::{Counts, RULES};
use crate::model;

pub fn fix_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let parsed = match Options::parse(args, &["--rule", "--output"], &["--dry-run"]) {
        Ok(p) => p,
        Err(message) => return usage_error(err, &message),
    };
    let file = match parsed.positional.as_slice() {
        [file] => PathBuf::from(file),
        [] => return usage_error(err, "fix needs the model FILE to fix"),
        [_, extra, ..] => return usage_error(err, &format!("unexpected argument `{extra}`")),
    };
    let rules: Vec<String> = parsed
        .all("--rule")
        .into_iter()
        .map(str::to_string)
        .collect();
    if let Some(unknown) = rules.iter().find(|r| !RULES.iter().any(|k| k.id == *r)) {
        return usage_error(err, &format!("there is no rule `{unknown}`"));
    }
    let dry_run = parsed.switch("--dry-run");
    let output = parsed.value("--output").map(PathBuf::from);
    let model = match model::load(&file) {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(err, "dynamodel: {e}");
            return EXIT_UNREADABLE;
        }
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
