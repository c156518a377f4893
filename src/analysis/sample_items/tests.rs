use std::collections::HashSet;

use serde_json::json;

use super::*;
use crate::analysis::test_support::{base, entity, model};
use crate::model::samples;

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn values<'a>(set: &'a SampleSet, entity: &str, attribute: &str) -> Vec<&'a AttrValue> {
    set.items_of(entity)
        .iter()
        .filter_map(|i| i.get(attribute))
        .collect()
}

#[test]
fn the_same_model_gives_the_same_items() {
    let m = shop();
    let a = generate(&m, &SampleCounts::default());
    let b = generate(&m, &SampleCounts::default());
    assert_eq!(a, b);
    let text = |s: &SampleSet| {
        s.entities
            .iter()
            .flat_map(|e| e.items.iter().map(crate::model::item_to_json))
            .map(|v| v.to_string())
            .collect::<Vec<_>>()
            .join("\n")
    };
    assert_eq!(text(&a), text(&b));
    // Asking for more items keeps the first ones.
    let more = generate(&m, &SampleCounts::uniform(8));
    assert_eq!(&more.items_of("User")[..5], a.items_of("User"));
}

#[test]
fn counts_are_honoured_per_entity() {
    let m = shop();
    let set = generate(
        &m,
        &SampleCounts::uniform(3).with("User", 7).with("Order", 0),
    );
    assert_eq!(set.items_of("User").len(), 7);
    assert_eq!(set.items_of("Order").len(), 0);
    assert_eq!(set.items_of("Product").len(), 3);
    let names: Vec<_> = set.entities.iter().map(|e| e.entity.as_str()).collect();
    let model_order: Vec<_> = m.entities.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(names, model_order, "entities come back in model order");
    let dropped: Vec<_> = set
        .entities
        .iter()
        .map(|e| (&e.entity, e.duplicate_keys))
        .collect();
    assert_eq!(set.len(), 7 + 3 * 5, "{dropped:?}");
    assert_eq!(set.table_items("Users").count(), 7 + 3 + 3);
}

#[test]
fn foreign_keys_point_at_generated_parents() {
    let set = generate(&shop(), &SampleCounts::default());
    let check = |child: &str, attr: &str, parent: &str, parent_attr: &str| {
        let parents: HashSet<_> = values(&set, parent, parent_attr).into_iter().collect();
        let children = values(&set, child, attr);
        assert_eq!(children.len(), 5, "{child}.{attr}");
        for v in children {
            assert!(
                parents.contains(v),
                "{child}.{attr} = {v} is no {parent}.{parent_attr}"
            );
        }
    };
    check("CartItem", "email", "User", "email");
    check("CartItem", "product_id", "Product", "product_id");
    check("SellerProfile", "email", "User", "email");
    check("Product", "seller_id", "SellerProfile", "seller_id");
    check("Product", "category_id", "Category", "category_id");
    check("Category", "parent_id", "Category", "category_id");
    check("Order", "email", "User", "email");
    check("OrderItem", "order_id", "Order", "order_id");
}

#[test]
fn keys_are_rendered_from_the_templates() {
    let set = generate(&shop(), &SampleCounts::default());
    for user in set.items_of("User") {
        assert_eq!(user.get("PK"), user.get("email"));
        assert_eq!(user["SK"], AttrValue::S("#META".into()));
        assert_eq!(user.get("GSI1PK"), user.get("username"));
        assert_eq!(user.get("GSI2PK"), user.get("user_id"));
        assert!(
            !user.contains_key("GSI3PK"),
            "users are absent from the sparse GSI3"
        );
    }
    for cart in set.items_of("CartItem") {
        let AttrValue::S(product) = &cart["product_id"] else {
            panic!()
        };
        assert_eq!(cart["SK"], AttrValue::S(format!("CART#{product}")));
        assert!(!cart.contains_key("GSI1PK"));
    }
    for product in set.items_of("Product") {
        let AttrValue::N(price) = &product["price"] else {
            panic!()
        };
        let AttrValue::S(sk) = &product["GSI1SK"] else {
            panic!()
        };
        assert!(sk.starts_with("PRODUCT#"), "{sk}");
        let padded = sk.split('#').nth(1).unwrap();
        assert_eq!(padded.len(), 10, "{sk}");
        assert_eq!(
            padded.trim_start_matches('0'),
            price.trim_start_matches('0')
        );
    }
    let categories = set.items_of("Category");
    assert!(
        categories
            .iter()
            .all(|c| c["PK"] == AttrValue::S("CATEGORIES".into()))
    );
    let ids: Vec<_> = categories
        .iter()
        .map(|c| c["category_id"].display())
        .collect();
    assert_eq!(ids, ["C0001", "C0002", "C0003", "C0004", "C0005"]);
}

