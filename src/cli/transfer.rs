//! `dynamodel export` and `dynamodel import`: the exporters and importers of
//! [`crate::export`] on the command line.

use std::io::Write;
use std::path::{Path, PathBuf};

use clap::Args;
use clap::builder::{PossibleValuesParser, TypedValueParser};

use super::{EXIT_OK, EXIT_UNREADABLE, Source, sample_count, usage_error};
use crate::analysis::sample_items::SampleCounts;
use crate::export::{self, ExportFormat, ExportOptions, ImportFormat, Report};
use crate::model;

/// Write FILE in another format: the model document, a NoSQL Workbench model,
/// the DynamoDB MCP server's JSON, a CloudFormation template, the diagram or a
/// migration contract.
///
/// Writes dynamodb_data_model.md (markdown), a NoSQL Workbench model, the
/// DynamoDB MCP server's dynamodb_data_model.json, a CloudFormation template
/// (JSON, or YAML with --yaml), the diagram as SVG (with the positions saved in
/// FILE) or the Modernizr workshop's migrationContract.json; to stdout without
/// -o. What the format cannot carry is listed on stderr.
#[derive(Args, Debug)]
pub struct ExportArgs {
    /// The model file (the bundled workshop model when omitted).
    file: Option<PathBuf>,
    /// The format to write.
    #[arg(short, long, value_name = "FORMAT", value_parser = export_format())]
    to: ExportFormat,
    /// CloudFormation as YAML instead of JSON.
    #[arg(long)]
    yaml: bool,
    /// Sample items per entity [default: 5].
    #[arg(long, value_name = "N", value_parser = sample_count)]
    items: Option<usize>,
    /// Add the markdown's section on the changes since the model file OLD.
    #[arg(long, value_name = "OLD")]
    baseline: Option<PathBuf>,
    /// Write to OUT instead of stdout (atomically; never the model file itself).
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Read a NoSQL Workbench model, a dynamodb_data_model.json or a migration
/// contract, or draft a model from MySQL DDL, and write it as a model FILE.
///
/// Nothing is written when SOURCE cannot be read; what was guessed or left out is
/// listed on stderr.
#[derive(Args, Debug)]
pub struct ImportArgs {
    /// The file to read.
    source: PathBuf,
    /// The format of SOURCE (mysql: schema.sql or mysqldump --no-data).
    #[arg(short, long, value_name = "FORMAT", value_parser = import_format())]
    from: ImportFormat,
    /// The model file to write (.dynamodel.json).
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
}

fn export_format() -> impl TypedValueParser<Value = ExportFormat> {
    PossibleValuesParser::new(ExportFormat::ALL.map(ExportFormat::id))
        .map(|id| ExportFormat::from_id(&id).expect("the possible values are the formats' ids"))
}

fn import_format() -> impl TypedValueParser<Value = ImportFormat> {
    PossibleValuesParser::new(ImportFormat::ALL.map(ImportFormat::id))
        .map(|id| ImportFormat::from_id(&id).expect("the possible values are the formats' ids"))
}

pub fn export(args: ExportArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let format = args.to;
    if args.yaml && format != ExportFormat::CloudFormation {
        return usage_error(err, "export", "--yaml is for --to cloudformation");
    }
    if args.baseline.is_some() && format != ExportFormat::Markdown {
        return usage_error(err, "export", "--baseline is for --to markdown");
    }
    let samples = args
        .items
        .map_or_else(SampleCounts::default, SampleCounts::uniform);
    let source = Source::file_or_default(args.file);
    let Some(model) = source.load_or_report(err) else {
        return EXIT_UNREADABLE;
    };
    let baseline = match args.baseline {
        None => None,
        Some(path) => match Source::File(path).load_or_report(err) {
            Some(m) => Some(Box::new(m)),
            None => return EXIT_UNREADABLE,
        },
    };
    let options = ExportOptions {
        samples,
        yaml: args.yaml,
        live_run: None,
        baseline,
    };
    if let (Some(out_path), Source::File(in_path)) = (&args.output, &source)
        && model::same_file(in_path, out_path)
    {
        let _ = writeln!(
            err,
            "dynamodel: -o {} is the file being exported: write the export elsewhere",
            out_path.display()
        );
        return EXIT_UNREADABLE;
    }
    let exported = export::export(&model, format, &options);
    let written = match &args.output {
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
    if let Some(path) = args.output {
        let _ = writeln!(
            err,
            "dynamodel: wrote {} ({})",
            path.display(),
            format.label()
        );
    }
    EXIT_OK
}

pub fn import(args: ImportArgs, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let ImportArgs {
        source,
        from: format,
        output,
    } = args;
    if model::same_file(&source, &output) {
        let _ = writeln!(
            err,
            "dynamodel: -o {} is the file being imported: write the model elsewhere",
            output.display()
        );
        return EXIT_UNREADABLE;
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
