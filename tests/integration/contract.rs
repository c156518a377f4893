//! The migration contract (`migrationContract.json`): the Modernizr workshop's
//! own file read and written back field for field, the bundled design written
//! as a contract (golden file), every attribute naming its source, what edits
//! do to what the import kept, and malformed files.

use std::path::{Path, PathBuf};

use dynamodel::export::{
    self, ExportFormat, ExportOptions, ImportError, ImportFormat, Imported, NoteKind, import,
    import_str,
};
use dynamodel::model::{self, Edit, Element, Model, Source, samples};
use serde_json::{Value, json};

fn workshop_contract() -> PathBuf {
    crate::shared()
        .join("workshop")
        .join("migrationContract.json")
}

fn workshop_json() -> Value {
    let text = std::fs::read_to_string(workshop_contract()).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn read_workshop() -> Imported {
    import(&workshop_contract(), ImportFormat::MigrationContract).unwrap_or_else(|e| panic!("{e}"))
}

fn contract_text(model: &Model) -> (String, export::Report) {
    let out = export::export(
        model,
        ExportFormat::MigrationContract,
        &ExportOptions::default(),
    );
    (out.text, out.report)
}

fn contract(model: &Model) -> Value {
    serde_json::from_str(&contract_text(model).0).unwrap()
}

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn table<'a>(doc: &'a Value, name: &str) -> &'a Value {
    doc["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["table"] == name)
        .unwrap_or_else(|| panic!("no table {name}"))
}

fn entity<'a>(table: &'a Value, entity_type: &str) -> &'a Value {
    table["entities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|e| e["entity_type"] == entity_type)
        .unwrap_or_else(|| panic!("no entity {entity_type}"))
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect()
}

fn apply(model: &mut Model, edit: Edit) {
    model
        .apply(&edit)
        .unwrap_or_else(|e| panic!("{edit:?}: {e}"));
}

#[test]
fn the_workshop_contract_round_trips_field_for_field() {
    let original = workshop_json();
    let got = read_workshop();
    assert_eq!(
        got.report.of_kind(NoteKind::Dropped).count(),
        0,
        "{:#?}",
        got.report
    );
    assert!(
        got.report
            .of_kind(NoteKind::Kept)
            .any(|n| n.message.contains("estimated_item_size_bytes")),
        "the report says what went to the migration_contract block: {:#?}",
        got.report
    );
    assert_eq!(contract(&got.model), original);

    // Through the model file too: the kept block is saved and read back.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("workshop.dynamodel.json");
    model::save(&got.model, &path).unwrap();
    let reloaded = model::load(&path).unwrap();
    assert!(reloaded.migration_contract.is_some());
    assert_eq!(contract(&reloaded), original);

    // Without the kept block the model alone still gives the same tables, keys,
    // entities and sources; only what it has no field for differs.
    let mut bare = got.model.clone();
    bare.migration_contract = None;
    let derived = contract(&bare);
    let users = table(&derived, "Users");
    assert_eq!(users["type"], "multi-entity");
    assert_eq!(users["satisfies"], json!([]), "the model has no patterns");
    assert_ne!(users["estimated_item_size_bytes"], 4096);
    assert_eq!(
        entity(users, "ORDER")["attributes"],
        entity(table(&original, "Users"), "ORDER")["attributes"]
    );
    let products = table(&derived, "Products");
    assert!(products.get("attributes").is_none(), "written as an entity");
    assert_eq!(
        entity(products, "PRODUCT")["attributes"],
        table(&original, "Products")["attributes"]
    );
}

