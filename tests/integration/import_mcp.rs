//! The DynamoDB MCP server's `dynamodb_data_model.json`: a hand-written
//! single-table model (type-prefixed keys, writes of new items, an INCLUDE GSI, a
//! 2+2 multi-attribute GSI, a stream, a pattern no entity fits) and the real files
//! derived from the MCP server's own tests (`tests/fixtures/real/mcp-json`, see
//! SOURCES.md there): what comes in, what goes back out, and round trips.

use std::path::{Path, PathBuf};

use dynamodel::analysis::{Severity, analyze};
use dynamodel::export::{
    self, ExportFormat, ExportOptions, ImportError, ImportFormat, Imported, NoteKind, import,
    import_str,
};
use dynamodel::model::{Model, Operation, Profile, Projection, StreamView};
use serde_json::Value;

pub fn shop_fixture() -> PathBuf {
    crate::root().join("tests/fixtures/mcp-json/single-table-shop.json")
}

fn real(name: &str) -> PathBuf {
    crate::root()
        .join("tests/fixtures/real/mcp-json")
        .join(name)
}

fn read(path: &Path) -> Imported {
    import(path, ImportFormat::McpJson).unwrap_or_else(|e| panic!("{e}"))
}

fn exported(model: &Model) -> (Value, export::Report) {
    let out = export::export(model, ExportFormat::McpJson, &ExportOptions::default());
    (serde_json::from_str(&out.text).unwrap(), out.report)
}

fn entities_of(model: &Model, id: &str) -> Vec<String> {
    model.pattern(id).unwrap().entities.clone()
}

#[test]
fn every_pattern_is_placed_or_keeps_its_command() {
    let got = read(&shop_fixture());
    let m = &got.model;
    assert_eq!(m.profile, Profile::SingleTable);
    assert_eq!(m.access_patterns.len(), 19);
    // Writes of new items are placed by the shape of their keys.
    assert_eq!(entities_of(m, "6"), ["Profile"], "USER#u9 / PROFILE");
    assert_eq!(entities_of(m, "7"), ["Order"], "USER#u2 / ORDER#…");
    assert_eq!(entities_of(m, "12"), ["CatalogItem"]);
    assert_eq!(entities_of(m, "15"), ["SessionsItem"]);
    assert_eq!(
        entities_of(m, "16"),
        ["Order", "CatalogItem"],
        "a transaction"
    );
    assert_eq!(m.pattern("7").unwrap().operation, Operation::PutItem);
    // A range on the sort key, a page size and the order.
    let p3 = m.pattern("3").unwrap();
    assert_eq!(p3.range.as_ref().unwrap().attribute, "order_date");
    let p2 = m.pattern("2").unwrap();
    assert_eq!(
        (p2.items, p2.sort),
        (10, dynamodel::model::SortOrder::Descending)
    );
    // The scan with a filter fits no entity of a two-entity table: it keeps its command.
    let p17 = m.pattern("17").unwrap();
    assert!(p17.entities.is_empty());
    assert!(
        p17.source
            .as_ref()
            .unwrap()
            .command
            .starts_with("aws dynamodb scan")
    );
    // Every pattern with an implementation keeps it, verbatim.
    let source: Value =
        serde_json::from_str(&std::fs::read_to_string(shop_fixture()).unwrap()).unwrap();
    for p in source["access_patterns"].as_array().unwrap() {
        let id = p["pattern"].to_string();
        let kept = m
            .pattern(&id)
            .unwrap()
            .source
            .as_ref()
            .map(|s| s.command.as_str());
        assert_eq!(kept, p["implementation"].as_str(), "pattern {id}");
    }
    // The stream and the multi-attribute GSI.
    assert_eq!(
        m.table("Sessions").unwrap().stream,
        Some(StreamView::NewAndOldImages)
    );
    let gsi = m.table("Catalog").unwrap().gsi("ByCategoryBrand").unwrap();
    assert_eq!((gsi.partition_key.len(), gsi.sort_key.len()), (2, 2));
    // The importer writes no model that fails the model's own integrity rules;
    // the one pattern without an entity is a warning that says why.
    let analysis = analyze(m);
    let integrity: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| f.rule.starts_with("model."))
        .collect();
    assert!(integrity.is_empty(), "{integrity:#?}");
    let unplaced: Vec<_> = analysis
        .findings
        .iter()
        .filter(|f| f.rule == "coverage.no-entity")
        .collect();
    assert_eq!(unplaced.len(), 1);
    assert_eq!(unplaced[0].severity, Severity::Warning);
    assert!(
        unplaced[0]
            .message
            .contains("runs as the command it was imported with")
    );
}