#[test]
fn number_keys_get_number_values() {
    let initial = samples::sample("ecommerce-initial")
        .unwrap()
        .load()
        .unwrap();
    let set = generate(&initial, &SampleCounts::default());
    for product in set.items_of("Product") {
        assert!(matches!(product["price"], AttrValue::N(_)));
        let AttrValue::S(pk) = &product["PK"] else {
            panic!()
        };
        assert!(pk.starts_with("PROD_"), "{pk}");
    }
}

#[test]
fn primary_keys_are_unique_within_a_table() {
    let set = generate(&shop(), &SampleCounts::uniform(40));
    for table in ["Users", "Products", "Orders"] {
        let mut seen = HashSet::new();
        for (entity, item) in set.table_items(table) {
            let key = (item["PK"].display(), item["SK"].display());
            assert!(
                seen.insert(key.clone()),
                "{entity} repeats {key:?} in {table}"
            );
        }
    }
}

#[test]
fn items_that_can_only_repeat_a_key_are_dropped_and_counted() {
    let mut m = base();
    entity(&mut m, "Customer")["keys"] = json!({"PK": "SETTINGS", "SK": "#GLOBAL"});
    let set = generate(&model(m), &SampleCounts::default());
    let customers = set.entity("Customer").unwrap();
    assert_eq!(customers.items.len(), 1);
    assert_eq!(customers.duplicate_keys, 4);
}

#[test]
fn attributes_without_generators_get_typed_defaults() {
    let set = generate(&model(base()), &SampleCounts::default());
    let order = &set.items_of("Order")[0];
    assert!(matches!(order["total"], AttrValue::N(_)), "{order:?}");
    let AttrValue::S(email) = &set.items_of("Customer")[0]["email"] else {
        panic!()
    };
    assert!(email.contains('@'), "{email}");
    let AttrValue::S(id) = &order["order_id"] else {
        panic!()
    };
    assert_eq!(id.len(), 36, "ids default to UUIDs: {id}");
}

#[test]
fn example_items_come_first() {
    let mut m = base();
    entity(&mut m, "Customer")["example_items"] = json!([
        {"PK": {"S": "ann@example.com"}, "SK": {"S": "#PROFILE"}, "email": {"S": "ann@example.com"}}
    ]);
    let set = generate(&model(m), &SampleCounts::default());
    let customers = set.items_of("Customer");
    assert_eq!(customers.len(), 5);
    assert_eq!(
        customers[0]["email"],
        AttrValue::S("ann@example.com".into())
    );
    assert_eq!(customers[0].len(), 3, "kept as it is");
    assert!(customers[1].contains_key("created_at"));
}

#[test]
fn ten_thousand_items_per_entity() {
    let m = shop();
    let start = std::time::Instant::now();
    let set = generate(&m, &SampleCounts::uniform(10_000));
    let elapsed = start.elapsed();
    assert_eq!(set.items_of("User").len(), 10_000);
    let dropped: Vec<_> = set
        .entities
        .iter()
        .map(|e| (&e.entity, e.duplicate_keys))
        .collect();
    assert!(set.len() >= 69_000, "{} {dropped:?}", set.len());
    // Generous even for an unoptimised build; release takes a fraction of this.
    assert!(elapsed.as_secs() < 30, "{elapsed:?}");
}

#[test]
fn retries_reach_every_combination_of_parents() {
    // Cart lines are keyed by user and product: 5 users × 5 products give 25 keys,
    // so 12 lines must all find one (retries moving both references in step would
    // only ever try 5 of them).
    let set = generate(&shop(), &SampleCounts::uniform(5).with("CartItem", 12));
    let cart = set.entity("CartItem").unwrap();
    assert_eq!(cart.duplicate_keys, 0);
    assert_eq!(cart.items.len(), 12);
    let keys: HashSet<(String, String)> = cart
        .items
        .iter()
        .map(|i| (i["PK"].display(), i["SK"].display()))
        .collect();
    assert_eq!(keys.len(), 12);
}
