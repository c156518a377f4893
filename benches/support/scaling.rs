//! The inputs of the scaling benchmark (`benches/scaling.rs`) and its profiling
//! example (`examples/profile_scaling.rs`): each former hot spot, at sizes N, 2N
//! and 4N that stay within what a file may hold (`model::bounds`: 1,000 indexes
//! a table, 64 KB templates).

use std::path::Path;

use dynamodel::analysis::analyze_with;
use dynamodel::export::{ImportFormat, import_str};
use dynamodel::model::Model;
use serde_json::{Value, json};

#[path = "items.rs"]
mod items;

/// A former hot spot.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spot {
    /// `analyze` a table with N identical GSIs (the duplicate-GSI check compared
    /// every pair).
    Gsis,
    /// `analyze` an entity whose sort key template has N placeholders of
    /// attributes it lacks (one finding per placeholder, each quoting the whole
    /// template).
    Placeholders,
    /// Import a NoSQL Workbench table of N items (every item was compared with
    /// every item while grouping).
    Items,
    /// Import an MCP JSON file whose items have keys of N `#` segments (each
    /// segment's name was found by re-probing every name taken, and its
    /// attribute by a search per segment).
    Segments,
}

/// What one run works on.
pub enum Input {
    /// Analysed on one thread: the figure is the work, not the scheduling.
    Model(Box<Model>),
    File(String, ImportFormat),
}

impl Spot {
    pub const ALL: [Spot; 4] = [Spot::Gsis, Spot::Placeholders, Spot::Items, Spot::Segments];

    pub fn id(self) -> &'static str {
        match self {
            Spot::Gsis => "gsis",
            Spot::Placeholders => "placeholders",
            Spot::Items => "items",
            Spot::Segments => "segments",
        }
    }

    pub fn group(self) -> &'static str {
        match self {
            Spot::Gsis => "GSIs per table",
            Spot::Placeholders => "placeholders per template",
            Spot::Items => "items per import",
            Spot::Segments => "key segments",
        }
    }

    pub fn label(self, n: usize) -> String {
        match self {
            Spot::Gsis => format!("{n} identical GSIs"),
            Spot::Placeholders => format!("{n} unknown placeholders"),
            Spot::Items => format!("NoSQL Workbench, {n} items"),
            Spot::Segments => format!("MCP JSON, {n} key segments"),
        }
    }

    /// N, 2N and 4N, within the bounds: 1,000 GSIs is the most a table may
    /// hold; 12,000 placeholders make a 60 KB template and 4,000 segments a
    /// 35 KB one (8,000 would pass the 64 KB bound).
    pub fn sizes(self) -> [usize; 3] {
        let n = match self {
            Spot::Gsis => 250,
            Spot::Placeholders => 3_000,
            Spot::Items => 10_000,
            Spot::Segments => 1_000,
        };
        [n, 2 * n, 4 * n]
    }

    /// The input of size `n`, checked to be read (a model within the bounds,
    /// a file that imports), so a run times work a user can cause.
    pub fn input(self, n: usize) -> Input {
        let input = match self {
            Spot::Gsis => Input::Model(Box::new(identical_gsis(n))),
            Spot::Placeholders => Input::Model(Box::new(unknown_placeholders(n))),
            Spot::Items => Input::File(items::workbench(n), ImportFormat::NosqlWorkbench),
            Spot::Segments => Input::File(mcp_key_segments(n), ImportFormat::McpJson),
        };
        match &input {
            Input::Model(model) => {
                dynamodel::model::bounds::check(model).expect("the model is within the bounds")
            }
            Input::File(text, format) => {
                import_str(text, Path::new("scaling.json"), *format).expect("the file imports");
            }
        }
        input
    }
}

impl Input {
    /// The work timed: one analysis, or one import.
    pub fn run(&self) -> usize {
        match self {
            Input::Model(model) => analyze_with(model, false).findings.len(),
            Input::File(text, format) => import_str(text, Path::new("scaling.json"), *format)
                .map(|i| i.model.entities.len())
                .unwrap_or_default(),
        }
    }
}

