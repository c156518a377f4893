//! Reading foreign JSON with the path of every value at hand, so an importer's
//! errors say exactly where the input is wrong: `DataModel[2].KeyAttributes`.

use serde_json::{Map, Value};

use crate::model::json_kind as kind;

/// Input of the wrong shape, at a JSON path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ShapeError {
    pub path: String,
    pub message: String,
}

pub type Result<T> = std::result::Result<T, ShapeError>;

/// Paths are built as the reader walks down; each child owns its path text.
#[derive(Debug)]
pub struct Walk<'a> {
    pub value: &'a Value,
    pub path: String,
}

impl<'a> Walk<'a> {
    pub fn root(value: &'a Value) -> Self {
        Walk {
            value,
            path: String::new(),
        }
    }

    /// The path for messages; `.` for the document itself.
    pub fn path(&self) -> &str {
        if self.path.is_empty() {
            "."
        } else {
            &self.path
        }
    }

    pub fn error(&self, message: impl Into<String>) -> ShapeError {
        ShapeError {
            path: self.path().to_string(),
            message: message.into(),
        }
    }

    fn child_path(&self, key: &str) -> String {
        if self.path.is_empty() {
            key.to_string()
        } else {
            format!("{}.{key}", self.path)
        }
    }

    pub fn object(&self) -> Result<&'a Map<String, Value>> {
        self.value
            .as_object()
            .ok_or_else(|| self.error(format!("expected an object, found {}", kind(self.value))))
    }

    /// A field that must be there.
    pub fn field(&self, key: &str) -> Result<Walk<'a>> {
        let map = self.object()?;
        match map.get(key) {
            Some(value) => Ok(Walk {
                value,
                path: self.child_path(key),
            }),
            None => Err(ShapeError {
                path: self.child_path(key),
                message: format!("missing field `{key}`"),
            }),
        }
    }

    /// A field that may be missing (or null).
    pub fn opt(&self, key: &str) -> Result<Option<Walk<'a>>> {
        let map = self.object()?;
        Ok(map.get(key).filter(|v| !v.is_null()).map(|value| Walk {
            value,
            path: self.child_path(key),
        }))
    }

    pub fn str(&self) -> Result<&'a str> {
        self.value
            .as_str()
            .ok_or_else(|| self.error(format!("expected a string, found {}", kind(self.value))))
    }

    /// A non-empty string.
    pub fn name(&self) -> Result<&'a str> {
        let s = self.str()?;
        if s.trim().is_empty() {
            return Err(self.error("must not be empty"));
        }
        Ok(s)
    }

    pub fn u64(&self) -> Result<u64> {
        match self.value {
            Value::Number(n) => n.as_u64(),
            Value::String(s) => s.trim().parse().ok(),
            _ => None,
        }
        .ok_or_else(|| {
            self.error(format!(
                "expected a whole number, found {}",
                kind(self.value)
            ))
        })
    }

    /// `true` or `false` (also written as a string, as CloudFormation allows).
    pub fn bool(&self) -> Result<bool> {
        match self.value {
            Value::Bool(b) => Some(*b),
            Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
            Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
            _ => None,
        }
        .ok_or_else(|| {
            self.error(format!(
                "expected true or false, found {}",
                kind(self.value)
            ))
        })
    }

    pub fn items(&self) -> Result<Vec<Walk<'a>>> {
        let list = self
            .value
            .as_array()
            .ok_or_else(|| self.error(format!("expected an array, found {}", kind(self.value))))?;
        Ok(list
            .iter()
            .enumerate()
            .map(|(i, value)| Walk {
                value,
                path: format!("{}[{i}]", self.path),
            })
            .collect())
    }

    /// The entries of an object, in document order.
    pub fn entries(&self) -> Result<Vec<(&'a str, Walk<'a>)>> {
        Ok(self
            .object()?
            .iter()
            .map(|(k, value)| {
                (
                    k.as_str(),
                    Walk {
                        value,
                        path: self.child_path(k),
                    },
                )
            })
            .collect())
    }

    /// Strings of an array.
    pub fn strings(&self) -> Result<Vec<&'a str>> {
        self.items()?.iter().map(Walk::str).collect()
    }
}
