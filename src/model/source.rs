//! Where an attribute comes from in the relational database the design
//! replaces: a source table and column, a transformation of the value, or a
//! join that builds it from another table's columns — what the migration
//! contract (`migrationContract.json`) hands to the migration stage.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// An attribute's (or a key attribute's) origin in the source database.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Source {
    /// The source table (`users`).
    pub table: String,
    /// The source column (`email`); empty when the value is built by a join alone.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub column: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<Transformation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<Join>,
    /// Anything else said of the attribute's origin (a contract's
    /// `justification`, `denormalized`, `calculation`), kept as written.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub extra: BTreeMap<String, Value>,
}

impl Source {
    pub fn column(table: impl Into<String>, column: impl Into<String>) -> Self {
        Source {
            table: table.into(),
            column: column.into(),
            ..Source::default()
        }
    }

    /// `users.email`, `users.id → json-construction on users`.
    pub fn describe(&self) -> String {
        let mut text = if self.column.is_empty() {
            self.table.clone()
        } else {
            format!("{}.{}", self.table, self.column)
        };
        if let Some(t) = &self.transformation {
            text.push_str(&format!(" as {}", t.describe()));
        }
        if let Some(j) = &self.join {
            text.push_str(&format!(" with {}", j.describe()));
        }
        text
    }
}

/// How a source value is turned into the attribute's: `string-format` with a
/// `format` template (`USER#{id}`), a type conversion, …
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Transformation {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format: Option<String>,
    /// Other fields of the transformation, kept as written.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Transformation {
    pub fn describe(&self) -> String {
        match &self.format {
            Some(f) => format!("{} `{f}`", self.kind),
            None => self.kind.clone(),
        }
    }
}

/// An attribute built from another table's columns: a denormalised column
/// (`foreign-key`), an object or list of rows (`json-construction`), …
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Join {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join_condition: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select_column: Option<String>,
    /// Other fields of the join (`construction`, `join_alias`, `null_value`…), kept as written.
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl Join {
    pub fn describe(&self) -> String {
        let mut text = self.kind.clone();
        if let Some(t) = &self.target_table {
            text.push_str(&format!(" on {t}"));
        }
        if let Some(c) = &self.select_column {
            text.push_str(&format!(".{c}"));
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_contract_attribute_reads_and_writes_back_field_for_field() {
        let text = r#"{
            "table": "orders",
            "column": "user_id",
            "join": {
                "type": "foreign-key",
                "target_table": "users",
                "join_condition": "orders.user_id = users.id",
                "select_column": "email",
                "null_value": "unknown"
            },
            "extra": {"justification": "orders are listed by the user's email"}
        }"#;
        let source: Source = serde_json::from_str(text).unwrap();
        assert_eq!(
            source.describe(),
            "orders.user_id with foreign-key on users.email"
        );
        let back: Value = serde_json::to_value(&source).unwrap();
        let original: Value = serde_json::from_str(text).unwrap();
        assert_eq!(back, original);
    }
}
