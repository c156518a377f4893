use std::path::Path;

use serde_json::Value;

use super::command::quote;
use super::*;
use crate::export::aws_cli::shell_words;
use crate::export::{ImportError, ImportFormat, import_str};
use crate::model::samples;

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn exported(model: &Model) -> Value {
    serde_json::from_str(&export(model, &SampleCounts::default()).text).unwrap()
}

#[test]
fn tables_are_create_table_inputs() {
    let doc = exported(&shop());
    let users = &doc["tables"][0];
    let keys: Vec<&String> = users.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "TableName",
            "AttributeDefinitions",
            "KeySchema",
            "GlobalSecondaryIndexes",
            "BillingMode"
        ]
    );
    let defined: Vec<&str> = users["AttributeDefinitions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["AttributeName"].as_str().unwrap())
        .collect();
    assert_eq!(
        defined,
        ["PK", "SK", "GSI1PK", "GSI2PK", "GSI3PK"],
        "key attributes only"
    );
    assert_eq!(
        users["GlobalSecondaryIndexes"][0]["Projection"]["ProjectionType"],
        "ALL"
    );
}

#[test]
fn items_are_put_requests_per_table() {
    let doc = exported(&shop());
    let users = doc["items"]["Users"].as_array().unwrap();
    assert_eq!(users.len(), 15, "5 users, 5 cart lines, 5 seller profiles");
    let first = &users[0]["PutRequest"]["Item"];
    assert_eq!(first["SK"], serde_json::json!({"S": "#META"}));
    assert!(first["PK"]["S"].as_str().unwrap().contains('@'));
}

