//! Times importing a large table from each format that imports: a NoSQL Workbench
//! model and an MCP server `dynamodb_data_model.json`, each with 4,000 and 40,000
//! items in four key shapes. Ten times the items should take about ten times as
//! long (the importers group and infer entities in one pass over the items).

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::path::Path;

#[path = "support/items.rs"]
mod items;

use criterion::{Criterion, criterion_group, criterion_main};
use dynamodel::export::{ImportFormat, import_str};
use items::item;
use serde_json::{Value, json};

fn mcp(n: usize) -> String {
    let requests: Vec<Value> = (0..n)
        .map(|i| json!({"PutRequest": {"Item": item(i)}}))
        .collect();
    json!({
        "tables": [{
            "TableName": "Big",
            "AttributeDefinitions": [
                {"AttributeName": "PK", "AttributeType": "S"},
                {"AttributeName": "SK", "AttributeType": "S"}
            ],
            "KeySchema": [
                {"AttributeName": "PK", "KeyType": "HASH"},
                {"AttributeName": "SK", "KeyType": "RANGE"}
            ],
            "BillingMode": "PAY_PER_REQUEST"
        }],
        "items": {"Big": requests},
        "access_patterns": []
    })
    .to_string()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("import");
    group.sample_size(10);
    for n in [4_000, 40_000] {
        let text = items::workbench(n);
        group.bench_function(format!("NoSQL Workbench, {n} items"), |b| {
            b.iter(|| import_str(&text, Path::new("big.json"), ImportFormat::NosqlWorkbench))
        });
        let text = mcp(n);
        group.bench_function(format!("MCP JSON, {n} items"), |b| {
            b.iter(|| import_str(&text, Path::new("big.json"), ImportFormat::McpJson))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