#[test]
fn commands_go_back_out_byte_identical_until_the_model_changes_them() {
    let source: Value =
        serde_json::from_str(&std::fs::read_to_string(shop_fixture()).unwrap()).unwrap();
    let model = read(&shop_fixture()).model;
    let (doc, report) = exported(&model);
    assert_eq!(doc["access_patterns"], source["access_patterns"]);
    assert_eq!(doc["tables"], source["tables"]);
    // The items as they came: no generated item added, none said to be.
    assert_eq!(doc["items"], source["items"]);
    assert_eq!(report.of_kind(NoteKind::Added).count(), 0, "{report:?}");

    // Change what pattern 2 does (its page size): its command is written anew and
    // the report says so; the others stay as they came.
    let mut changed = model.clone();
    changed
        .access_patterns
        .iter_mut()
        .find(|p| p.id == "2")
        .unwrap()
        .items = 3;
    let (doc, report) = exported(&changed);
    let patterns = doc["access_patterns"].as_array().unwrap();
    let p2 = patterns.iter().find(|p| p["pattern"] == 2).unwrap();
    let command = p2["implementation"].as_str().unwrap();
    assert_ne!(command, source["access_patterns"][1]["implementation"]);
    assert!(!command.contains("--limit 10"), "{command}");
    assert!(
        report
            .notes
            .iter()
            .any(|n| n.at == "pattern 2" && n.message.contains("written anew")),
        "{report:?}"
    );
    let p1 = patterns.iter().find(|p| p["pattern"] == 1).unwrap();
    assert_eq!(p1, &source["access_patterns"][0]);
    // A renamed key template is a change to every command on that table's entity.
    let mut renamed = model.clone();
    let profile = renamed
        .entities
        .iter_mut()
        .find(|e| e.name == "Profile")
        .unwrap();
    profile.keys.insert("sk".into(), "PROFILE#V1".into());
    let (_, report) = exported(&renamed);
    let anew: Vec<&str> = report
        .notes
        .iter()
        .filter(|n| n.message.contains("written anew"))
        .map(|n| n.at.as_str())
        .collect();
    // Every pattern on Profile, and nothing else.
    assert_eq!(anew, ["pattern 1", "pattern 4", "pattern 6", "pattern 9"]);
}

#[test]
fn import_export_import_gives_the_same_model() {
    let files = [
        shop_fixture(),
        crate::root().join("tests/fixtures/mcp-json/hand-made.json"),
        real("cdk-complex.json"),
        real("cdk-gsi-4-hash-keys.json"),
        real("cdk-gsi-4-range-keys.json"),
        real("cdk-ttl-disabled.json"),
        real("cdk-escape-gsi-names.json"),
        real("cdk-escape-sk-ttl-names.json"),
    ];
    for path in files {
        let first = read(&path).model;
        // The importer writes no model that fails the model's own integrity rules.
        let integrity: Vec<_> = analyze(&first)
            .findings
            .into_iter()
            .filter(|f| f.rule.starts_with("model."))
            .collect();
        assert!(integrity.is_empty(), "{}: {integrity:#?}", path.display());
        let text = export::export(&first, ExportFormat::McpJson, &ExportOptions::default()).text;
        let again = import_str(&text, &path, ImportFormat::McpJson)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
            .model;
        assert_eq!(again, first, "{}", path.display());
    }
}

