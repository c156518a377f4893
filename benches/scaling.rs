//! Times each former hot spot at three sizes, N, 2N and 4N, to show that the work
//! grows linearly (each doubling should about double the median):
//!
//! - GSIs per table: `analyze` a table with N identical GSIs (the duplicate-GSI
//!   check compared every pair);
//! - placeholders per template: `analyze` an entity whose sort key template has N
//!   placeholders of attributes it lacks (one finding per placeholder, each
//!   quoting the whole template);
//! - items per import: a NoSQL Workbench table of N items (every item was
//!   compared with every item while grouping);
//! - key segments: an MCP JSON file whose items have keys of N `#` segments (each
//!   segment's name was found by re-probing every name taken).
//!
//! The sizes stay within what a file may hold (`model::bounds`: 1,000 indexes a
//! table, 64 KB templates), and each input is checked to be read, not refused,
//! before it is timed. Few samples and short measurement times, so the whole
//! bench takes minutes: `cargo bench --bench scaling`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::path::Path;
use std::time::Duration;

#[path = "support/items.rs"]
mod items;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use dynamodel::analysis::analyze_with;
use dynamodel::export::{ImportFormat, import_str};
use dynamodel::model::Model;
use serde_json::{Value, json};

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

fn short(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
}

/// A model a file may hold: the bench times work a user can cause.
fn within_bounds(model: &Model) {
    dynamodel::model::bounds::check(model).expect("the bench model is within the bounds");
}

/// `N`, `2N` and `4N`.
fn sizes(n: usize) -> [usize; 3] {
    [n, 2 * n, 4 * n]
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("GSIs per table");
    short(&mut group);
    for n in sizes(250) {
        let model = identical_gsis(n);
        within_bounds(&model);
        // One thread: the figure is the work, not the scheduling of two threads.
        group.bench_function(format!("{n} identical GSIs"), |b| {
            b.iter(|| analyze_with(black_box(&model), false))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("placeholders per template");
    short(&mut group);
    for n in sizes(3_000) {
        let model = unknown_placeholders(n);
        within_bounds(&model);
        group.bench_function(format!("{n} unknown placeholders"), |b| {
            b.iter(|| analyze_with(black_box(&model), false))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("items per import");
    short(&mut group);
    for n in sizes(10_000) {
        let text = items::workbench(n);
        import_str(&text, Path::new("big.json"), ImportFormat::NosqlWorkbench)
            .expect("the items import");
        group.bench_function(format!("NoSQL Workbench, {n} items"), |b| {
            b.iter(|| import_str(&text, Path::new("big.json"), ImportFormat::NosqlWorkbench))
        });
    }
    group.finish();

    let mut group = c.benchmark_group("key segments");
    short(&mut group);
    // 4,000 segments make a template of 53 KB: near the 64 KB bound.
    for n in sizes(1_000) {
        let text = mcp_key_segments(n);
        import_str(&text, Path::new("segments.json"), ImportFormat::McpJson)
            .expect("the key segments import");
        group.bench_function(format!("MCP JSON, {n} key segments"), |b| {
            b.iter(|| import_str(&text, Path::new("segments.json"), ImportFormat::McpJson))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
