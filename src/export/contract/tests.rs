use std::path::{Path, PathBuf};

use serde_json::{Value, json};

use super::*;
use crate::export::{ImportFormat, Imported, NoteKind, import, import_str};
use crate::model::{AccessPattern, AttrType, Attribute, Model, Operation};

fn read(value: &Value) -> Imported {
    import_str(
        &value.to_string(),
        Path::new("contract.json"),
        ImportFormat::MigrationContract,
    )
    .unwrap_or_else(|e| panic!("{e}"))
}

fn written(model: &Model) -> Value {
    serde_json::from_str(&export(model).text).unwrap()
}

fn workshop() -> Imported {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../shared/workshop")
        .join(FILE_NAME);
    import(&path, ImportFormat::MigrationContract).unwrap_or_else(|e| panic!("{e}"))
}

/// An entity of `orders` with `order_id` ← `orders.id` and `created_at`.
fn order() -> Entity {
    let mut e = Entity::new("Order", "Users");
    e.source_table = "orders".into();
    for (name, column) in [("order_id", "id"), ("created_at", "created_at")] {
        let mut a = Attribute::new(name, AttrType::S);
        a.source = Some(Source::column("orders", column));
        e.attributes.push(a);
    }
    e
}

#[test]
fn entity_types_and_names_convert_both_ways() {
    for (name, entity_type) in [
        ("User", "USER"),
        ("OrderItem", "ORDER_ITEM"),
        ("SKU2Item", "SKU2_ITEM"),
        ("order line", "ORDER_LINE"),
    ] {
        assert_eq!(entity_type_of(name), entity_type);
    }
    for entity_type in ["USER", "ORDER_ITEM", "CART"] {
        assert_eq!(entity_type_of(&entity_name_of(entity_type)), entity_type);
    }
    assert_eq!(entity_name_of("ORDER_ITEM"), "OrderItem");
    assert_eq!(singular("Categories"), "Category");
    assert_eq!(singular("Products"), "Product");
    assert_eq!(singular("Address"), "Address");
}

#[test]
fn templates_translate_between_attributes_and_source_columns() {
    let e = order();
    assert_eq!(
        to_attribute_terms(&e, "ORDER#{created_at}#{id}"),
        "ORDER#{created_at}#{order_id}"
    );
    assert_eq!(
        to_column_terms(&e, "ORDER#{created_at}#{order_id:08}"),
        "ORDER#{created_at}#{id:08}",
        "widths stay"
    );
    assert_eq!(to_attribute_terms(&e, "{unknown}"), "{unknown}");
    assert_eq!(to_attribute_terms(&e, "not {a template"), "not {a template");
    let format = |f: &str| Source {
        transformation: Some(Transformation {
            kind: "string-format".into(),
            format: Some(f.into()),
            extra: Default::default(),
        }),
        ..Source::column("orders", "id")
    };
    assert!(source_fits(
        &e,
        &format("ORDER#{created_at}#{id}"),
        "ORDER#{created_at}#{order_id}"
    ));
    assert!(!source_fits(
        &e,
        &format("ORDER#{id}"),
        "ORDER#{created_at}#{order_id}"
    ));
    assert!(source_fits(
        &e,
        &Source::column("orders", "id"),
        "{order_id}"
    ));
    assert!(!source_fits(
        &e,
        &Source::column("orders", "id"),
        "O#{order_id}"
    ));
    let refitted = refit(&e, &format("ORDER#{id}"), "O#{created_at}");
    assert_eq!(
        refitted.transformation.unwrap().format.as_deref(),
        Some("O#{created_at}")
    );
    assert_eq!(
        refit(&e, &format("ORDER#{id}"), "{order_id}").transformation,
        None
    );
    assert_eq!(
        template_from_source(&e, &Source::column("orders", "id")).as_deref(),
        Some("{order_id}")
    );
}