#[test]
fn patterns_carry_one_bound_command_or_a_reason() {
    let doc = exported(&shop());
    let patterns = doc["access_patterns"].as_array().unwrap();
    assert_eq!(patterns.len(), 48);
    let find = |id: &str| patterns.iter().find(|p| p["pattern"] == id).unwrap();
    let ap38 = find("AP38");
    assert_eq!(ap38["table"], "Users");
    assert_eq!(ap38["dynamodb_operation"], "Query");
    assert!(ap38.get("index").is_none());
    let cmd = ap38["implementation"].as_str().unwrap();
    assert!(cmd.starts_with("aws dynamodb query --table-name Users --key-condition-expression '#PK = :email AND begins_with(#SK, :sk)'"), "{cmd}");
    assert!(cmd.contains(r#"":sk":{"S":"CART#"}"#), "{cmd}");
    let ap2 = find("AP2");
    assert_eq!(ap2["index"], "GSI1");
    let ap9 = find("AP9");
    assert!(ap9.get("implementation").is_none());
    assert!(ap9["reason"].as_str().unwrap().contains("OpenSearch"));
    assert!(
        find("AP30")["implementation"]
            .as_str()
            .unwrap()
            .contains("--no-scan-index-forward")
    );
    assert!(
        find("AP37")["implementation"]
            .as_str()
            .unwrap()
            .starts_with("aws dynamodb batch-get-item --request-items")
    );
    for p in patterns {
        if let Some(cmd) = p["implementation"].as_str() {
            assert!(
                !cmd.contains("&&") && !cmd.contains(';') || cmd.contains('\''),
                "{cmd}"
            );
            let words = shell_words(cmd).unwrap();
            assert_eq!(&words[..2], ["aws", "dynamodb"]);
        }
    }
}

#[test]
fn the_command_binds_the_values_of_a_generated_item() {
    let m = shop();
    let doc = exported(&m);
    let set = crate::analysis::sample_items::generate(&m, &SampleCounts::default());
    let emails: Vec<String> = set
        .items_of("CartItem")
        .iter()
        .map(|i| i["email"].display())
        .collect();
    let ap38 = doc["access_patterns"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["pattern"] == "AP38")
        .unwrap();
    let words = shell_words(ap38["implementation"].as_str().unwrap()).unwrap();
    let at = words
        .iter()
        .position(|w| w == "--expression-attribute-values")
        .unwrap();
    let values: Value = serde_json::from_str(&words[at + 1]).unwrap();
    let email = values[":email"]["S"].as_str().unwrap();
    assert!(
        emails.iter().any(|e| e == email),
        "{email} is a cart line's email"
    );
}

#[test]
fn exports_are_deterministic() {
    let m = shop();
    let a = export(&m, &SampleCounts::default()).text;
    assert_eq!(a, export(&m, &SampleCounts::default()).text);
}

#[test]
fn round_trip_keeps_tables_items_and_what_the_commands_say() {
    let m = shop();
    let text = export(&m, &SampleCounts::default()).text;
    let imported = import_str(
        &text,
        Path::new("dynamodb_data_model.json"),
        ImportFormat::McpJson,
    )
    .unwrap();
    let back = imported.model;
    let mut tables = m.tables.clone();
    for t in &mut tables {
        t.description.clear();
    }
    assert_eq!(
        back.tables, tables,
        "tables keep all but their descriptions"
    );
    assert_eq!(back.name, "dynamodb_data_model");
    let users: Vec<&str> = back.entities_of("Users").map(|e| e.name.as_str()).collect();
    assert_eq!(users, ["Meta", "Cart", "Seller"]);
    let cart = back.entity("Cart").unwrap();
    assert_eq!(cart.keys["SK"], "CART#{product_id}");
    assert_eq!(cart.keys["PK"], "{email}");
    assert_eq!(cart.example_items.len(), 5);
    let meta = back.entity("Meta").unwrap();
    assert_eq!(meta.key_template("GSI1PK").as_deref(), Some("{username}"));
    let ap38 = back.pattern("AP38").unwrap();
    assert_eq!(ap38.entities, ["Cart"]);
    assert_eq!(ap38.inputs, ["email"]);
    let ap30 = back.pattern("AP30").unwrap();
    assert_eq!(ap30.sort, crate::model::SortOrder::Descending);
    assert_eq!(
        ap30.range.as_ref().map(|r| r.op),
        Some(crate::model::RangeOp::Between)
    );
    assert_eq!(
        back.pattern("AP9").unwrap().outside_dynamodb.as_deref(),
        Some("Full-text search runs in OpenSearch, fed by DynamoDB Streams")
    );
    // Re-exporting the import gives the same tables and items.
    let again: Value = serde_json::from_str(&export(&back, &SampleCounts::default()).text).unwrap();
    let first: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(again["tables"], first["tables"]);
    assert_eq!(again["items"], first["items"]);
}

#[test]
fn malformed_input_names_the_json_path() {
    let err = |text: &str| match import_str(text, Path::new("bad.json"), ImportFormat::McpJson) {
        Err(ImportError::Shape {
            json_path, message, ..
        }) => format!("{json_path}: {message}"),
        Err(other) => other.to_string(),
        Ok(_) => panic!("{text} imported"),
    };
    assert_eq!(err(r#"{"items": {}}"#), "tables: missing field `tables`");
    assert!(err(r#"{"tables": [{"TableName": "T", "KeySchema": [{"AttributeName": "PK", "KeyType": "HASH"}]}], "items": {"T": [{"PutRequest": {"Item": {"PK": {"S": 1, "N": "2"}}}}]}}"#)
        .starts_with("items.T[0].PutRequest.Item.PK: expected exactly one type key"));
    assert!(
        err(r#"{"tables": [], "items": {"Nope": []}}"#)
            .contains("`Nope`, which is not among the tables")
    );
    let syntax = err("{");
    assert!(
        syntax.starts_with("bad.json:1:") && syntax.contains("not valid JSON"),
        "{syntax}"
    );
}

#[test]
fn shell_words_and_quotes() {
    assert_eq!(
        shell_words(r#"a 'b c' "d \"e\"" f\ g"#).unwrap(),
        ["a", "b c", "d \"e\"", "f g"]
    );
    assert!(shell_words("a 'b").is_err());
    assert_eq!(quote("Users"), "Users");
    assert_eq!(quote("it's"), r#"'it'\''s'"#);
    assert_eq!(shell_words(&quote("it's #1")).unwrap(), ["it's #1"]);
}

#[test]
fn a_range_lands_on_the_placeholder_the_bound_ends_in() {
    use crate::export::{ImportFormat, import_str};
    let doc = serde_json::json!({
        "tables": [{
            "TableName": "T",
            "AttributeDefinitions": [
                {"AttributeName": "pk", "AttributeType": "S"},
                {"AttributeName": "sk", "AttributeType": "S"}
            ],
            "KeySchema": [
                {"AttributeName": "pk", "KeyType": "HASH"},
                {"AttributeName": "sk", "KeyType": "RANGE"}
            ]
        }],
        "items": {"T": [
            {"PutRequest": {"Item": {"pk": {"S": "SHOP#1"}, "sk": {"S": "STATUS#open#DATE#2024-01-01"}, "status": {"S": "open"}, "date": {"S": "2024-01-01"}}}},
            {"PutRequest": {"Item": {"pk": {"S": "SHOP#1"}, "sk": {"S": "STATUS#done#DATE#2024-02-01"}, "status": {"S": "done"}, "date": {"S": "2024-02-01"}}}}
        ]},
        "access_patterns": [{
            "pattern": 1, "description": "Open orders of a shop in a date range", "table": "T",
            "dynamodb_operation": "Query",
            "implementation": "aws dynamodb query --table-name T --key-condition-expression 'pk = :p and sk between :a and :b' --expression-attribute-values '{\":p\":{\"S\":\"SHOP#1\"},\":a\":{\"S\":\"STATUS#open#DATE#2024\"},\":b\":{\"S\":\"STATUS#open#DATE#2025\"}}'"
        }]
    });
    let got = import_str(
        &doc.to_string(),
        std::path::Path::new("t.json"),
        ImportFormat::McpJson,
    )
    .unwrap();
    let p = got.model.pattern("1").unwrap();
    // Lower-case `and` and `between` are read; status is known, the range is on date.
    let e = got.model.entity(&p.entities[0]).unwrap();
    assert_eq!(e.keys["sk"], "STATUS#{status}#DATE#{date}");
    assert!(p.inputs.contains(&"status".to_string()), "{:?}", p.inputs);
    assert_eq!(p.range.as_ref().unwrap().attribute, "date");
}

#[test]
fn the_digest_follows_what_a_command_depends_on() {
    use super::source_digest;
    use crate::model::{AttrType, Gsi, KeyAttribute, Projection, SourceCall};
    let mut m = shop();
    let ap38 = m.pattern("AP38").unwrap().clone();
    let mut p = ap38.clone();
    p.source = Some(SourceCall {
        command: "aws dynamodb query --table-name Users --key-condition-expression 'PK = :e'"
            .into(),
        table: Some("Users".into()),
        index: None,
        operation: Some("Query".into()),
        digest: String::new(),
    });
    let before = source_digest(&m, &p);
    // Billing, another index and the time to live are nothing to the command.
    let users = m.tables.iter_mut().find(|t| t.name == "Users").unwrap();
    users.billing = crate::model::Billing::Provisioned {
        read_capacity: 9,
        write_capacity: 9,
    };
    users.gsis.push(Gsi {
        uid: Default::default(),
        name: "GSI9".into(),
        partition_key: vec![KeyAttribute::string("x")],
        sort_key: Vec::new(),
        projection: Projection::All,
        provisioned: None,
    });
    users.ttl = Some(crate::model::TimeToLive {
        attribute: "expires".into(),
    });
    assert_eq!(source_digest(&m, &p), before);
    // The table's key schema is.
    m.tables
        .iter_mut()
        .find(|t| t.name == "Users")
        .unwrap()
        .sort_key = Some(KeyAttribute::string("SK2"));
    assert_ne!(source_digest(&m, &p), before);
    // A write depends on its entity's attributes too.
    let mut m = shop();
    let mut w = m.pattern("AP39").unwrap().clone();
    w.source = p.source.clone();
    let before = source_digest(&m, &w);
    let entity = w.entities[0].clone();
    let e = m.entities.iter_mut().find(|e| e.name == entity).unwrap();
    e.attributes[1].attr_type = AttrType::B;
    assert_ne!(source_digest(&m, &w), before);
}
