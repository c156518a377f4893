//! Reading and writing `*.dynamodel.json` files.

use std::fs;
use std::path::{Path, PathBuf};

use serde::Deserialize;

use super::{FORMAT_VERSION, Model};

pub const FILE_EXTENSION: &str = "dynamodel.json";

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// The model is past one of `model::bounds` (a size, or a name missing or
    /// given twice).
    #[error("{path}: {source}")]
    OutOfBounds {
        path: PathBuf,
        source: super::bounds::OutOfBounds,
    },
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
    #[error("{path}:{line}:{column}: field `{field}`: {message}")]
    Field {
        path: PathBuf,
        line: usize,
        column: usize,
        field: String,
        message: String,
    },
    #[error("{path}: `format_version` is missing: this is not a dynamodel model file")]
    MissingVersion { path: PathBuf },
    #[error(
        "{path}: format_version {found} is newer than this dynamodel understands (up to {supported}): update dynamodel to open it"
    )]
    UnsupportedVersion {
        path: PathBuf,
        found: u64,
        supported: u32,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum SaveError {
    #[error("could not write {path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("could not encode the model: {0}")]
    Encode(#[from] serde_json::Error),
}

#[derive(Deserialize)]
struct VersionProbe {
    format_version: Option<serde_json::Value>,
}

/// Reads a model file. Errors name the file, the line and column, and the field.
pub fn load(path: &Path) -> Result<Model, LoadError> {
    let text = fs::read_to_string(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    load_str(&text, path)
}

/// Parses model JSON; `path` only names the source in errors.
pub fn load_str(text: &str, path: &Path) -> Result<Model, LoadError> {
    let probe: VersionProbe =
        serde_json::from_str(text).map_err(|e| syntax_or_field(e, path, String::new()))?;
    match probe.format_version {
        None => {
            return Err(LoadError::MissingVersion {
                path: path.to_path_buf(),
            });
        }
        Some(serde_json::Value::Number(n))
            if n.as_u64().is_some_and(|v| v > u64::from(FORMAT_VERSION)) =>
        {
            return Err(LoadError::UnsupportedVersion {
                path: path.to_path_buf(),
                found: n.as_u64().unwrap_or_default(),
                supported: FORMAT_VERSION,
            });
        }
        Some(_) => {}
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let model: Model = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let field = e.path().to_string();
        syntax_or_field(e.into_inner(), path, field)
    })?;
    super::bounds::check(&model).map_err(|source| LoadError::OutOfBounds {
        path: path.to_path_buf(),
        source,
    })?;
    Ok(model)
}

fn syntax_or_field(e: serde_json::Error, path: &Path, field: String) -> LoadError {
    use serde_json::error::Category;
    match e.classify() {
        Category::Syntax | Category::Eof | Category::Io => LoadError::Syntax {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        },
        Category::Data => LoadError::Field {
            path: path.to_path_buf(),
            line: e.line(),
            column: e.column(),
            field: if field.is_empty() { ".".into() } else { field },
            message: strip_position(&e.to_string()),
        },
    }
}

/// serde_json appends " at line L column C"; the error carries those separately.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(pos) => message[..pos].to_string(),
        None => message.to_string(),
    }
}

/// The canonical text of a model: pretty JSON in a fixed field order, ending in a newline.
pub fn to_json(model: &Model) -> Result<String, serde_json::Error> {
    let mut text = serde_json::to_string_pretty(model)?;
    text.push('\n');
    Ok(text)
}

/// Writes the model atomically: a temporary file beside the target, flushed to
/// disk, then renamed over it, so a crash leaves either the old or the new file.
pub fn save(model: &Model, path: &Path) -> Result<(), SaveError> {
    let text = to_json(model)?;
    super::write::write_atomically(path, text.as_bytes()).map_err(|source| SaveError::Io {
        path: path.to_path_buf(),
        source,
    })
}
