use std::path::Path;

use serde_json::{Value, json};

use super::*;
use crate::export::{ImportError, ImportFormat, Imported, import_str};
use crate::model::samples;

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn exported(model: &Model) -> Value {
    serde_json::from_str(&export(model, &SampleCounts::default()).text).unwrap()
}

fn read(value: &Value) -> Imported {
    import_str(
        &value.to_string(),
        Path::new("shop.json"),
        ImportFormat::NosqlWorkbench,
    )
    .unwrap()
}

#[test]
fn writes_the_workbench_shape() {
    let doc = exported(&shop());
    let top: Vec<&String> = doc.as_object().unwrap().keys().collect();
    assert_eq!(
        top,
        ["ModelName", "ModelMetadata", "DataModel", "dynamodel"]
    );
    assert_eq!(doc["ModelMetadata"]["Version"], "3.0");
    let users = &doc["DataModel"][0];
    assert_eq!(users["TableName"], "Users");
    assert_eq!(
        users["KeyAttributes"]["SortKey"],
        json!({"AttributeName": "SK", "AttributeType": "S"})
    );
    assert_eq!(users["BillingMode"], "PAY_PER_REQUEST");
    let cart = &users["TableFacets"][1];
    assert_eq!(cart["FacetName"], "CartItem");
    assert_eq!(
        cart["KeyAttributeAlias"],
        json!({"PartitionKeyAlias": "{email}", "SortKeyAlias": "CART#{product_id}"})
    );
    assert_eq!(cart["TableData"].as_array().unwrap().len(), 5);
    let user_attrs: Vec<&str> = users["TableFacets"][0]["NonKeyAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(
        user_attrs.ends_with(&["GSI1PK", "GSI2PK"]),
        "{user_attrs:?}"
    );
    let declared: Vec<&str> = users["NonKeyAttributes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["AttributeName"].as_str().unwrap())
        .collect();
    assert!(
        declared.contains(&"GSI3PK") && !declared.contains(&"PK"),
        "{declared:?}"
    );
    assert_eq!(
        users["GlobalSecondaryIndexes"][0]["KeyAttributes"]["PartitionKey"]["AttributeName"],
        "GSI1PK"
    );
}

#[test]
fn the_report_says_what_went_into_the_extension_field() {
    let out = export(&shop(), &SampleCounts::default());
    let kept: Vec<_> = out.report.of_kind(NoteKind::Kept).collect();
    assert_eq!(kept.len(), 1, "{:?}", out.report);
    assert!(
        kept[0].message.contains("the 48 access patterns"),
        "{}",
        kept[0].message
    );
}

#[test]
fn an_unchanged_export_reads_back_exactly() {
    for sample in samples::SAMPLES {
        let m = sample.load().unwrap();
        let back = read(&exported(&m));
        assert_eq!(back.model, m, "{}", sample.id);
        assert_eq!(back.report.notes.len(), 1, "{:?}", back.report);
    }
}

#[test]
fn without_the_extension_the_workbench_part_still_gives_the_model() {
    let m = shop();
    let mut doc = exported(&m);
    doc.as_object_mut().unwrap().remove("dynamodel");
    let back = read(&doc).model;
    let names = |m: &Model| {
        m.tables
            .iter()
            .map(|t| {
                (
                    t.name.clone(),
                    t.partition_key.clone(),
                    t.sort_key.clone(),
                    t.gsis.clone(),
                    t.billing.clone(),
                )
            })
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&back), names(&m));
    let entities = |m: &Model| {
        m.entities
            .iter()
            .map(|e| (e.name.clone(), e.table.clone()))
            .collect::<Vec<_>>()
    };
    assert_eq!(entities(&back), entities(&m));
    for e in &m.entities {
        let b = back.entity(&e.name).unwrap();
        for (key, template) in &e.keys {
            assert_eq!(b.keys.get(key), Some(template), "{}[{key}]", e.name);
        }
        for a in &e.attributes {
            assert_eq!(
                b.attribute(&a.name).map(|x| x.attr_type),
                Some(a.attr_type),
                "{}.{}",
                e.name,
                a.name
            );
        }
        assert_eq!(b.example_items.len(), 5);
    }
    // The items come back as they were written.
    let set = crate::analysis::sample_items::generate(&m, &SampleCounts::default());
    assert_eq!(
        back.entity("User").unwrap().example_items,
        set.items_of("User")
    );
    assert!(back.access_patterns.is_empty());
}

