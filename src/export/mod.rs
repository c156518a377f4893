//! Documents and interchange formats made from a model, and models read back
//! from the foreign formats: `dynamodb_data_model.md`, NoSQL Workbench JSON, the
//! DynamoDB MCP server's `dynamodb_data_model.json`, CloudFormation, and the
//! diagram as SVG; a first draft read from MySQL DDL (`schema.sql`).
//!
//! Every exporter is deterministic (the same model gives byte-identical output),
//! and every exporter and importer returns a [`Report`] of what the other format
//! could not carry, what was kept elsewhere, and what was guessed — nothing is
//! dropped silently.

pub mod aws_cli;
pub mod cloudformation;
pub mod contract;
mod infer;
mod json_read;
pub mod markdown;
pub mod mcp_json;
pub mod mysql;
pub mod nosql_workbench;
pub mod schema;
pub mod svg;
mod yaml;

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::analysis::sample_items::SampleCounts;
use crate::model::Model;
pub use markdown::{LivePatternResult, LiveRun};

/// The formats a model can be written to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    Markdown,
    NosqlWorkbench,
    McpJson,
    CloudFormation,
    /// The diagram, as a standalone SVG.
    Svg,
    /// The Modernizr workshop's `migrationContract.json`.
    MigrationContract,
}

impl ExportFormat {
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Markdown,
        ExportFormat::NosqlWorkbench,
        ExportFormat::McpJson,
        ExportFormat::CloudFormation,
        ExportFormat::Svg,
        ExportFormat::MigrationContract,
    ];

    /// The name the command line uses: `markdown`, `nosql-workbench`, `mcp-json`,
    /// `cloudformation`, `svg`, `migration-contract`.
    pub fn id(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "markdown",
            ExportFormat::NosqlWorkbench => "nosql-workbench",
            ExportFormat::McpJson => "mcp-json",
            ExportFormat::CloudFormation => "cloudformation",
            ExportFormat::Svg => "svg",
            ExportFormat::MigrationContract => "migration-contract",
        }
    }

    pub fn from_id(id: &str) -> Option<ExportFormat> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            ExportFormat::Markdown => "Data model document (dynamodb_data_model.md)",
            ExportFormat::NosqlWorkbench => "NoSQL Workbench model (JSON)",
            ExportFormat::McpJson => "DynamoDB MCP validation input (dynamodb_data_model.json)",
            ExportFormat::CloudFormation => "CloudFormation template",
            ExportFormat::Svg => "Diagram (SVG)",
            ExportFormat::MigrationContract => "Migration contract (migrationContract.json)",
        }
    }

    /// The file name a save dialog proposes.
    pub fn default_file_name(self, model: &Model, yaml: bool) -> String {
        match self {
            ExportFormat::Markdown => "dynamodb_data_model.md".to_string(),
            ExportFormat::McpJson => "dynamodb_data_model.json".to_string(),
            ExportFormat::NosqlWorkbench => format!("{}.json", file_stem(&model.name)),
            ExportFormat::CloudFormation if yaml => format!("{}.cfn.yaml", file_stem(&model.name)),
            ExportFormat::CloudFormation => format!("{}.cfn.json", file_stem(&model.name)),
            ExportFormat::Svg => format!("{}.diagram.svg", file_stem(&model.name)),
            ExportFormat::MigrationContract => contract::FILE_NAME.to_string(),
        }
    }
}

/// The formats a model can be read from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ImportFormat {
    NosqlWorkbench,
    McpJson,
    /// MySQL DDL (`schema.sql`, `mysqldump --no-data`): a first draft.
    Mysql,
    /// The Modernizr workshop's `migrationContract.json`.
    MigrationContract,
}

impl ImportFormat {
    pub const ALL: [ImportFormat; 4] = [
        ImportFormat::NosqlWorkbench,
        ImportFormat::McpJson,
        ImportFormat::Mysql,
        ImportFormat::MigrationContract,
    ];

    pub fn id(self) -> &'static str {
        match self {
            ImportFormat::NosqlWorkbench => "nosql-workbench",
            ImportFormat::McpJson => "mcp-json",
            ImportFormat::Mysql => "mysql",
            ImportFormat::MigrationContract => "migration-contract",
        }
    }

    pub fn from_id(id: &str) -> Option<ImportFormat> {
        Self::ALL.into_iter().find(|f| f.id() == id)
    }

    pub fn label(self) -> &'static str {
        match self {
            ImportFormat::NosqlWorkbench => "NoSQL Workbench model (JSON)",
            ImportFormat::McpJson => "DynamoDB MCP validation input (dynamodb_data_model.json)",
            ImportFormat::Mysql => "MySQL schema (schema.sql)",
            ImportFormat::MigrationContract => "Migration contract (migrationContract.json)",
        }
    }

    /// The extension of the files the format is usually kept in.
    pub fn file_extension(self) -> &'static str {
        match self {
            ImportFormat::NosqlWorkbench
            | ImportFormat::McpJson
            | ImportFormat::MigrationContract => "json",
            ImportFormat::Mysql => "sql",
        }
    }
}

fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    let stem = stem
        .split('-')
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if stem.is_empty() {
        "model".to_string()
    } else {
        stem
    }
}

/// What an exporter or importer could not carry over, kept elsewhere, or guessed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum NoteKind {
    /// Lost: the target has no place for it.
    Dropped,
    /// Not in the target's own fields, but kept where the target ignores it.
    Kept,
    /// Guessed from what the source does carry.
    Inferred,
    /// The source was not quite well-formed and was read in the likely sense.
    Repaired,
    /// Not in the model: the export made it up (generated sample items).
    Added,
}

impl NoteKind {
    pub fn label(self) -> &'static str {
        match self {
            NoteKind::Dropped => "dropped",
            NoteKind::Kept => "kept",
            NoteKind::Inferred => "inferred",
            NoteKind::Repaired => "repaired",
            NoteKind::Added => "added",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Note {
    pub kind: NoteKind,
    /// Where: a model element (`table Users`, `entity User`) on export, a JSON
    /// path (`DataModel[0].TableFacets[1]`) on import.
    pub at: String,
    pub message: String,
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:<8} {}: {}", self.kind.label(), self.at, self.message)
    }
}

/// The notes of one export or import, in the order they were made.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Report {
    pub notes: Vec<Note>,
}

impl Report {
    pub fn push(&mut self, kind: NoteKind, at: impl Into<String>, message: impl Into<String>) {
        self.notes.push(Note {
            kind,
            at: at.into(),
            message: message.into(),
        });
    }

    pub fn is_empty(&self) -> bool {
        self.notes.is_empty()
    }

    pub fn of_kind(&self, kind: NoteKind) -> impl Iterator<Item = &Note> {
        self.notes.iter().filter(move |n| n.kind == kind)
    }
}

/// Choices an export takes beyond the model.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct ExportOptions {
    /// Sample items per entity for the formats that carry items.
    pub samples: SampleCounts,
    /// CloudFormation as YAML instead of JSON.
    pub yaml: bool,
    /// The last run of the access patterns against a live endpoint, for the
    /// markdown's Validation Results (the deployer fills it; `None` until then).
    pub live_run: Option<LiveRun>,
    /// The previous version of the design: the markdown then says what changed
    /// since (`export --to markdown --baseline OLD`).
    pub baseline: Option<Box<Model>>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Exported {
    pub text: String,
    pub report: Report,
}

/// Writes `model` in `format`.
pub fn export(model: &Model, format: ExportFormat, options: &ExportOptions) -> Exported {
    match format {
        ExportFormat::Markdown => markdown::export(model, options),
        ExportFormat::NosqlWorkbench | ExportFormat::McpJson => {
            let mut report = Report::default();
            let samples = item_counts(model, &options.samples, &mut report);
            let mut out = if format == ExportFormat::McpJson {
                mcp_json::export(model, &samples)
            } else {
                nosql_workbench::export(model, &samples)
            };
            report.notes.append(&mut out.report.notes);
            out.report = report;
            out
        }
        ExportFormat::CloudFormation => cloudformation::export(model, options.yaml),
        ExportFormat::Svg => svg::export(model),
        ExportFormat::MigrationContract => contract::export(model),
    }
}

/// The items a format that carries items writes: an entity's own items (as an
/// import brought them, or as kept in the Aggregate view) exactly as they are,
/// and `samples` generated items for each entity that has none, said in the
/// report. A count set for one entity by name is taken as it is.
pub fn item_counts(model: &Model, samples: &SampleCounts, report: &mut Report) -> SampleCounts {
    let mut counts = samples.clone();
    // (entity, generated items, whether it has items of its own)
    let mut generated: Vec<(&str, usize, bool)> = Vec::new();
    for entity in &model.entities {
        let own = !entity.example_items.is_empty();
        if samples.per_entity.contains_key(&entity.name) {
            let extra = samples
                .of(&entity.name)
                .saturating_sub(entity.example_items.len());
            if extra > 0 {
                generated.push((&entity.name, extra, own));
            }
        } else if !own {
            if samples.default > 0 {
                generated.push((&entity.name, samples.default, own));
            }
        } else {
            counts
                .per_entity
                .insert(entity.name.clone(), entity.example_items.len());
        }
    }
    if !generated.is_empty() {
        let uniform = generated
            .iter()
            .all(|(_, n, own)| *n == generated[0].1 && !own);
        let names: Vec<&str> = generated.iter().map(|(e, ..)| *e).collect();
        let text = if uniform {
            format!(
                "{} generated sample item(s) for each entity without items of its own: {}",
                generated[0].1,
                names.join(", ")
            )
        } else {
            let each: Vec<String> = generated
                .iter()
                .map(|(e, n, own)| {
                    format!("{n} for {e}{}", if *own { " (beside its own)" } else { "" })
                })
                .collect();
            format!("generated sample items: {}", each.join(", "))
        };
        report.push(NoteKind::Added, "items", text);
    }
    counts
}