#[test]
fn importing_the_workshop_contract_gives_its_tables_indexes_and_key_templates() {
    let original = workshop_json();
    let m = read_workshop().model;
    let table_names: Vec<&str> = m.tables.iter().map(|t| t.name.as_str()).collect();
    assert_eq!(table_names, ["Users", "Products", "Categories"]);
    for spec in original["tables"].as_array().unwrap() {
        let name = spec["table"].as_str().unwrap();
        let t = m.table(name).unwrap();
        assert_eq!(t.partition_key.name, spec["pk"].as_str().unwrap(), "{name}");
        assert_eq!(
            t.sort_key.as_ref().map(|k| k.name.as_str()),
            spec["sk"].as_str(),
            "{name}"
        );
        let gsis: Vec<Value> = t
            .gsis
            .iter()
            .map(|g| {
                json!({
                    "index_name": g.name,
                    "pk": g.partition_key[0].name,
                    "sk": g.sort_key[0].name,
                    "projection": g.projection.label(),
                })
            })
            .collect();
        assert_eq!(Value::Array(gsis), spec["gsis"], "{name}");
        let entities: Vec<&model::Entity> = m.entities_of(name).collect();
        match spec["entities"].as_array() {
            Some(list) => {
                assert_eq!(entities.len(), list.len(), "{name}");
                for (e, written) in entities.iter().zip(list) {
                    assert_eq!(
                        dynamodel::export::contract::entity_type_of(&e.name),
                        written["entity_type"].as_str().unwrap()
                    );
                    assert_eq!(e.source_table, written["source_table"].as_str().unwrap());
                    assert_eq!(e.keys["PK"], written["pk_template"].as_str().unwrap());
                    assert_eq!(e.keys["SK"], written["sk_template"].as_str().unwrap());
                    check_attributes(e, &written["attributes"]);
                }
            }
            None => {
                assert_eq!(
                    entities.len(),
                    1,
                    "{name}: one entity for the table's attributes"
                );
                assert_eq!(
                    entities[0].source_table,
                    spec["source_table"].as_str().unwrap()
                );
                check_attributes(entities[0], &spec["attributes"]);
            }
        }
    }
    let order = m.entity("Order").unwrap();
    assert_eq!(order.keys["SK"], "ORDER#{created_at}#{order_id}");
    assert_eq!(
        order.keys["GSI3PK"], "{order_id}",
        "from the source column orders.id"
    );
    assert!(!order.keys.contains_key("GSI1PK"), "ORDER is not in GSI1");
    let sk = &order.key_sources["SK"];
    assert_eq!(
        sk.transformation.as_ref().unwrap().format.as_deref(),
        Some("ORDER#{created_at}#{id}")
    );
    let cart = m.entity("Cart").unwrap();
    assert_eq!(
        cart.key_sources["PK"].join.as_ref().unwrap().kind,
        "foreign-key"
    );
    let product = m.entity("Product").unwrap();
    assert_eq!(product.keys["SK"], "#META");
    assert_eq!(
        product.keys["GSI1SK"], "{product_name}",
        "products.name is product_name"
    );
    let category = m.entity("Category").unwrap();
    assert_eq!(category.table, "Categories");
    let level = category
        .attribute("level")
        .unwrap()
        .source
        .as_ref()
        .unwrap();
    assert_eq!(level.extra["calculation"]["operation"], "COUNT");
}

/// Every attribute the contract lists is an attribute with that source, or a
/// key attribute with that key source.
fn check_attributes(e: &model::Entity, written: &Value) {
    let mut key_count = 0;
    for a in written.as_array().unwrap() {
        let name = a["name"].as_str().unwrap();
        let source = match e.attribute(name) {
            Some(attribute) => {
                assert_eq!(attribute.attr_type.as_str(), a["type"].as_str().unwrap());
                attribute.source.clone()
            }
            None => {
                key_count += 1;
                assert!(
                    e.keys.contains_key(name),
                    "{}: {name} is a key it writes",
                    e.name
                );
                e.key_sources.get(name).cloned()
            }
        };
        let source = source.unwrap_or_else(|| panic!("{}.{name} has a source", e.name));
        assert_eq!(source.table, a["source_table"].as_str().unwrap());
        assert_eq!(source.column, a["source_column"].as_str().unwrap());
        assert_eq!(serde_json::to_value(&source.join).unwrap(), a["join"]);
    }
    assert_eq!(
        e.attributes.len() + key_count,
        written.as_array().unwrap().len()
    );
}

