//! `dynamodel export` and `dynamodel import`: the exporters and importers of
//! [`crate::export`] on the command line.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{EXIT_OK, EXIT_UNREADABLE, Source, usage_error};
use crate::analysis::sample_items::{MAX_SAMPLE_ITEMS, SampleCounts};
use crate::export::{self, ExportFormat, ExportOptions, ImportFormat, Report};
use crate::model;

/// `dynamodel export [FILE] --to FORMAT [--yaml] [--items N] [--baseline OLD] [-o OUT]`
pub fn export_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let parsed = match Options::parse(
        args,
        &["--to", "--items", "--output", "--baseline"],
        &["--yaml"],
    ) {
        Ok(p) => p,
        Err(message) => return usage_error(err, &message),
    };
    let ids = ExportFormat::ALL.map(ExportFormat::id).join("|");
    let format = match parsed.value("--to") {
        None => return usage_error(err, &format!("export needs --to {ids}")),
        Some(id) => match ExportFormat::from_id(id) {
            Some(f) => f,
            None => return usage_error(err, &format!("--to takes {ids}, not `{id}`")),
        },
    };
    let yaml = parsed.switch("--yaml");
    if yaml && format != ExportFormat::CloudFormation {
        return usage_error(err, "--yaml is for --to cloudformation");
    }
    let samples = match parsed.value("--items").map(str::parse) {
        None => SampleCounts::default(),
        Some(Ok(n)) if n <= MAX_SAMPLE_ITEMS => SampleCounts::uniform(n),
        Some(_) => {
            return usage_error(
                err,
                &format!(
                    "--items takes a number of sample items per entity, at most {MAX_SAMPLE_ITEMS}"
                ),
            );
        }
    };
    let source = match parsed.positional.as_slice() {
        [] => Source::Sample(model::samples::DEFAULT_SAMPLE),
        [file] => Source::File(PathBuf::from(file)),
        [_, extra, ..] => return usage_error(err, &format!("unexpected argument `{extra}`")),
    };
    let model = match source.load() {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(err, "dynamodel: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let baseline = match parsed.value("--baseline") {
        None => None,
        Some(_) if format != ExportFormat::Markdown => {
            return usage_error(err, "--baseline is for --to markdown");
        }
        Some(path) => match Source::File(PathBuf::from(path)).load() {
            Ok(m) => Some(Box::new(m)),
            Err(e) => {
                let _ = writeln!(err, "dynamodel: {e}");
                return EXIT_UNREADABLE;
            }
        },
    };
    let options = ExportOptions {
        samples,
        yaml,
        live_run: None,
        baseline,
    };
    let exported = export::export(&model, format, &options);
    let output = parsed.value("--output").map(PathBuf::from);
    if let (Some(out_path), Source::File(in_path)) = (&output, &source)
        && model::same_file(in_path, out_path)
    {
        return usage_error(
            err,
            &format!(
                "-o {} is the file being exported: write the export elsewhere",
                out_path.display()
            ),
        );
    }
    let written = match &output {
        Some(path) => model::write_atomically(path, exported.text.as_bytes())
            .map_err(|e| format!("could not write {}: {e}", path.display())),
        None => out
            .write_all(exported.text.as_bytes())
            .map_err(|e| format!("could not write the export: {e}")),
    };
    if let Err(message) = written {
        let _ = writeln!(err, "dynamodel: {message}");
        return EXIT_UNREADABLE;
    }
    print_report(err, &exported.report);
    if let Some(path) = output {
        let _ = writeln!(
            err,
            "dynamodel: wrote {} ({})",
            path.display(),
            format.label()
        );
    }
    EXIT_OK
}