#[test]
fn an_edited_file_keeps_the_edits_and_restores_the_rest() {
    let m = shop();
    let mut doc = exported(&m);
    doc["DataModel"][0]["TableFacets"][0]["TableData"][0]["first_name"] = json!({"S": "Edited"});
    doc["DataModel"][2]["GlobalSecondaryIndexes"][0]["Projection"] =
        json!({"ProjectionType": "KEYS_ONLY"});
    let back = read(&doc);
    let model = back.model;
    assert_eq!(model.access_patterns, m.access_patterns);
    assert_eq!(model.conventions, m.conventions);
    assert_eq!(
        model.table("Orders").unwrap().gsis[0].projection,
        crate::model::Projection::KeysOnly
    );
    let user = model.entity("User").unwrap();
    assert_eq!(
        user.example_items[0]["first_name"],
        crate::model::AttrValue::S("Edited".into())
    );
    assert_eq!(user.keys, m.entity("User").unwrap().keys);
    assert_eq!(user.attributes, m.entity("User").unwrap().attributes);
    let cart = model.entity("CartItem").unwrap();
    assert!(
        cart.example_items.is_empty(),
        "unchanged items are generated again, not kept"
    );
    assert_eq!(
        model.entity("Product").unwrap().keys,
        m.entity("Product").unwrap().keys
    );
    assert!(
        back.report
            .notes
            .iter()
            .any(|n| n.message.contains("changed since export"))
    );
}

#[test]
fn older_and_bare_files_are_tolerated() {
    let m = shop();
    let mut doc = exported(&m);
    doc.as_object_mut().unwrap().remove("dynamodel");
    doc["ModelMetadata"]["Version"] = json!("2.0");
    let v2 = read(&doc);
    assert!(
        v2.report
            .notes
            .iter()
            .all(|n| !n.message.contains("version"))
    );
    doc.as_object_mut().unwrap().remove("ModelMetadata");
    let bare = read(&doc);
    assert_eq!(bare.model.tables.len(), 3);
    assert!(bare.report.notes.iter().any(|n| n.at == "ModelMetadata"));
}

#[test]
fn malformed_files_name_the_json_path() {
    let err = |value: Value| match import_str(
        &value.to_string(),
        Path::new("m.json"),
        ImportFormat::NosqlWorkbench,
    ) {
        Err(ImportError::Shape {
            path,
            json_path,
            message,
        }) => {
            assert_eq!(path, Path::new("m.json"));
            format!("{json_path}: {message}")
        }
        other => panic!("{other:?}"),
    };
    assert_eq!(
        err(json!({"ModelName": "x"})),
        "DataModel: missing field `DataModel`"
    );
    assert_eq!(
        err(
            json!({"DataModel": [{"TableName": "T", "KeyAttributes": {"PartitionKey": {"AttributeName": "PK", "AttributeType": "BOOL"}}}]})
        ),
        "DataModel[0].KeyAttributes.PartitionKey.AttributeType: a key attribute is S, N or B, not `BOOL`"
    );
    assert_eq!(
        err(
            json!({"DataModel": [{"TableName": "T", "KeyAttributes": {"PartitionKey": {"AttributeName": "PK", "AttributeType": "S"}},
            "TableFacets": [{"FacetName": "F", "TableData": [{"PK": {"S": ["a"]}}]}]}]})
        ),
        "DataModel[0].TableFacets[0].TableData[0].PK.S: expected a string, found an array"
    );
    assert_eq!(err(json!([1])), ".: expected an object, found an array");
}

#[test]
fn lsis_are_written_as_workbench_indexes() {
    let mut m = shop();
    let table = m.tables[0].name.clone();
    let sort_key = crate::model::KeyAttribute::string("created_at");
    m.tables[0].lsis.push(crate::model::Lsi {
        uid: Default::default(),
        name: "ByCreated".into(),
        sort_key: sort_key.clone(),
        projection: crate::model::Projection::KeysOnly,
    });
    let out = export(&m, &SampleCounts::default());
    assert!(
        out.report.notes.iter().all(|n| !n.at.contains("ByCreated")),
        "{:?}",
        out.report
    );
    let doc: Value = serde_json::from_str(&out.text).unwrap();
    let written = &doc["DataModel"][0];
    assert_eq!(written["TableName"], json!(table));
    assert_eq!(
        written["LocalSecondaryIndexes"],
        json!([{
            "IndexName": "ByCreated",
            "KeyAttributes": {
                "PartitionKey": key(&m.tables[0].partition_key),
                "SortKey": {"AttributeName": "created_at", "AttributeType": "S"}
            },
            "Projection": {"ProjectionType": "KEYS_ONLY"}
        }])
    );
    assert!(
        written["NonKeyAttributes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["AttributeName"] == "created_at"),
        "the LSI's sort key is declared"
    );
    assert_eq!(read(&doc).model, m);
    // Edited in NoSQL Workbench: the file's LSIs are read as they are now.
    let mut edited = doc.clone();
    edited["DataModel"][0]["LocalSecondaryIndexes"][0]["Projection"] =
        json!({"ProjectionType": "ALL"});
    let back = read(&edited).model;
    assert_eq!(
        back.tables[0].lsis[0].projection,
        crate::model::Projection::All
    );
    assert_eq!(back.tables[0].lsis[0].sort_key, sort_key);
}