#[test]
fn the_bundled_design_exports_a_contract_of_its_tables_and_templates() {
    let m = shop();
    let (text, report) = contract_text(&m);
    assert_eq!(contract_text(&m).0, text, "byte-identical twice");
    if let Some(diff) = crate::golden("ecommerce.migrationContract.json", &text) {
        panic!("{diff} (UPDATE_GOLDEN=1 to accept)");
    }
    let doc: Value = serde_json::from_str(&text).unwrap();
    assert_eq!(doc["tables"].as_array().unwrap().len(), m.tables.len());
    for t in &m.tables {
        let written = table(&doc, &t.name);
        assert_eq!(written["pk"], t.partition_key.name.as_str());
        assert_eq!(
            written["sk"].as_str(),
            t.sort_key.as_ref().map(|k| k.name.as_str())
        );
        let gsis: Vec<&str> = written["gsis"]
            .as_array()
            .unwrap()
            .iter()
            .map(|g| g["index_name"].as_str().unwrap())
            .collect();
        assert_eq!(
            gsis,
            t.gsis.iter().map(|g| g.name.as_str()).collect::<Vec<_>>()
        );
        let entities: Vec<&model::Entity> = m.entities_of(&t.name).collect();
        assert_eq!(
            written["entities"].as_array().unwrap().len(),
            entities.len()
        );
        assert_eq!(
            written["type"],
            if entities.len() > 1 {
                "multi-entity"
            } else {
                "single-entity"
            }
        );
        for e in entities {
            let spec = entity(
                written,
                &dynamodel::export::contract::entity_type_of(&e.name),
            );
            assert_eq!(spec["pk_template"], e.keys["PK"].as_str());
            assert_eq!(spec["sk_template"], e.keys["SK"].as_str());
            let listed = names(&spec["attributes"]);
            for a in &e.attributes {
                assert!(listed.contains(&a.name.as_str()), "{}.{}", e.name, a.name);
            }
            for key in e.keys.keys() {
                assert!(listed.contains(&key.as_str()), "{}: key {key}", e.name);
            }
        }
    }
    let users = table(&doc, "Users");
    assert_eq!(
        names(&entity(users, "USER")["attributes"]),
        [
            "PK",
            "SK",
            "email",
            "username",
            "user_id",
            "password_hash",
            "first_name",
            "last_name",
            "is_seller",
            "super_admin",
            "created_at",
            "updated_at",
            "GSI1PK",
            "GSI2PK"
        ]
    );
    let satisfies = users["satisfies"].as_array().unwrap();
    assert!(satisfies.contains(&json!("AP2")), "{satisfies:?}");
    assert!(
        !satisfies.contains(&json!("AP30")),
        "order history is on Orders"
    );
    assert!(
        table(&doc, "Orders")["satisfies"]
            .as_array()
            .unwrap()
            .contains(&json!("AP30"))
    );
    assert!(
        report
            .of_kind(NoteKind::Dropped)
            .any(|n| n.at == "entity User" && n.message.contains("no source")),
        "{report:#?}"
    );
}

