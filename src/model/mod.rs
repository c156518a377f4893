//! The data model of a DynamoDB design: pure data, no UI, no I/O beyond the model file.

pub mod bounds;
mod contract;
mod diagram;
mod edit;
mod entity;
mod file;
mod id;
mod pattern;
pub mod samples;
pub mod schema;
mod source;
mod table;
pub mod template;
mod value;
mod write;

use serde::{Deserialize, Serialize};

pub use contract::{ContractLayout, EntityLayout, KeptFields, TableLayout};
pub use diagram::{
    DiagramPositions, Position, entity_node_id, index_node_id, pattern_node_id, table_node_id,
};
pub use edit::{
    Applied, AttributeChange, Edit, EditError, Element, EntityChange, FreshNames, IndexChange,
    ModelChange, NewIndex, PatternChange, TableChange, unique_name,
};
pub use entity::{AttrType, Attribute, Entity, Generator, KeyAlias, TimestampFormat};
pub use file::{FILE_EXTENSION, LoadError, SaveError, load, load_str, save, to_json};
pub use id::{ElementId, Uid};
pub use pattern::{
    AccessPattern, Consistency, Operation, RangeCondition, RangeOp, SortOrder, SourceCall,
};
pub use source::{Join, Source, Transformation};
pub use table::{
    Billing, Gsi, IndexKind, IndexView, KeyAttribute, KeyType, Lsi, Projection,
    ProvisionedThroughput, StreamView, Table, TimeToLive,
};
pub use template::{Segment, Template, TemplateError};
pub use value::{
    AttrValue, Item, ValueError, base64, is_number, item_from_json, item_from_json_lenient,
    item_to_json, json_kind,
};
pub use write::{TEMP_MARK, remove_stale_temp_files, same_file, write_atomically};

/// The model file format this build writes and the newest it reads.
pub const FORMAT_VERSION: u32 = 1;

/// Which family of design conventions the checks hold the model to.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Profile {
    /// The Modernizr workshop's conventions: one table per aggregate, no entity
    /// prefixes on partition keys, GSIs named GSI1, GSI2, …
    #[default]
    Workshop,
    /// Single-table design, where type prefixes on partition keys are idiomatic.
    SingleTable,
}

impl Profile {
    pub const ALL: [Profile; 2] = [Profile::Workshop, Profile::SingleTable];

    pub fn label(self) -> &'static str {
        match self {
            Profile::Workshop => "Workshop (multi-table)",
            Profile::SingleTable => "Single-table",
        }
    }
}

/// The tables (and their GSI names) a finished design is expected to have.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct Conventions {
    #[serde(default)]
    pub expected_tables: Vec<ExpectedTable>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct ExpectedTable {
    pub name: String,
    #[serde(default)]
    pub gsis: Vec<String>,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Model {
    pub format_version: u32,
    pub name: String,
    #[serde(default)]
    pub profile: Profile,
    /// Free text: the design philosophy and approach.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
    /// Free text: trade-offs and optimisations the designer made.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub trade_offs: String,
    #[serde(default)]
    pub tables: Vec<Table>,
    #[serde(default)]
    pub entities: Vec<Entity>,
    #[serde(default)]
    pub access_patterns: Vec<AccessPattern>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub conventions: Option<Conventions>,
    /// Diagram boxes the designer moved by hand; the rest are laid out automatically.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagram: Option<DiagramPositions>,
    /// What an imported migration contract said that the model has no field
    /// for, so that the contract export writes it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub migration_contract: Option<ContractLayout>,
}

impl Default for Model {
    fn default() -> Self {
        Self::new("Untitled")
    }
}

impl Model {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            format_version: FORMAT_VERSION,
            name: name.into(),
            profile: Profile::Workshop,
            description: String::new(),
            trade_offs: String::new(),
            tables: Vec::new(),
            entities: Vec::new(),
            access_patterns: Vec::new(),
            conventions: None,
            diagram: None,
            migration_contract: None,
        }
    }

    pub fn table(&self, name: &str) -> Option<&Table> {
        self.tables.iter().find(|t| t.name == name)
    }

    pub fn entity(&self, name: &str) -> Option<&Entity> {
        self.entities.iter().find(|e| e.name == name)
    }

    pub fn pattern(&self, id: &str) -> Option<&AccessPattern> {
        self.access_patterns.iter().find(|p| p.id == id)
    }

    pub fn entities_of<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a Entity> + 'a {
        self.entities.iter().filter(move |e| e.table == table)
    }
}
