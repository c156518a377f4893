//! Generated single-table items, and a NoSQL Workbench model of them, for the
//! import and scaling benchmarks.

use serde_json::{Value, json};

/// Item `i` of a single-table design: users, their orders, products, comments.
pub fn item(i: usize) -> Value {
    let (pk, sk) = match i % 4 {
        0 => (format!("USER#{i}"), "#META".to_string()),
        1 => (format!("USER#{}", i - 1), format!("ORDER#2024-01-01#{i}")),
        2 => (format!("PRODUCT#{i}"), "metadata".to_string()),
        _ => (format!("USER#{}", i - 3), format!("comm#{i}")),
    };
    json!({
        "PK": {"S": pk}, "SK": {"S": sk},
        "name": {"S": format!("name {i}")}, "total": {"N": (i % 97).to_string()}
    })
}

/// A NoSQL Workbench model of one table with `n` items.
pub fn workbench(n: usize) -> String {
    json!({
        "ModelName": "Big",
        "ModelMetadata": {"Version": "3.0"},
        "DataModel": [{
            "TableName": "Big",
            "KeyAttributes": {
                "PartitionKey": {"AttributeName": "PK", "AttributeType": "S"},
                "SortKey": {"AttributeName": "SK", "AttributeType": "S"}
            },
            "NonKeyAttributes": [
                {"AttributeName": "name", "AttributeType": "S"},
                {"AttributeName": "total", "AttributeType": "N"}
            ],
            "TableData": (0..n).map(item).collect::<Vec<_>>(),
            "BillingMode": "PAY_PER_REQUEST"
        }]
    })
    .to_string()
}
