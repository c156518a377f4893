//! Tables and their indexes: the physical key schema DynamoDB sees.

use serde::{Deserialize, Serialize};

use super::ElementId;

/// The scalar types DynamoDB allows for key attributes.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum KeyType {
    S,
    N,
    B,
}

impl KeyType {
    pub const ALL: [KeyType; 3] = [KeyType::S, KeyType::N, KeyType::B];

    pub fn as_str(self) -> &'static str {
        match self {
            KeyType::S => "S",
            KeyType::N => "N",
            KeyType::B => "B",
        }
    }
}

/// One attribute of a key schema: its name and scalar type.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Hash)]
pub struct KeyAttribute {
    pub name: String,
    #[serde(rename = "type")]
    pub key_type: KeyType,
}

impl KeyAttribute {
    pub fn new(name: impl Into<String>, key_type: KeyType) -> Self {
        Self {
            name: name.into(),
            key_type,
        }
    }

    pub fn string(name: impl Into<String>) -> Self {
        Self::new(name, KeyType::S)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
#[serde(tag = "mode", rename_all = "snake_case")]
pub enum Billing {
    #[default]
    OnDemand,
    Provisioned {
        read_capacity: u64,
        write_capacity: u64,
    },
}

impl Billing {
    /// The read and write capacity of a provisioned table; `None` on demand.
    pub fn provisioned(&self) -> Option<ProvisionedThroughput> {
        match *self {
            Billing::OnDemand => None,
            Billing::Provisioned {
                read_capacity,
                write_capacity,
            } => Some(ProvisionedThroughput {
                read_capacity,
                write_capacity,
            }),
        }
    }
}

/// Which attributes an index copies from the base item.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq, Default)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Projection {
    #[default]
    All,
    KeysOnly,
    Include {
        attributes: Vec<String>,
    },
}

impl Projection {
    pub fn label(&self) -> &'static str {
        match self {
            Projection::All => "ALL",
            Projection::KeysOnly => "KEYS_ONLY",
            Projection::Include { .. } => "INCLUDE",
        }
    }
}

/// A global secondary index. DynamoDB's multi-attribute keys allow up to four
/// attributes in each of the partition and sort key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Gsi {
    /// Identity in this run (not saved, not content).
    #[serde(skip)]
    pub uid: ElementId,
    pub name: String,
    pub partition_key: Vec<KeyAttribute>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sort_key: Vec<KeyAttribute>,
    #[serde(default)]
    pub projection: Projection,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provisioned: Option<ProvisionedThroughput>,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvisionedThroughput {
    pub read_capacity: u64,
    pub write_capacity: u64,
}

/// A local secondary index: same partition key as the table, another sort key.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Lsi {
    /// Identity in this run (not saved, not content).
    #[serde(skip)]
    pub uid: ElementId,
    pub name: String,
    pub sort_key: KeyAttribute,
    #[serde(default)]
    pub projection: Projection,
}

/// Time to live: DynamoDB deletes an item some time after the moment this
/// attribute names, a Number of seconds since the Unix epoch, has passed.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TimeToLive {
    pub attribute: String,
}

/// What a DynamoDB Stream record carries of a changed item.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StreamView {
    KeysOnly,
    NewImage,
    OldImage,
    #[default]
    NewAndOldImages,
}

impl StreamView {
    pub const ALL: [StreamView; 4] = [
        StreamView::KeysOnly,
        StreamView::NewImage,
        StreamView::OldImage,
        StreamView::NewAndOldImages,
    ];

    /// The `StreamViewType` DynamoDB takes.
    pub fn as_str(self) -> &'static str {
        match self {
            StreamView::KeysOnly => "KEYS_ONLY",
            StreamView::NewImage => "NEW_IMAGE",
            StreamView::OldImage => "OLD_IMAGE",
            StreamView::NewAndOldImages => "NEW_AND_OLD_IMAGES",
        }
    }

    pub fn parse(text: &str) -> Option<StreamView> {
        StreamView::ALL.into_iter().find(|v| v.as_str() == text)
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Table {
    /// Identity in this run (not saved, not content).
    #[serde(skip)]
    pub uid: ElementId,
    pub name: String,
    pub partition_key: KeyAttribute,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sort_key: Option<KeyAttribute>,
    #[serde(default)]
    pub billing: Billing,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gsis: Vec<Gsi>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lsis: Vec<Lsi>,
    /// Time to live, when the table expires items.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ttl: Option<TimeToLive>,
    /// The table's stream, when it has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stream: Option<StreamView>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub description: String,
}

/// Which kind of index a key schema belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum IndexKind {
    Table,
    Gsi,
    Lsi,
}

/// A borrowed view of one index (the base table counts as one) with its key schema
/// flattened, so resolution and checks treat all three kinds alike.
#[derive(Clone, Debug)]
pub struct IndexView<'a> {
    pub table: &'a Table,
    pub kind: IndexKind,
    /// `None` for the base table.
    pub name: Option<&'a str>,
    pub partition_key: Vec<&'a KeyAttribute>,
    pub sort_key: Vec<&'a KeyAttribute>,
    pub projection: Option<&'a Projection>,
}

impl<'a> IndexView<'a> {
    /// The index name as DynamoDB uses it, or the table name for the base table.
    pub fn display_name(&self) -> &'a str {
        self.name.unwrap_or(&self.table.name)
    }

    pub fn key_attributes(&self) -> impl Iterator<Item = &'a KeyAttribute> + '_ {
        self.partition_key
            .iter()
            .chain(self.sort_key.iter())
            .copied()
    }
}

impl Table {
    pub fn new(name: impl Into<String>, partition_key: KeyAttribute) -> Self {
        Self {
            uid: ElementId::default(),
            name: name.into(),
            partition_key,
            sort_key: None,
            billing: Billing::OnDemand,
            gsis: Vec::new(),
            lsis: Vec::new(),
            ttl: None,
            stream: None,
            description: String::new(),
        }
    }

    /// The base table first, then GSIs, then LSIs, in model order.
    pub fn indexes(&self) -> Vec<IndexView<'_>> {
        let mut out = Vec::with_capacity(1 + self.gsis.len() + self.lsis.len());
        out.push(IndexView {
            table: self,
            kind: IndexKind::Table,
            name: None,
            partition_key: vec![&self.partition_key],
            sort_key: self.sort_key.iter().collect(),
            projection: None,
        });
        for gsi in &self.gsis {
            out.push(IndexView {
                table: self,
                kind: IndexKind::Gsi,
                name: Some(&gsi.name),
                partition_key: gsi.partition_key.iter().collect(),
                sort_key: gsi.sort_key.iter().collect(),
                projection: Some(&gsi.projection),
            });
        }
        for lsi in &self.lsis {
            out.push(IndexView {
                table: self,
                kind: IndexKind::Lsi,
                name: Some(&lsi.name),
                partition_key: vec![&self.partition_key],
                sort_key: vec![&lsi.sort_key],
                projection: Some(&lsi.projection),
            });
        }
        out
    }

    /// Every key attribute of the table and its indexes, each name once, in schema order.
    pub fn key_attribute_names(&self) -> Vec<&str> {
        let mut names: Vec<&str> = Vec::new();
        for index in self.indexes() {
            for attr in index.key_attributes() {
                if !names.contains(&attr.name.as_str()) {
                    names.push(&attr.name);
                }
            }
        }
        names
    }

    pub fn gsi(&self, name: &str) -> Option<&Gsi> {
        self.gsis.iter().find(|g| g.name == name)
    }
}
