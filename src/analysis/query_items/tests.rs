//! Counts checked by hand against the bundled `ecommerce` model's default
//! samples (5 items per entity). In the Users table the cart lines' `email`
//! references give: CartItem 0 and 3 → amelia.johnson5@example.com, 2 and 4 →
//! harper.schmidt2@example.net, 1 → yuki.moore1@example.net; every user's
//! partition also holds their User (#META) and SellerProfile (#SELLER) item.

use super::*;
use crate::analysis::analyze;
use crate::analysis::sample_items::{SampleCounts, generate};
use crate::model::samples;

fn shop() -> Model {
    samples::sample("ecommerce").unwrap().load().unwrap()
}

fn run(model: &Model, id: &str) -> PatternItems {
    let set = generate(model, &SampleCounts::default());
    let analysis = analyze(model);
    evaluate(model, &analysis, model.pattern(id).unwrap(), &set).unwrap()
}

fn refs(items: &[(&str, usize)]) -> BTreeSet<ItemRef> {
    items
        .iter()
        .map(|&(entity, position)| ItemRef {
            entity: entity.to_string(),
            position,
        })
        .collect()
}

#[test]
fn a_users_cart_returns_the_cart_lines_of_the_fullest_partition() {
    let items = run(&shop(), "AP38");
    // Amelia and Harper Schmidt have 2 cart lines each; Amelia's email sorts
    // first. Her partition: User + SellerProfile + 2 CartItems = 4 items;
    // begins_with(SK, "CART#") keeps the 2 cart lines, within the Limit of 4.
    assert_eq!(
        items.partition.as_deref(),
        Some("amelia.johnson5@example.com")
    );
    assert_eq!(
        items.condition_text(),
        r#"PK = "amelia.johnson5@example.com" AND begins_with(SK, "CART#")"#
    );
    assert_eq!(items.returned, refs(&[("CartItem", 0), ("CartItem", 3)]));
    assert_eq!(
        items.read, items.returned,
        "no filter: it reads what it returns"
    );
    assert_eq!(items.limit, Some(4));
    assert_eq!(
        items.summary(),
        "returns 2 of 4 items in the partition; reads 2"
    );
    assert_eq!(items.mark("CartItem", 3), Mark::Returned);
    assert_eq!(items.mark("User", 4), Mark::Untouched);
}

#[test]
fn an_item_collection_returns_the_order_and_its_lines() {
    let items = run(&shop(), "AP31");
    // Order 4 has order lines 0 and 2: 3 items, the most of any order partition.
    assert_eq!(
        items.returned,
        refs(&[("Order", 4), ("OrderItem", 0), ("OrderItem", 2)])
    );
    assert_eq!(
        items.summary(),
        "returns 3 of 3 items in the partition; reads 3"
    );
}

#[test]
fn a_range_is_bound_to_the_sample_items_own_value() {
    let items = run(&shop(), "AP30");
    // Harper Schmidt has 3 orders in GSI1; the range is bound to the first one's
    // created_at (2024-11-29), so 1 of the 3 is returned.
    assert_eq!(items.index.as_deref(), Some("GSI1"));
    assert_eq!(
        items.summary(),
        "returns 1 of 3 items in the partition; reads 1"
    );
    assert_eq!(items.returned, refs(&[("Order", 3)]));
    assert!(
        items
            .condition_text()
            .ends_with(r#"BETWEEN "ORDER#2024-11-29T01:53:27Z" AND "ORDER#2024-11-29T01:53:27Z…""#),
        "{}",
        items.condition_text()
    );
}

#[test]
fn a_filter_reads_the_whole_condition_and_keeps_the_matching_items() {
    let mut model = shop();
    let ap38 = model
        .access_patterns
        .iter_mut()
        .find(|p| p.id == "AP38")
        .unwrap();
    ap38.inputs.push("quantity".into());
    let items = run(&model, "AP38");
    // Amelia's cart lines have quantity 7 (CartItem 0) and 6 (CartItem 3): the
    // key condition reads both, `quantity = 7` keeps one; no Limit on a filter.
    assert_eq!(items.filter_text(), "quantity = 7");
    assert_eq!(items.read, refs(&[("CartItem", 0), ("CartItem", 3)]));
    assert_eq!(items.returned, refs(&[("CartItem", 0)]));
    assert_eq!(items.mark("CartItem", 3), Mark::Dropped);
    assert_eq!(items.limit, None);
    assert_eq!(
        items.summary(),
        "returns 1 of 4 items in the partition; reads 2"
    );
}

#[test]
fn a_scan_reads_every_item_of_the_index() {
    let mut model = shop();
    let mut scan = model.pattern("AP38").unwrap().clone();
    scan.id = "AP99".into();
    scan.inputs = vec!["quantity".into()];
    model.access_patterns.push(scan);
    let items = run(&model, "AP99");
    // The Users table holds 5 users, 5 seller profiles and 5 cart lines: the scan
    // reads all 15; only CartItem 0 has quantity 7 (the others: 1, 6, 6, 4).
    assert_eq!(items.call, Operation::Scan);
    assert_eq!(items.partition, None);
    assert_eq!(items.read.len(), 15);
    assert_eq!(items.returned, refs(&[("CartItem", 0)]));
    assert_eq!(
        items.summary(),
        "returns 1 of 15 items in the index; reads 15"
    );
}

#[test]
fn writes_and_patterns_outside_dynamodb_have_no_items() {
    let model = shop();
    let set = generate(&model, &SampleCounts::default());
    let analysis = analyze(&model);
    for id in ["AP1", "AP9"] {
        let p = model.pattern(id).unwrap();
        assert!(evaluate(&model, &analysis, p, &set).is_err(), "{id}");
    }
}

#[test]
fn the_request_matches_the_exported_command_with_the_same_values() {
    let model = shop();
    let items = run(&model, "AP38");
    let analysis = analyze(&model);
    let p = model.pattern("AP38").unwrap();
    let plan = analysis.resolution("AP38").unwrap().plan.as_ref().unwrap();
    let call =
        crate::export::mcp_json::read_bound_to(&model, plan, p, &items.bound, items.limit).unwrap();
    assert_eq!(
        call.command,
        "aws dynamodb query --table-name Users \
         --key-condition-expression '#PK = :email AND begins_with(#SK, :sk)' \
         --expression-attribute-names '{\"#PK\":\"PK\",\"#SK\":\"SK\"}' \
         --expression-attribute-values \
         '{\":email\":{\"S\":\"amelia.johnson5@example.com\"},\":sk\":{\"S\":\"CART#\"}}' \
         --limit 4"
    );
    let parsed = crate::export::aws_cli::AwsCall::parse(&call.command).unwrap();
    assert_eq!(parsed.operation, "Query");
}
