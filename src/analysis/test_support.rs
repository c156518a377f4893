//! A small, clean model that rule and resolution tests bend one way or another.

use serde_json::{Value, json};

use crate::analysis::{Analysis, Finding, analyze};
use crate::model::Model;

/// Table Shop (PK, SK, GSI1 on GSI1PK/GSI1SK); Customer and Order share the
/// customer's partition; GSI1 finds an order by id. No findings.
pub fn base() -> Value {
    json!({
        "format_version": 1,
        "name": "Test shop",
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
                    {"name": "name", "type": "S", "size": 20},
                    {"name": "created_at", "type": "S", "size": 20,
                     "generator": {"kind": "timestamp", "from": "2024-01-01", "to": "2025-01-01"}}
                ],
                "keys": {"PK": "{email}", "SK": "#PROFILE"},
                "item_count": 10000
            },
            {
                "name": "Order",
                "table": "Shop",
                "attributes": [
                    {"name": "order_id", "type": "S", "size": 36},
                    {"name": "email", "type": "S", "size": 30, "distinct_values": 10000,
                     "generator": {"kind": "reference", "entity": "Customer", "attribute": "email"}},
                    {"name": "total", "type": "N", "size": 8},
                    {"name": "status", "type": "S", "size": 9,
                     "generator": {"kind": "choice", "values": ["pending", "completed", "cancelled"]}},
                    {"name": "created_at", "type": "S", "size": 20,
                     "generator": {"kind": "timestamp", "from": "2024-01-01", "to": "2025-01-01"}}
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
            {"id": "AP2", "description": "Orders of a customer by date", "operation": "Query",
             "entities": ["Order"], "inputs": ["email"],
             "range": {"attribute": "created_at", "op": "between"}, "sort": "descending",
             "items": 10, "peak_rps": 20.0, "average_rps": 10.0},
            {"id": "AP3", "description": "Order by id", "operation": "Query",
             "entities": ["Order"], "inputs": ["order_id"], "peak_rps": 5.0, "average_rps": 2.0},
            {"id": "AP4", "description": "Place order", "operation": "PutItem",
             "entities": ["Order"], "peak_rps": 5.0, "average_rps": 2.0},
            {"id": "AP5", "description": "Update order", "operation": "UpdateItem",
             "entities": ["Order"], "inputs": ["email", "created_at", "order_id"],
             "peak_rps": 1.0, "average_rps": 1.0}
        ],
        "conventions": {"expected_tables": [{"name": "Shop", "gsis": ["GSI1"]}]}
    })
}

pub fn model(value: Value) -> Model {
    serde_json::from_value(value).expect("test model deserializes")
}

pub fn analysis(value: &Value) -> Analysis {
    analyze(&model(value.clone()))
}

/// The findings of one rule.
pub fn fired(value: &Value, rule: &str) -> Vec<Finding> {
    analysis(value)
        .findings
        .into_iter()
        .filter(|f| f.rule == rule)
        .collect()
}

/// Finds an entity's JSON by name.
pub fn entity<'a>(value: &'a mut Value, name: &str) -> &'a mut Value {
    value["entities"]
        .as_array_mut()
        .and_then(|list| list.iter_mut().find(|e| e["name"] == name))
        .expect("entity exists in the test model")
}

/// Finds a pattern's JSON by id.
pub fn pattern<'a>(value: &'a mut Value, id: &str) -> &'a mut Value {
    value["access_patterns"]
        .as_array_mut()
        .and_then(|list| list.iter_mut().find(|p| p["id"] == id))
        .expect("pattern exists in the test model")
}
