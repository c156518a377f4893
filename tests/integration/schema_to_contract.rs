//! The workshop's path end to end: the relational schema imported as a first
//! draft, redesigned by hand (edits as the workbench makes them), and handed over
//! as a migration contract in which every attribute names where it comes from.

use dynamodel::analysis::analyze;
use dynamodel::export::{self, ExportFormat, ExportOptions, ImportFormat};
use dynamodel::model::{Edit, KeyAttribute, KeyType, Model, NewIndex, TableChange};
use serde_json::Value;

fn apply(model: &mut Model, edit: Edit) {
    model
        .apply(&edit)
        .unwrap_or_else(|e| panic!("{edit:?}: {e}"));
}

fn table(model: &Model, name: &str) -> dynamodel::model::Uid {
    model
        .table_uid(name)
        .unwrap_or_else(|| panic!("table {name}"))
}

fn entity(model: &Model, name: &str) -> dynamodel::model::Uid {
    model
        .entity_uid(name)
        .unwrap_or_else(|| panic!("entity {name}"))
}

fn template(model: &mut Model, of: &str, key: &str, text: &str) {
    let e = entity(model, of);
    apply(
        model,
        Edit::SetTemplate {
            entity: e,
            key: key.into(),
            template: Some(text.into()),
        },
    );
}

/// Users (users with their cart lines), Products (products and categories, a
/// GSI by category) and Orders (orders with their lines): the shape of the
/// workshop's redesign, made by hand from the imported draft.
fn redesign(draft: &Model) -> Model {
    let mut m = draft.clone();
    for (from, to) in [
        ("users", "Users"),
        ("products", "Products"),
        ("orders", "Orders"),
    ] {
        let t = table(&m, from);
        apply(
            &mut m,
            Edit::Rename {
                element: dynamodel::model::Element::Table(t),
                name: to.into(),
            },
        );
        apply(
            &mut m,
            Edit::RenameKeyAttribute {
                table: t,
                from: "id".into(),
                to: "PK".into(),
            },
        );
        apply(
            &mut m,
            Edit::Table {
                table: t,
                change: TableChange::PartitionKeyType(KeyType::S),
            },
        );
        apply(
            &mut m,
            Edit::Table {
                table: t,
                change: TableChange::SortKey(Some(KeyAttribute::string("SK"))),
            },
        );
    }
    template(&mut m, "users", "PK", "{email}");
    template(&mut m, "users", "SK", "#META");
    template(&mut m, "products", "PK", "{id}");
    template(&mut m, "products", "SK", "#META");
    template(&mut m, "orders", "PK", "{id}");
    template(&mut m, "orders", "SK", "#META");
    for (moved, into, pk, sk) in [
        ("shopping_carts", "Users", "{user_id}", "CART#{product_id}"),
        ("categories", "Products", "CATEGORIES", "{id}"),
        ("order_items", "Orders", "{order_id}", "ITEM#{product_id}"),
    ] {
        let (e, t) = (entity(&m, moved), table(&m, into));
        apply(
            &mut m,
            Edit::MoveEntity {
                entity: e,
                table: t,
            },
        );
        template(&mut m, moved, "PK", pk);
        template(&mut m, moved, "SK", sk);
    }
    for gone in ["shopping_carts", "categories", "order_items"] {
        let t = table(&m, gone);
        apply(&mut m, Edit::Remove(dynamodel::model::Element::Table(t)));
    }
    let products = table(&m, "Products");
    let gsi = m.new_gsi(products).expect("a GSI name is free");
    apply(
        &mut m,
        Edit::AddIndex {
            table: products,
            index: NewIndex::Gsi(gsi),
        },
    );
    template(&mut m, "products", "GSI1PK", "{category_id}");
    template(&mut m, "products", "GSI1SK", "PRODUCT#{price}#{id}");
    m
}

#[test]
fn the_schema_redesigned_by_hand_hands_over_a_contract_where_every_attribute_names_its_source() {
    let schema = crate::shared().join("workshop/schema.sql");
    let draft = export::import(&schema, ImportFormat::Mysql)
        .unwrap_or_else(|e| panic!("{e}"))
        .model;
    let model = redesign(&draft);
    assert_eq!(
        model
            .tables
            .iter()
            .map(|t| t.name.as_str())
            .collect::<Vec<_>>(),
        ["Users", "Products", "Orders"]
    );
    // The redesign serves its lookups by key: nothing left unresolved.
    let analysis = analyze(&model);
    assert!(
        analysis
            .resolutions
            .iter()
            .all(|r| r.status != dynamodel::analysis::Status::Unresolved),
        "{:#?}",
        analysis
            .resolutions
            .iter()
            .filter(|r| r.problem.is_some())
            .collect::<Vec<_>>()
    );
    let exported = export::export(
        &model,
        ExportFormat::MigrationContract,
        &ExportOptions::default(),
    );
    let doc: Value = serde_json::from_str(&exported.text).unwrap();
    let mut seen = 0;
    for t in doc["tables"].as_array().unwrap() {
        for e in t["entities"].as_array().unwrap() {
            assert!(e["source_table"].is_string(), "{e}");
            for a in e["attributes"].as_array().unwrap() {
                seen += 1;
                let named = (a["source_table"].is_string() && a["source_column"].is_string())
                    || a["join"].is_object();
                assert!(named, "{} {}: {a}", t["table"], e["entity_type"]);
            }
        }
    }
    // Every attribute of the schema's 6 tables, and every key the entities write.
    let columns: usize = draft.entities.iter().map(|e| e.attributes.len()).sum();
    let keys: usize = model.entities.iter().map(|e| e.keys.len()).sum();
    assert_eq!(seen, columns + keys);
    // The contract reads back as the same tables and templates.
    let back = export::import_str(
        &exported.text,
        std::path::Path::new("migrationContract.json"),
        ImportFormat::MigrationContract,
    )
    .unwrap_or_else(|e| panic!("{e}"))
    .model;
    for e in &model.entities {
        let twin = back
            .entities
            .iter()
            .find(|b| b.keys == e.keys)
            .unwrap_or_else(|| panic!("{} with keys {:?} reads back", e.name, e.keys));
        assert_eq!(twin.table, e.table);
    }
}