/// `dynamodel import SOURCE --from FORMAT -o FILE`
pub fn import_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let parsed = match Options::parse(args, &["--from", "--output"], &[]) {
        Ok(p) => p,
        Err(message) => return usage_error(err, &message),
    };
    let ids = ImportFormat::ALL.map(ImportFormat::id).join("|");
    let format = match parsed.value("--from") {
        None => return usage_error(err, &format!("import needs --from {ids}")),
        Some(id) => match ImportFormat::from_id(id) {
            Some(f) => f,
            None => return usage_error(err, &format!("--from takes {ids}, not `{id}`")),
        },
    };
    let source = match parsed.positional.as_slice() {
        [] => return usage_error(err, "import needs the file to read"),
        [file] => PathBuf::from(file),
        [_, extra, ..] => return usage_error(err, &format!("unexpected argument `{extra}`")),
    };
    let Some(output) = parsed.value("--output").map(PathBuf::from) else {
        let message = format!(
            "import needs -o FILE (a .{} file to write)",
            model::FILE_EXTENSION
        );
        return usage_error(err, &message);
    };
    if model::same_file(&source, &output) {
        return usage_error(
            err,
            &format!(
                "-o {} is the file being imported: write the model elsewhere",
                output.display()
            ),
        );
    }
    let imported = match export::import(&source, format) {
        Ok(i) => i,
        Err(e) => {
            let _ = writeln!(err, "dynamodel: {e}");
            let _ = writeln!(err, "dynamodel: nothing written");
            return EXIT_UNREADABLE;
        }
    };
    if let Err(e) = check_loads(&imported.model, &output) {
        let _ = writeln!(err, "dynamodel: the imported model does not read back: {e}");
        let _ = writeln!(err, "dynamodel: nothing written");
        return EXIT_UNREADABLE;
    }
    if let Err(e) = model::save(&imported.model, &output) {
        let _ = writeln!(err, "dynamodel: {e}");
        return EXIT_UNREADABLE;
    }
    print_report(err, &imported.report);
    let m = &imported.model;
    let _ = writeln!(
        out,
        "{}: {} — {} tables, {} entities, {} access patterns",
        output.display(),
        m.name,
        m.tables.len(),
        m.entities.len(),
        m.access_patterns.len()
    );
    EXIT_OK
}

/// The model as it will be written must load again (a guard against an importer bug).
fn check_loads(m: &model::Model, path: &Path) -> Result<(), String> {
    let text = model::to_json(m).map_err(|e| e.to_string())?;
    model::load_str(&text, path)
        .map(|_| ())
        .map_err(|e| e.to_string())
}

fn print_report(err: &mut dyn Write, report: &Report) {
    for note in &report.notes {
        let _ = writeln!(err, "dynamodel: {note}");
    }
}

/// A subcommand's arguments: options with a value (`--to md`, `--to=md`, `-t md`),
/// switches, and the words in between.
pub(super) struct Options<'a> {
    values: Vec<(&'static str, &'a str)>,
    switches: Vec<&'static str>,
    pub(super) positional: Vec<&'a str>,
}

impl<'a> Options<'a> {
    pub(super) fn parse(
        args: &'a [String],
        valued: &[&'static str],
        switches: &[&'static str],
    ) -> Result<Self, String> {
        let mut parsed = Options {
            values: Vec::new(),
            switches: Vec::new(),
            positional: Vec::new(),
        };
        let mut it = args.iter();
        while let Some(arg) = it.next() {
            let (flag, inline) = match arg.split_once('=') {
                Some((flag, value)) if flag.starts_with("--") => (flag, Some(value)),
                _ => (arg.as_str(), None),
            };
            let long = match flag {
                "-t" => "--to",
                "-f" => "--from",
                "-o" => "--output",
                other => other,
            };
            if let Some(&name) = valued.iter().find(|v| **v == long) {
                let value = inline
                    .or_else(|| it.next().map(String::as_str))
                    .ok_or_else(|| format!("{flag} needs a value"))?;
                parsed.values.push((name, value));
            } else if let Some(&name) = switches.iter().find(|s| **s == long) {
                parsed.switches.push(name);
            } else if flag.starts_with('-') {
                return Err(format!("unknown option `{flag}`"));
            } else {
                parsed.positional.push(arg);
            }
        }
        Ok(parsed)
    }

    /// The last value given for `name`.
    pub(super) fn value(&self, name: &str) -> Option<&'a str> {
        self.values
            .iter()
            .rev()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| *v)
    }

    /// Every value given for `name`, in order.
    pub(super) fn all(&self, name: &str) -> Vec<&'a str> {
        self.values
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, v)| *v)
            .collect()
    }

    pub(super) fn switch(&self, name: &str) -> bool {
        self.switches.contains(&name)
    }
}
