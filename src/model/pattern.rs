//! Access patterns: what the application asks of the data, and how often.

use serde::{Deserialize, Serialize};

use super::ElementId;

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Operation {
    GetItem,
    Query,
    Scan,
    BatchGetItem,
    PutItem,
    UpdateItem,
    DeleteItem,
    TransactWriteItems,
    BatchWriteItem,
}

impl Operation {
    pub const ALL: [Operation; 9] = [
        Operation::GetItem,
        Operation::Query,
        Operation::Scan,
        Operation::BatchGetItem,
        Operation::PutItem,
        Operation::UpdateItem,
        Operation::DeleteItem,
        Operation::TransactWriteItems,
        Operation::BatchWriteItem,
    ];

    pub fn is_read(self) -> bool {
        matches!(
            self,
            Operation::GetItem | Operation::Query | Operation::Scan | Operation::BatchGetItem
        )
    }

    pub fn is_write(self) -> bool {
        !self.is_read()
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Operation::GetItem => "GetItem",
            Operation::Query => "Query",
            Operation::Scan => "Scan",
            Operation::BatchGetItem => "BatchGetItem",
            Operation::PutItem => "PutItem",
            Operation::UpdateItem => "UpdateItem",
            Operation::DeleteItem => "DeleteItem",
            Operation::TransactWriteItems => "TransactWriteItems",
            Operation::BatchWriteItem => "BatchWriteItem",
        }
    }
}

/// The comparison of a range condition on a sort key.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum RangeOp {
    #[serde(rename = "=")]
    Eq,
    #[serde(rename = "<")]
    Lt,
    #[serde(rename = "<=")]
    Le,
    #[serde(rename = ">")]
    Gt,
    #[serde(rename = ">=")]
    Ge,
    #[serde(rename = "between")]
    Between,
    #[serde(rename = "begins_with")]
    BeginsWith,
}

impl RangeOp {
    pub const ALL: [RangeOp; 7] = [
        RangeOp::Eq,
        RangeOp::Lt,
        RangeOp::Le,
        RangeOp::Gt,
        RangeOp::Ge,
        RangeOp::Between,
        RangeOp::BeginsWith,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            RangeOp::Eq => "=",
            RangeOp::Lt => "<",
            RangeOp::Le => "<=",
            RangeOp::Gt => ">",
            RangeOp::Ge => ">=",
            RangeOp::Between => "between",
            RangeOp::BeginsWith => "begins_with",
        }
    }
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct RangeCondition {
    pub attribute: String,
    pub op: RangeOp,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum SortOrder {
    #[default]
    Ascending,
    Descending,
}

#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Default)]
#[serde(rename_all = "snake_case")]
pub enum Consistency {
    #[default]
    Eventual,
    Strong,
}

#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct AccessPattern {
    /// Identity in this run (not saved, not content).
    #[serde(skip)]
    pub uid: ElementId,
    /// A short stable id such as `AP12`.
    pub id: String,
    pub description: String,
    pub operation: Operation,
    /// The entities read or written; the first is the primary one.
    #[serde(default)]
    pub entities: Vec<String>,
    /// Attributes whose values are known at call time (equality inputs).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub inputs: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub range: Option<RangeCondition>,
    #[serde(default, skip_serializing_if = "is_default")]
    pub sort: SortOrder,
    /// Expected number of items a read returns (or a write touches).
    #[serde(default = "one")]
    pub items: u32,
    pub peak_rps: f64,
    pub average_rps: f64,
    #[serde(default, skip_serializing_if = "is_default")]
    pub consistency: Consistency,
    /// Why the pattern is served by something other than DynamoDB, if it is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outside_dynamodb: Option<String>,
    /// An index the designer insists on (a GSI/LSI name, or the table name).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub notes: String,
    /// The call the pattern was imported with (the MCP server's `implementation`),
    /// kept so that it is written back and run as it came.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source: Option<SourceCall>,
    /// Suggested by an importer from what the source schema implies (a lookup
    /// by a unique column, children by a foreign key), not yet confirmed.
    #[serde(default, skip_serializing_if = "is_default")]
    pub suggested: bool,
}

/// A pattern's call as another tool wrote it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct SourceCall {
    /// The `aws dynamodb …` command, verbatim.
    pub command: String,
    /// The table, index and operation the source named.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub table: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub operation: Option<String>,
    /// A digest of what the command touches (its table's definition and the
    /// pattern's own fields) when it was imported: while the model digests the
    /// same, the command still says what the pattern does.
    pub digest: String,
}

fn one() -> u32 {
    1
}

fn is_default<T: Default + PartialEq>(value: &T) -> bool {
    *value == T::default()
}

impl AccessPattern {
    pub fn new(
        id: impl Into<String>,
        description: impl Into<String>,
        operation: Operation,
    ) -> Self {
        Self {
            uid: ElementId::default(),
            id: id.into(),
            description: description.into(),
            operation,
            entities: Vec::new(),
            inputs: Vec::new(),
            range: None,
            sort: SortOrder::Ascending,
            items: 1,
            peak_rps: 1.0,
            average_rps: 1.0,
            consistency: Consistency::Eventual,
            outside_dynamodb: None,
            index: None,
            notes: String::new(),
            source: None,
            suggested: false,
        }
    }

    pub fn primary_entity(&self) -> Option<&str> {
        self.entities.first().map(String::as_str)
    }
}
