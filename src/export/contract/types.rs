//! The migration contract's own shape, as the Modernizr workshop writes it:
//! tables with keys and GSIs, entities (or, for a single-entity table, the
//! attributes on the table itself), and for every attribute where it comes
//! from. Fields the shape does not name are kept in `extra`, as written.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::model::{AttrType, Join, Source, Transformation};

/// The fields of a table that the model itself carries: the export always
/// writes them from the model, never from what a contract kept.
pub const TABLE_OWNED: [&str; 7] = [
    "table",
    "pk",
    "sk",
    "gsis",
    "entities",
    "attributes",
    "satisfies",
];
pub const GSI_OWNED: [&str; 5] = ["index_name", "pk", "sk", "projection", "non_key_attributes"];
pub const ENTITY_OWNED: [&str; 4] = ["source_table", "pk_template", "sk_template", "attributes"];

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Contract {
    pub tables: Vec<ContractTable>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ContractTable {
    pub table: String,
    /// `multi-entity` or `single-entity`.
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_table: Option<String>,
    pub pk: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sk: Option<String>,
    #[serde(default)]
    pub gsis: Vec<ContractGsi>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entities: Option<Vec<ContractEntity>>,
    /// A single-entity table's attributes, written on the table.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Vec<ContractAttribute>>,
    /// Access pattern ids the table serves.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub satisfies: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub estimated_item_size_bytes: Option<Value>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// A GSI key: one attribute, or (DynamoDB's multi-attribute keys) a list.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(untagged)]
pub enum KeyNames {
    One(String),
    Many(Vec<String>),
}

impl KeyNames {
    pub fn names(&self) -> Vec<&str> {
        match self {
            KeyNames::One(name) => vec![name.as_str()],
            KeyNames::Many(names) => names.iter().map(String::as_str).collect(),
        }
    }

    pub fn of(names: &[&str]) -> Option<KeyNames> {
        match names {
            [] => None,
            [one] => Some(KeyNames::One(one.to_string())),
            many => Some(KeyNames::Many(many.iter().map(|n| n.to_string()).collect())),
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ContractGsi {
    pub index_name: String,
    pub pk: KeyNames,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sk: Option<KeyNames>,
    /// `ALL`, `KEYS_ONLY` or `INCLUDE`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub projection: Option<String>,
    /// The attributes an `INCLUDE` projection copies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub non_key_attributes: Option<Vec<String>>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ContractEntity {
    /// `USER`, `ORDER`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub entity_type: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pk_template: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sk_template: Option<String>,
    #[serde(default)]
    pub attributes: Vec<ContractAttribute>,
    #[serde(flatten)]
    pub extra: Map<String, Value>,
}

/// One attribute and where it comes from; key attributes (`PK`, `GSI1SK`) too.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ContractAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub attr_type: AttrType,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_column: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transformation: Option<Transformation>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub join: Option<Join>,
    /// `denormalized`, `justification`, `calculation`, …
    #[serde(flatten)]
    pub extra: BTreeMap<String, Value>,
}

impl ContractAttribute {
    pub fn new(name: &str, attr_type: AttrType, source: Option<&Source>) -> Self {
        let mut attribute = ContractAttribute {
            name: name.to_string(),
            attr_type,
            source_table: None,
            source_column: None,
            transformation: None,
            join: None,
            extra: BTreeMap::new(),
        };
        if let Some(source) = source {
            attribute.source_table = Some(source.table.clone()).filter(|t| !t.is_empty());
            attribute.source_column = Some(source.column.clone()).filter(|c| !c.is_empty());
            attribute.transformation = source.transformation.clone();
            attribute.join = source.join.clone();
            attribute.extra = source.extra.clone();
        }
        attribute
    }

    /// Where the attribute comes from, if the contract says anything of it.
    pub fn source(&self) -> Option<Source> {
        let said = self.source_table.is_some()
            || self.source_column.is_some()
            || self.transformation.is_some()
            || self.join.is_some()
            || !self.extra.is_empty();
        said.then(|| Source {
            table: self.source_table.clone().unwrap_or_default(),
            column: self.source_column.clone().unwrap_or_default(),
            transformation: self.transformation.clone(),
            join: self.join.clone(),
            extra: self.extra.clone(),
        })
    }
}