#[derive(Clone, Debug, PartialEq)]
pub struct Imported {
    pub model: Model,
    pub report: Report,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("could not read {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{column}: not valid JSON: {message}")]
    Syntax {
        path: PathBuf,
        line: usize,
        column: usize,
        message: String,
    },
    /// Valid JSON of the wrong shape; `json_path` says where (`DataModel[0].TableName`).
    #[error("{path}: {json_path}: {message}")]
    Shape {
        path: PathBuf,
        json_path: String,
        message: String,
    },
    /// SQL the importer cannot read; `line` is where (the statement's or the fault's).
    #[error("{path}:{line}: {message}")]
    Sql {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// The model the file makes is past one of `model::bounds` (a size, or a
    /// name missing or given twice).
    #[error("{path}: in the model it makes, {source}")]
    OutOfBounds {
        path: PathBuf,
        source: crate::model::bounds::OutOfBounds,
    },
}

/// Reads a model from a file in `format`.
pub fn import(path: &Path, format: ImportFormat) -> Result<Imported, ImportError> {
    if format == ImportFormat::Mysql {
        let size = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        if size > mysql::MAX_BYTES as u64 {
            return Err(ImportError::Sql {
                path: path.to_path_buf(),
                line: 1,
                message: format!(
                    "the file is {size} bytes; the MySQL importer reads schemas of up to {} bytes (dump with --no-data to leave the rows out)",
                    mysql::MAX_BYTES
                ),
            });
        }
    }
    let text = std::fs::read_to_string(path).map_err(|source| ImportError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    import_str(&text, path, format)
}

/// Reads a model from text in `format`; `path` only names the source in errors.
pub fn import_str(text: &str, path: &Path, format: ImportFormat) -> Result<Imported, ImportError> {
    let read_json = match format {
        ImportFormat::NosqlWorkbench => nosql_workbench::import,
        ImportFormat::McpJson => mcp_json::import,
        ImportFormat::MigrationContract => contract::import,
        ImportFormat::Mysql => {
            let imported =
                mysql::import(text, &model_name_from(path)).map_err(|e| ImportError::Sql {
                    path: path.to_path_buf(),
                    line: e.line,
                    message: e.message,
                })?;
            return within_bounds(imported, path);
        }
    };
    let value: Value = serde_json::from_str(text).map_err(|e| ImportError::Syntax {
        path: path.to_path_buf(),
        line: e.line(),
        column: e.column(),
        message: strip_position(&e.to_string()),
    })?;
    let mut imported =
        read_json(&value, &model_name_from(path)).map_err(|e| ImportError::Shape {
            path: path.to_path_buf(),
            json_path: e.path,
            message: e.message,
        })?;
    // An importer may copy an element it built (an entity per facet, say): each
    // gets an identity of its own.
    imported.model.renew_duplicate_ids();
    within_bounds(imported, path)
}

fn within_bounds(imported: Imported, path: &Path) -> Result<Imported, ImportError> {
    crate::model::bounds::check(&imported.model).map_err(|source| ImportError::OutOfBounds {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(imported)
}

/// Reads one DynamoDB-JSON item of a foreign file leniently, reporting each
/// repair with its JSON path.
fn read_item(
    item: &json_read::Walk,
    report: &mut Report,
) -> Result<crate::model::Item, json_read::ShapeError> {
    let mut repairs = Vec::new();
    let parsed = crate::model::item_from_json_lenient(item.value, &mut repairs).map_err(|e| {
        json_read::ShapeError {
            path: format!("{}.{}", item.path(), e.path),
            message: e.message,
        }
    })?;
    for r in repairs {
        report.push(
            NoteKind::Repaired,
            format!("{}.{}", item.path(), r.path),
            r.message,
        );
    }
    Ok(parsed)
}

/// Notes the sample items left out because their primary key repeated.
fn report_duplicate_keys(set: &crate::analysis::sample_items::SampleSet, report: &mut Report) {
    for e in &set.entities {
        if e.duplicate_keys > 0 {
            report.push(
                NoteKind::Dropped,
                format!("entity {}", e.entity),
                format!(
                    "{} sample items left out: their primary key repeats another item's",
                    e.duplicate_keys
                ),
            );
        }
    }
}

/// A model name for formats that carry none: the file's stem.
fn model_name_from(path: &Path) -> String {
    path.file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "Imported model".to_string())
}

/// serde_json appends " at line L column C"; the error carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message[..pos].to_string(),
        None => message.to_string(),
    }
}

/// `a`, `a and b`, `a, b and c`.
pub(crate) fn join_list(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Pretty JSON with two-space indentation and a final newline.
fn pretty(value: &Value) -> String {
    // Serializing a `Value` cannot fail: its map keys are always strings.
    let mut text = serde_json::to_string_pretty(value).unwrap_or_default();
    text.push('\n');
    text
}