/// Table Shop (PK, SK, GSI1 on GSI1PK/GSI1SK) with a customer and an order entity
/// and a pattern for each.
fn shop() -> Value {
    json!({
        "format_version": 1,
        "name": "Scaling",
        "tables": [{
            "name": "Shop",
            "partition_key": {"name": "PK", "type": "S"},
            "sort_key": {"name": "SK", "type": "S"},
            "billing": {"mode": "on_demand"},
            "gsis": [{
                "name": "GSI1",
                "partition_key": [{"name": "GSI1PK", "type": "S"}],
                "sort_key": [{"name": "GSI1SK", "type": "S"}],
                "projection": {"type": "ALL"}
            }]
        }],
        "entities": [
            {
                "name": "Customer",
                "table": "Shop",
                "attributes": [
                    {"name": "email", "type": "S", "size": 30},
                    {"name": "name", "type": "S", "size": 20}
                ],
                "keys": {"PK": "{email}", "SK": "#PROFILE"},
                "item_count": 10000
            },
            {
                "name": "Order",
                "table": "Shop",
                "attributes": [
                    {"name": "order_id", "type": "S", "size": 36},
                    {"name": "email", "type": "S", "size": 30},
                    {"name": "created_at", "type": "S", "size": 20}
                ],
                "keys": {
                    "PK": "{email}",
                    "SK": "ORDER#{created_at}#{order_id}",
                    "GSI1PK": "{order_id}",
                    "GSI1SK": "#ORDER"
                },
                "item_count": 100000
            }
        ],
        "access_patterns": [
            {"id": "AP1", "description": "Get customer", "operation": "GetItem",
             "entities": ["Customer"], "inputs": ["email"], "peak_rps": 10.0, "average_rps": 5.0},
            {"id": "AP2", "description": "Order by id", "operation": "Query",
             "entities": ["Order"], "inputs": ["order_id"], "peak_rps": 5.0, "average_rps": 2.0}
        ]
    })
}

fn model(value: Value) -> Model {
    serde_json::from_value(value).expect("the scaling model deserializes")
}

/// The shop with `n` GSIs of GSI1's key schema.
fn identical_gsis(n: usize) -> Model {
    let mut v = shop();
    let gsi = v["tables"][0]["gsis"][0].clone();
    let gsis: Vec<Value> = (0..n)
        .map(|i| {
            let mut g = gsi.clone();
            g["name"] = json!(format!("GSI{}", i + 1));
            g
        })
        .collect();
    v["tables"][0]["gsis"] = json!(gsis);
    model(v)
}

/// The shop with the order's sort key template made of `n` placeholders of
/// attributes the order lacks (seven distinct names).
fn unknown_placeholders(n: usize) -> Model {
    let mut v = shop();
    let template: String = (0..n).map(|i| format!("{{x{}}}#", i % 7)).collect();
    v["entities"][1]["keys"]["SK"] = json!(template);
    model(v)
}

/// An MCP JSON file of two items whose partition keys have `n` `#` segments that
/// differ in every segment (each segment becomes a named placeholder).
fn mcp_key_segments(n: usize) -> String {
    let key = |item: &str| -> String {
        (0..n)
            .map(|i| format!("{item}{i}"))
            .collect::<Vec<_>>()
            .join("#")
    };
    json!({
        "tables": [{
            "TableName": "T",
            "AttributeDefinitions": [{"AttributeName": "PK", "AttributeType": "S"}],
            "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}],
            "BillingMode": "PAY_PER_REQUEST"
        }],
        "items": {"T": [
            {"PutRequest": {"Item": {"PK": {"S": key("a")}}}},
            {"PutRequest": {"Item": {"PK": {"S": key("b")}}}}
        ]}
    })
    .to_string()
}
