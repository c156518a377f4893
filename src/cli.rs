//! The command line: `dynamodel check FILE [--format text|json]`, and the
//! `export` and `import` subcommands (in `transfer`).

mod deploy;
mod diff;
mod fix;
mod transfer;

use std::io::Write;
use std::path::PathBuf;

use serde_json::json;

use crate::analysis::format::{money, plural};
use crate::analysis::{self, Analysis, Severity, Status};
use crate::model::{self, Model};

/// Exit codes: no errors, design errors, unreadable input or bad usage.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

const USAGE: &str = "\
usage: dynamodel [FILE]
       dynamodel check [FILE] [--format text|json]
       dynamodel export [FILE] --to markdown|nosql-workbench|mcp-json|cloudformation|svg
                        |migration-contract
                        [--yaml] [--items N] [--baseline OLD] [-o OUT]
       dynamodel import SOURCE --from nosql-workbench|mcp-json|migration-contract|mysql
                        -o FILE
       dynamodel fix FILE [--rule ID]... [--dry-run] [-o OUT]
       dynamodel diff OLD NEW [--format text|json|markdown] [--write-rate WCU]
       dynamodel deploy FILE [--endpoint URL] [--region R] [--allow-remote] [--plan]
                        [--seed N] [--verify] [--recreate] [--table-prefix P] [--format text|json]

  check    print the design checks and the access-pattern resolution of FILE
           (the bundled workshop model when FILE is omitted);
           exit 0 without errors, 1 with errors, 2 when FILE cannot be read
  export   write FILE as dynamodb_data_model.md, a NoSQL Workbench model, the
           DynamoDB MCP server's dynamodb_data_model.json, a CloudFormation
           template (JSON, or YAML with --yaml), or its diagram as SVG (with
           the positions saved in FILE); to stdout without -o.
           --items N: sample items per entity (default 5). --baseline OLD adds
           the markdown's section on the changes since OLD. What the format
           cannot carry is listed on stderr
  import   read a NoSQL Workbench model or a dynamodb_data_model.json, or draft
           one from MySQL DDL (schema.sql, mysqldump --no-data), and write
           it as a model FILE; nothing is written when SOURCE cannot be read;
           what was guessed or left out is listed on stderr
  fix      apply the findings' quick fixes to FILE (or write OUT) and print what
           changed: every safe fix (renames GSIs to GSI<n>, drops entity
           prefixes, pins, zero-pads), or with --rule only those rules' fixes,
           removals and added inputs included. A fix that would serve any
           access pattern worse is not applied
  diff     compare two versions of a design: structure, every access
           pattern's plan before and after with a verdict, findings fixed and
           introduced, cost, partitions that crossed a limit, and the migration
           plan (times at --write-rate write units a second, default 1,000);
           markdown is a review document for a pull request;
           exit 0 when the designs are equivalent, 1 when they differ, 2 when a
           file cannot be read";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// Where a model comes from: a file, or one of the bundled samples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Sample(&'static str),
}

impl Source {
    pub fn load(&self) -> Result<Model, model::LoadError> {
        match self {
            Source::File(path) => model::load(path),
            Source::Sample(id) => model::samples::sample(id)
                .expect("bundled sample ids are constants")
                .load(),
        }
    }

    pub fn display(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Sample(id) => model::samples::sample(id)
                .map(|s| s.file_name())
                .unwrap_or_else(|| (*id).to_string()),
        }
    }
}

/// Runs the command line with `args` (without the program name); returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    match args.first().map(String::as_str) {
        Some("check") => check_command(&args[1..], out, err),
        Some("export") => transfer::export_command(&args[1..], out, err),
        Some("import") => transfer::import_command(&args[1..], out, err),
        Some("deploy") => deploy::deploy_command(&args[1..], out, err),
        Some("fix") => fix::fix_command(&args[1..], out, err),
        Some("diff") => diff::diff_command(&args[1..], out, err),
        Some("-h" | "--help" | "help") => {
            let _ = writeln!(out, "{USAGE}");
            EXIT_OK
        }
        Some("-V" | "--version") => {
            let _ = writeln!(out, "dynamodel {}", env!("CARGO_PKG_VERSION"));
            EXIT_OK
        }
        // Until the workbench window lands, opening a model checks it.
        None => check_command(&[], out, err),
        Some(file) if !file.starts_with('-') => check_command(&args[..1], out, err),
        Some(other) => usage_error(err, &format!("unknown option `{other}`")),
    }
}

fn usage_error(err: &mut dyn Write, message: &str) -> u8 {
    let _ = writeln!(err, "dynamodel: {message}\n\n{USAGE}");
    EXIT_UNREADABLE
}

fn check_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let mut format = Format::Text;
    let mut file: Option<PathBuf> = None;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        match arg.as_str() {
            "--format" | "-f" => match it.next().map(String::as_str) {
                Some("text") => format = Format::Text,
                Some("json") => format = Format::Json,
                Some(other) => {
                    return usage_error(
                        err,
                        &format!("--format takes text or json, not `{other}`"),
                    );
                }
                None => return usage_error(err, "--format needs a value: text or json"),
            },
            flag if flag.starts_with("--format=") => match &flag["--format=".len()..] {
                "text" => format = Format::Text,
                "json" => format = Format::Json,
                other => {
                    return usage_error(
                        err,
                        &format!("--format takes text or json, not `{other}`"),
                    );
                }
            },
            flag if flag.starts_with('-') => {
                return usage_error(err, &format!("unknown option `{flag}`"));
            }
            path if file.is_none() => file = Some(PathBuf::from(path)),
            extra => return usage_error(err, &format!("unexpected argument `{extra}`")),
        }
    }
    let source = match file {
        Some(path) => Source::File(path),
        None => Source::Sample(model::samples::DEFAULT_SAMPLE),
    };
    let model = match source.load() {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(err, "dynamodel: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let analysis = analysis::analyze(&model);
    let written = match format {
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
                let mut targets: Vec<String> = Vec::new();
                for w in &r.writes {
                    let label = match &w.index {
                        Some(index) => format!("{}/{index}", w.table),
                        None => w.table.to_string(),
                    };
                    if !targets.contains(&label) {
                        targets.push(label);
                    }
                }
                format!("{} → {}", p.operation.as_str(), targets.join(", "))
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