#[test]
fn fields_the_format_does_not_name_are_kept_and_written_back() {
    let doc = json!({
        "version": "2",
        "tables": [{
            "table": "Sessions", "type": "single", "owner": "auth team", "pk": "PK",
            "gsis": [{"index_name": "ByUser", "pk": "user_id", "projection": "KEYS_ONLY", "note": "sparse"}],
            "entities": [{
                "entity_type": "SESSION", "source_table": "sessions", "pk_template": "SESSION#{token}",
                "ttl_hint": 3600,
                "attributes": [
                    {"name": "user_id", "type": "S", "source_table": "sessions", "source_column": "user_id"},
                    {"name": "PK", "type": "S", "source_table": "sessions", "source_column": "token",
                     "transformation": {"type": "string-format", "format": "SESSION#{token}", "case": "upper"}},
                    {"name": "token", "type": "S", "source_table": "sessions", "source_column": "token",
                     "denormalized": false}
                ]
            }]
        }]
    });
    let got = read(&doc);
    assert_eq!(
        got.report.of_kind(NoteKind::Dropped).count(),
        0,
        "{:#?}",
        got.report
    );
    let session = got.model.entity("Session").unwrap();
    assert_eq!(session.keys["PK"], "SESSION#{token}");
    assert!(
        session.attribute("user_id").is_some() && !session.keys.contains_key("user_id"),
        "a GSI keyed on a plain attribute: the attribute is the key"
    );
    let layout = got.model.migration_contract.as_ref().unwrap();
    assert_eq!(layout.fields["version"], "2");
    let table = &layout.tables["Sessions"];
    assert_eq!(table.kept.fields["type"], "single");
    assert_eq!(
        table.kept.absent,
        ["source_table", "satisfies", "estimated_item_size_bytes"],
        "what the export derives and the contract did not say"
    );
    assert_eq!(table.gsis["ByUser"].fields["note"], "sparse");
    let entity = &table.entity_layouts["Session"];
    assert_eq!(entity.kept.fields["ttl_hint"], 3600);
    assert_eq!(entity.attribute_order, ["user_id", "PK", "token"]);
    assert_eq!(written(&got.model), doc);
}

#[test]
fn what_a_table_satisfies_follows_the_models_own_patterns() {
    let got = workshop();
    let original = written(&got.model);
    let ids = |doc: &Value, t: usize| -> Vec<String> {
        doc["tables"][t]["satisfies"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_str().unwrap().to_string())
            .collect()
    };
    let mut m = got.model.clone();
    // AP1 ("create user account") placed on Products, a new AP99 on Users,
    // AP6 served outside DynamoDB.
    let mut ap1 = AccessPattern::new("AP1", "create a product", Operation::PutItem);
    ap1.entities = vec!["Product".into()];
    let mut ap99 = AccessPattern::new("AP99", "user by email", Operation::GetItem);
    ap99.entities = vec!["User".into()];
    ap99.inputs = vec!["email".into()];
    let mut ap6 = AccessPattern::new("AP6", "logout", Operation::GetItem);
    ap6.outside_dynamodb = Some("token invalidation".into());
    m.access_patterns = vec![ap1, ap99, ap6];
    let doc = written(&m);

    let mut users = ids(&original, 0);
    users.retain(|id| id != "AP1");
    users.push("AP99".into());
    assert_eq!(ids(&doc, 0), users);
    let mut products = ids(&original, 1);
    products.push("AP1".into());
    assert_eq!(ids(&doc, 1), products);
    assert_eq!(ids(&doc, 2), ids(&original, 2));
}

#[test]
fn a_kept_layout_that_no_longer_matches_is_not_used() {
    let got = workshop();
    let mut m = got.model.clone();
    // A new entity takes a removed one's name: it did not come from the same
    // source table, so what was kept of the old one does not apply.
    let layout = m.migration_contract.as_mut().unwrap();
    let users = layout.tables.get_mut("Users").unwrap();
    let cart = users.entity_layouts.get_mut("Cart").unwrap();
    cart.attribute_order = vec!["SK".into(), "PK".into()];
    cart.kept
        .fields
        .insert("entity_type".into(), json!("BASKET"));
    let doc = written(&m);
    let cart_entity = &doc["tables"][0]["entities"][1];
    assert_eq!(
        cart_entity["entity_type"], "BASKET",
        "kept, while it matches"
    );
    assert_eq!(cart_entity["attributes"][0]["name"], "SK");

    let at = m.entities.iter().position(|e| e.name == "Cart").unwrap();
    m.entities[at].source_table = "baskets".into();
    let doc = written(&m);
    let cart_entity = &doc["tables"][0]["entities"][1];
    assert_eq!(cart_entity["entity_type"], "CART");
    assert_eq!(cart_entity["source_table"], "baskets");
    assert_eq!(cart_entity["attributes"][0]["name"], "PK");
}