#[test]
fn the_mcp_servers_own_models_come_in_whole() {
    // complex_json_data (the server's CDK tests): TTL on, a 2+2 multi-attribute GSI.
    let m = read(&real("cdk-complex.json")).model;
    let users = m.table("UserTable").unwrap();
    assert_eq!(users.ttl.as_ref().unwrap().attribute, "ttl");
    let orders = m.table("OrderTable").unwrap();
    let multi = orders
        .gsis
        .iter()
        .find(|g| g.partition_key.len() == 2)
        .expect("the multi-attribute GSI");
    assert_eq!(multi.sort_key.len(), 2);
    // CloudFormation carries both, the time to live in the table itself.
    let cfn = export::export(&m, ExportFormat::CloudFormation, &ExportOptions::default());
    assert!(
        cfn.text.contains("\"TimeToLiveSpecification\""),
        "{}",
        cfn.text
    );
    let template: Value = serde_json::from_str(&cfn.text).unwrap();
    let order_gsi =
        &template["Resources"]["OrderTableTable"]["Properties"]["GlobalSecondaryIndexes"][0];
    let kinds: Vec<&str> = order_gsi["KeySchema"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| k["KeyType"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["HASH", "HASH", "RANGE", "RANGE"], "{order_gsi}");
    // The MCP file keeps the time to live outside the tables: the server's
    // validation hands each table to CreateTable, which rejects the field.
    let (doc, report) = exported(&m);
    let tables = doc["tables"].as_array().unwrap();
    assert!(
        tables
            .iter()
            .all(|t| t.get("TimeToLiveSpecification").is_none())
    );
    assert_eq!(doc["time_to_live"], serde_json::json!({"UserTable": "ttl"}));
    assert!(
        report
            .of_kind(NoteKind::Kept)
            .any(|n| n.message.contains("rejects TimeToLiveSpecification")),
        "{report:?}"
    );
    // Four HASH and four RANGE attributes: the most DynamoDB allows.
    let four = read(&real("cdk-gsi-4-hash-keys.json")).model;
    assert_eq!(four.tables[0].gsis[0].partition_key.len(), 4);
    let four = read(&real("cdk-gsi-4-range-keys.json")).model;
    assert_eq!(four.tables[0].gsis[0].sort_key.len(), 4);
    // A disabled TTL is said, not modelled.
    let off = read(&real("cdk-ttl-disabled.json"));
    assert!(off.model.tables[0].ttl.is_none());
    assert!(
        off.report
            .of_kind(NoteKind::Dropped)
            .any(|n| n.at.ends_with("TimeToLiveSpecification"))
    );
    // An INCLUDE that lists only key attributes is KEYS_ONLY, with a note.
    let escape = read(&real("cdk-escape-gsi-names.json"));
    assert_eq!(
        escape.model.tables[0].gsis[0].projection,
        Projection::KeysOnly
    );
    assert!(
        escape
            .report
            .of_kind(NoteKind::Repaired)
            .any(|n| n.message.contains("KEYS_ONLY"))
    );
    // Names with quotes and braces are names, not templates.
    let odd = read(&real("cdk-escape-sk-ttl-names.json")).model;
    assert!(
        odd.tables[0]
            .ttl
            .as_ref()
            .unwrap()
            .attribute
            .contains("require")
    );
    // Fields the format does not have are named, not silently ignored.
    let extra = import_str(
        r#"{"tables": [], "items": {}, "access_patterns": [], "notes": "draft 2"}"#,
        Path::new("extra.json"),
        ImportFormat::McpJson,
    )
    .unwrap();
    assert!(
        extra
            .report
            .of_kind(NoteKind::Dropped)
            .any(|n| n.at == "notes" && n.message.contains("ignored")),
        "{:?}",
        extra.report
    );
    // The generation guide's template holds placeholders such as `S|N|B`: refused,
    // with the path of the first one.
    match import(&real("guide-template-2025-11.json"), ImportFormat::McpJson) {
        Err(ImportError::Shape {
            json_path, message, ..
        }) => {
            assert_eq!(json_path, "tables[0].AttributeDefinitions[0].AttributeType");
            assert!(message.contains("S|N|B"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn exports_say_which_items_they_made_up() {
    let model = dynamodel::model::samples::sample("ecommerce")
        .unwrap()
        .load()
        .unwrap();
    for format in [ExportFormat::McpJson, ExportFormat::NosqlWorkbench] {
        let out = export::export(&model, format, &ExportOptions::default());
        let added: Vec<_> = out.report.of_kind(NoteKind::Added).collect();
        assert_eq!(added.len(), 1, "{format:?}: {:?}", out.report);
        assert!(
            added[0].message.starts_with(
                "5 generated sample item(s) for each entity without items of its own: User, CartItem"
            ),
            "{}",
            added[0].message
        );
    }
}

fn fixture(name: &str) -> PathBuf {
    crate::root().join("tests/fixtures/mcp-json").join(name)
}

/// One defect: a PutItem of a new item on a table with a sort key was dropped at
/// import ("no entity of the table matches the command's key values").
#[test]
fn a_put_of_a_new_item_is_placed_by_its_key_shape() {
    let got = read(&fixture("put-of-a-new-item.json"));
    let p = got.model.pattern("1").unwrap();
    assert_eq!(p.operation, Operation::PutItem);
    assert_eq!(p.entities, ["Txn"], "{:?}", got.report);
    let txn = got.model.entity("Txn").unwrap();
    assert_eq!(txn.keys["SK"], "TXN#{txn_date}#{txn_id}");
}

/// One defect: items carry `account_id` only inside `PK = ACCOUNT#a1`; a call
/// bound to an item needs it back.
#[test]
fn attributes_only_inside_keys_are_read_back_for_calls() {
    let mut model = read(&fixture("attribute-only-in-keys.json")).model;
    let meta = model.entity("Meta").unwrap();
    assert_eq!(meta.keys["PK"], "ACCOUNT#{account_id}");
    assert!(
        meta.example_items
            .iter()
            .all(|i| !i.contains_key("account_id"))
    );
    let whole = meta.with_values_from_keys(&meta.example_items[1]);
    assert_eq!(
        whole.get("account_id"),
        Some(&dynamodel::model::AttrValue::S("a2".into()))
    );
    // A command written anew (the pattern changed) binds to the items' keys.
    model.access_patterns[0].consistency = dynamodel::model::Consistency::Strong;
    let (doc, _) = exported(&model);
    let command = doc["access_patterns"][0]["implementation"]
        .as_str()
        .unwrap();
    assert!(
        command.starts_with("aws dynamodb get-item --table-name Accounts")
            && command.contains(r#""PK":{"S":"ACCOUNT#a1"}"#)
            && command.contains("--consistent-read"),
        "{command}"
    );
}

/// A key of 5,000 `#` segments: each unnamed segment gets a fresh name in
/// constant time (re-probing `pk2`, `pk3`… against every name given so far hung
/// both importers at 5,000 segments and took 6 s at 2,000).
#[test]
fn a_key_of_thousands_of_segments_imports_in_linear_time() {
    // Two items that differ in every segment: each segment is a value.
    let key = |item: &str| -> String {
        (0..5000)
            .map(|i| format!("{item}{i}"))
            .collect::<Vec<_>>()
            .join("#")
    };
    let file = serde_json::json!({
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
    });
    let imported = import_str(
        &file.to_string(),
        Path::new("segments.json"),
        ImportFormat::McpJson,
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let template = imported.model.entities[0].keys["PK"].clone();
    assert_eq!(
        template.matches('{').count(),
        5000,
        "every segment is named"
    );
    let names: std::collections::HashSet<&str> = template
        .split('#')
        .map(|p| p.trim_matches(|c| c == '{' || c == '}'))
        .collect();
    assert_eq!(names.len(), 5000, "no two segments share a name");
}