#[test]
fn a_model_whose_attributes_all_have_sources_names_every_source() {
    let mut m = shop();
    for e in &mut m.entities {
        let source_table = dynamodel::export::contract::entity_type_of(&e.name).to_lowercase();
        for a in &mut e.attributes {
            a.source = Some(Source::column(&source_table, &a.name));
        }
    }
    let (text, report) = contract_text(&m);
    assert_eq!(
        report
            .of_kind(NoteKind::Dropped)
            .filter(|n| n.at.starts_with("entity"))
            .count(),
        0,
        "{report:#?}"
    );
    let doc: Value = serde_json::from_str(&text).unwrap();
    let mut attributes = 0;
    for t in doc["tables"].as_array().unwrap() {
        for e in t["entities"].as_array().unwrap() {
            for a in e["attributes"].as_array().unwrap() {
                attributes += 1;
                let named = (a["source_table"].is_string() && a["source_column"].is_string())
                    || a["join"].is_object();
                assert!(named, "{} {}: {a}", t["table"], e["entity_type"]);
            }
        }
    }
    let keys: usize = m.entities.iter().map(|e| e.keys.len()).sum();
    let plain: usize = m.entities.iter().map(|e| e.attributes.len()).sum();
    assert_eq!(attributes, keys + plain);

    // Key attributes get their source from the template.
    let products = table(&doc, "Products");
    let product = entity(products, "PRODUCT");
    let gsi1sk = product["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "GSI1SK")
        .unwrap();
    assert_eq!(
        *gsi1sk,
        json!({
            "name": "GSI1SK", "type": "S", "source_table": "product", "source_column": "product_id",
            "transformation": {"type": "string-format", "format": "PRODUCT#{price:010}#{product_id}"}
        })
    );
    let pk = &entity(products, "PRODUCT")["attributes"][0];
    assert_eq!(
        *pk,
        json!({"name": "PK", "type": "S", "source_table": "product", "source_column": "product_id"})
    );
    // A constant template names the column of the entity's first sourced attribute.
    let category_pk = &entity(products, "CATEGORY")["attributes"][0];
    assert_eq!(category_pk["transformation"]["format"], "CATEGORIES");
    assert_eq!(category_pk["source_column"], "category_id");
    assert_eq!(entity(products, "CATEGORY")["source_table"], "category");
}

#[test]
fn edits_after_the_import_never_write_stale_kept_fields() {
    let original = workshop_json();
    let got = read_workshop();

    // A renamed entity: its type follows the name, the table's kept fields give
    // way to the model's, the ids it satisfies stay.
    let mut m = got.model.clone();
    let user = m.entity_uid("User").unwrap();
    apply(
        &mut m,
        Edit::Rename {
            element: Element::Entity(user),
            name: "Customer".into(),
        },
    );
    let (text, report) = contract_text(&m);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let users = table(&doc, "Users");
    let types: Vec<&str> = users["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["CUSTOMER", "CART", "ORDER"]);
    assert_ne!(
        users["estimated_item_size_bytes"], 4096,
        "derived, not the kept estimate"
    );
    assert_eq!(users["satisfies"], table(&original, "Users")["satisfies"]);
    assert!(
        report
            .of_kind(NoteKind::Inferred)
            .any(|n| n.at == "table Users"),
        "{report:#?}"
    );
    assert_eq!(
        table(&doc, "Products"),
        table(&original, "Products"),
        "other tables as they came"
    );

    // A renamed table holding the same entities keeps what was kept of it.
    let mut m = got.model.clone();
    let users = m.table_uid("Users").unwrap();
    apply(
        &mut m,
        Edit::Rename {
            element: Element::Table(users),
            name: "Customers".into(),
        },
    );
    let doc = contract(&m);
    let mut expected = table(&original, "Users").clone();
    expected["table"] = json!("Customers");
    assert_eq!(*table(&doc, "Customers"), expected);

    // A removed entity: the table says what it holds now.
    let mut m = got.model.clone();
    for name in ["Cart", "Order"] {
        let uid = m.entity_uid(name).unwrap();
        apply(&mut m, Edit::Remove(Element::Entity(uid)));
    }
    let doc = contract(&m);
    let users = table(&doc, "Users");
    assert_eq!(users["type"], "single-entity");
    assert_eq!(users["entities"].as_array().unwrap().len(), 1);

    // A key template changed: the key attribute's transformation follows it
    // (in source columns), and the single-entity table still lists its
    // attributes itself.
    let mut m = got.model.clone();
    let product = m.entity_uid("Product").unwrap();
    apply(
        &mut m,
        Edit::SetTemplate {
            entity: product,
            key: "GSI1SK".into(),
            template: Some("NAME#{product_name}".into()),
        },
    );
    let (text, report) = contract_text(&m);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let products = table(&doc, "Products");
    let gsi1sk = products["attributes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["name"] == "GSI1SK")
        .unwrap();
    assert_eq!(
        *gsi1sk,
        json!({"name": "GSI1SK", "type": "S", "source_table": "products", "source_column": "name",
               "transformation": {"type": "string-format", "format": "NAME#{name}"}})
    );
    assert!(
        report
            .of_kind(NoteKind::Inferred)
            .any(|n| n.at == "entity Product"),
        "{report:#?}"
    );
    // ... and reads back as the template it is now.
    let again = import_str(&text, Path::new("c.json"), ImportFormat::MigrationContract).unwrap();
    assert_eq!(
        again.model.entity("Product").unwrap().keys["GSI1SK"],
        "NAME#{product_name}"
    );

    // A second entity in a single-entity table: written with entities.
    let mut m = got.model.clone();
    let mut tag = model::Entity::new("Tag", "Products");
    tag.keys.insert("PK".into(), "TAG#{name}".into());
    tag.keys.insert("SK".into(), "#META".into());
    tag.attributes
        .push(model::Attribute::new("name", model::AttrType::S));
    apply(&mut m, Edit::AddEntity(tag));
    let doc = contract(&m);
    let products = table(&doc, "Products");
    assert!(products.get("attributes").is_none());
    assert_eq!(products["type"], "multi-entity");
    let types: Vec<&str> = products["entities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["entity_type"].as_str().unwrap())
        .collect();
    assert_eq!(types, ["PRODUCT", "TAG"]);
    assert_eq!(
        products["satisfies"],
        table(&original, "Products")["satisfies"]
    );
}

#[test]
fn malformed_contracts_name_the_file_and_the_field() {
    let shape = |doc: Value| -> (String, String) {
        match import_str(
            &doc.to_string(),
            Path::new("bad.json"),
            ImportFormat::MigrationContract,
        ) {
            Err(ImportError::Shape {
                path,
                json_path,
                message,
            }) => {
                assert_eq!(path, Path::new("bad.json"));
                (json_path, message)
            }
            other => panic!("{other:?}"),
        }
    };
    let (at, message) = shape(json!({"tables": [{"table": "T"}]}));
    assert_eq!(at, "tables[0]");
    assert!(message.contains("missing field `pk`"), "{message}");
    let (at, message) = shape(json!({"tables": [{"table": "T", "pk": "PK", "entities": [
        {"entity_type": "A", "attributes": [{"name": "x", "type": "TEXT"}]}
    ]}]}));
    assert_eq!(at, "tables[0].entities[0].attributes[0].type");
    assert!(message.contains("TEXT"), "{message}");
    let (at, message) = shape(json!({"tables": [{"table": "T", "pk": "PK", "entities": [
        {"entity_type": "A", "attributes": [{"name": "PK", "type": "BOOL"}]}
    ]}]}));
    assert_eq!(at, "tables[0].entities[0].attributes[0].type");
    assert!(message.contains("S, N or B"), "{message}");
    let (at, _) = shape(json!({"tables": [{"table": "T", "pk": "PK", "gsis": [
        {"index_name": "G", "pk": "GPK", "projection": "SOME"}
    ]}]}));
    assert_eq!(at, "tables[0].gsis[0].projection");
    let (at, message) = shape(json!({"tables": [
        {"table": "T", "pk": "PK"}, {"table": "T", "pk": "PK"}
    ]}));
    assert_eq!(
        (at.as_str(), message.as_str()),
        ("tables[1].table", "a second table named `T`")
    );
    let (at, _) = shape(json!({"tables": {"table": "T"}}));
    assert_eq!(at, "tables");
    match import_str(
        "{\"tables\": [",
        Path::new("bad.json"),
        ImportFormat::MigrationContract,
    ) {
        Err(e @ ImportError::Syntax { .. }) => assert!(e.to_string().starts_with("bad.json:1:")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_cli_reads_and_writes_contracts() {
    let dir = tempfile::tempdir().unwrap();
    let model_path = dir.path().join("workshop.dynamodel.json");
    let contract_path = dir.path().join("migrationContract.json");
    let run = crate::cli::run;
    let source = workshop_contract();
    let (code, out, err) = run(&[
        "import",
        source.to_str().unwrap(),
        "--from",
        "migration-contract",
        "-o",
        model_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("3 tables, 5 entities"), "{out}");
    assert!(err.contains("kept"), "{err}");
    let (code, _, err) = run(&[
        "export",
        model_path.to_str().unwrap(),
        "--to",
        "migration-contract",
        "-o",
        contract_path.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let back: Value =
        serde_json::from_str(&std::fs::read_to_string(&contract_path).unwrap()).unwrap();
    assert_eq!(back, workshop_json());
    assert_eq!(
        ExportFormat::MigrationContract.default_file_name(&shop(), false),
        "migrationContract.json"
    );
}
