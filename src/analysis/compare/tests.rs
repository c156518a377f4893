//! Hand-made pairs, one kind of change each, with the figures worked out by hand.

use serde_json::{Value, json};

use super::*;
use crate::analysis::analyze;
use crate::analysis::test_support::{entity, model, pattern};
use crate::model::{Edit, Element, Model};

/// Table Orders (PK only, no index) holding 1,000 Orders of 2,104 bytes each:
/// order_id 8 + 36, status 6 + 9, payload 7 + 2,000, and the key PK 2 + 36
/// (it is not an attribute of its own) — three write units an item.
fn base() -> Value {
    json!({
        "format_version": 1,
        "name": "Orders v1",
        "tables": [{
            "name": "Orders",
            "partition_key": {"name": "PK", "type": "S"},
            "billing": {"mode": "on_demand"}
        }],
        "entities": [{
            "name": "Order",
            "table": "Orders",
            "attributes": [
                {"name": "order_id", "type": "S", "size": 36},
                {"name": "status", "type": "S", "size": 9, "distinct_values": 200},
                {"name": "payload", "type": "S", "size": 2000}
            ],
            "keys": {"PK": "{order_id}"},
            "item_count": 1000
        }],
        "access_patterns": [
            {"id": "AP1", "description": "Get order", "operation": "GetItem",
             "entities": ["Order"], "inputs": ["order_id"], "peak_rps": 10.0, "average_rps": 10.0},
            {"id": "AP2", "description": "Orders by status", "operation": "Query",
             "entities": ["Order"], "inputs": ["status"], "items": 5,
             "peak_rps": 1.0, "average_rps": 1.0}
        ]
    })
}

fn with_status_gsi(mut v: Value, name: &str, projection: Value) -> Value {
    v["tables"][0]["gsis"] = json!([{
        "name": name,
        "partition_key": [{"name": "status", "type": "S"}],
        "projection": projection
    }]);
    v
}

fn compare_values(old: &Value, new: &Value, write_rate: f64) -> Comparison {
    let (old, new) = (model(old.clone()), model(new.clone()));
    compare_models(&old, &new, write_rate)
}

fn compare_models(old: &Model, new: &Model, write_rate: f64) -> Comparison {
    compare(
        old,
        &analyze(old),
        new,
        &analyze(new),
        Options { write_rate },
    )
}

fn actions(c: &Comparison) -> Vec<String> {
    c.migration
        .steps
        .iter()
        .map(|s| s.action.describe())
        .collect()
}

fn change<'a>(c: &'a Comparison, path: &str) -> &'a StructuralChange {
    c.structure
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("no change at {path}: {:#?}", c.structure))
}

fn verdict(c: &Comparison, id: &str) -> Verdict {
    c.patterns
        .iter()
        .find(|p| p.id == id)
        .map(|p| p.verdict)
        .expect("pattern compared")
}

#[test]
fn a_design_compared_with_itself_is_equivalent() {
    let c = compare_values(&base(), &base(), 1000.0);
    assert!(c.is_equivalent(), "{c:#?}");
    assert!(c.structure.is_empty());
    assert!(c.migration.is_empty());
    assert_eq!(c.verdict_counts(), vec![(Verdict::Same, 2)]);
}

#[test]
fn a_gsi_added_is_backfilled_with_the_items_that_carry_its_keys() {
    let new = with_status_gsi(base(), "GSI1", json!({"type": "ALL"}));
    let c = compare_values(&base(), &new, 100.0);
    assert_eq!(change(&c, "Orders/GSI1").kind, ChangeKind::Added);
    assert_eq!(actions(&c), ["create GSI GSI1 on Orders"]);
    let step = &c.migration.steps[0];
    // By hand: 1,000 items × ceil(2,104 / 1,024) = 3 write units each.
    assert_eq!(step.items, 1000);
    assert_eq!(step.write_units, 3000.0);
    assert_eq!(step.seconds, 30.0, "3,000 write units at 100 a second");
    assert!((step.cost - 3000.0 / 1e6 * 0.625).abs() < 1e-12);
    assert!(step.online);
    assert_eq!(
        verdict(&c, "AP2"),
        Verdict::NewlyServed,
        "the scan became a query"
    );
    assert_eq!(verdict(&c, "AP1"), Verdict::Same);
    assert!(!c.is_equivalent());
}

#[test]
fn a_keys_only_gsi_backfills_only_the_keys() {
    let new = with_status_gsi(base(), "GSI1", json!({"type": "KEYS_ONLY"}));
    let c = compare_values(&base(), &new, 1000.0);
    // PK (2 + 36) and status (6 + 9): 53 bytes, one write unit an item.
    assert_eq!(c.migration.steps[0].write_units, 1000.0);
    assert_eq!(c.migration.steps[0].seconds, 1.0);
}

#[test]
fn a_gsi_without_its_keys_in_the_old_items_backfills_nothing() {
    let mut new = base();
    new["tables"][0]["gsis"] = json!([{
        "name": "GSI1",
        "partition_key": [{"name": "GSI1PK", "type": "S"}],
        "projection": {"type": "ALL"}
    }]);
    entity(&mut new, "Order")["keys"]["GSI1PK"] = json!("{status}");
    let c = compare_values(&base(), &new, 1000.0);
    assert_eq!(
        actions(&c),
        [
            "create GSI GSI1 on Orders",
            "rewrite Order items in Orders (new GSI1PK)"
        ]
    );
    let (create, rewrite) = (&c.migration.steps[0], &c.migration.steps[1]);
    assert_eq!((create.items, create.write_units), (0, 0.0));
    // An UpdateItem each: the item (2,104 + 6 + 9 bytes: 3 units) and its GSI1
    // entry (the same size with ALL: 3 units).
    assert_eq!(rewrite.items, 1000);
    assert_eq!(rewrite.write_units, 6000.0);
    let detail = &change(&c, "Order").details;
    assert!(
        detail.contains(&"key GSI1PK = {status} added".to_string()),
        "{detail:?}"
    );
}

#[test]
fn a_gsi_with_the_same_keys_and_patterns_under_another_name_is_a_rename() {
    let old = with_status_gsi(base(), "StatusIndex", json!({"type": "ALL"}));
    let new = with_status_gsi(base(), "GSI1", json!({"type": "ALL"}));
    let c = compare_values(&old, &new, 1000.0);
    let renamed = change(&c, "Orders/GSI1");
    assert_eq!(renamed.kind, ChangeKind::Renamed);
    assert_eq!(renamed.old_path.as_deref(), Some("Orders/StatusIndex"));
    assert_eq!(c.structure.len(), 1, "{:#?}", c.structure);
    // DynamoDB renames no index: a new one is built, the old one dropped last.
    assert_eq!(
        actions(&c),
        [
            "create GSI GSI1 on Orders",
            "delete GSI StatusIndex of Orders"
        ]
    );
    assert_eq!(verdict(&c, "AP2"), Verdict::Same);
    assert!(
        c.patterns
            .iter()
            .find(|p| p.id == "AP2")
            .unwrap()
            .plan_changed
    );
    // The naming finding does not move with the index: nothing was fixed but the name.
    assert!(c.findings.introduced.is_empty(), "{:#?}", c.findings);
}

#[test]
fn a_gsi_with_other_keys_under_another_name_is_a_drop_and_an_add() {
    let old = with_status_gsi(base(), "StatusIndex", json!({"type": "ALL"}));
    let mut new = base();
    new["tables"][0]["gsis"] = json!([{
        "name": "GSI1",
        "partition_key": [{"name": "payload", "type": "S"}],
        "projection": {"type": "ALL"}
    }]);
    let c = compare_values(&old, &new, 1000.0);
    assert_eq!(change(&c, "Orders/GSI1").kind, ChangeKind::Added);
    assert_eq!(change(&c, "Orders/StatusIndex").kind, ChangeKind::Removed);
    assert_eq!(verdict(&c, "AP2"), Verdict::NoLongerServed);
}

#[test]
fn a_gsi_renamed_in_the_open_model_keeps_its_identity_whatever_its_keys() {
    let old = model(with_status_gsi(
        base(),
        "StatusIndex",
        json!({"type": "ALL"}),
    ));
    let mut new = old.clone();
    let gsi = new.tables[0].gsis[0].uid.get();
    new.apply(&Edit::Rename {
        element: Element::Index {
            table: new.tables[0].uid.get(),
            index: gsi,
        },
        name: "GSI1".into(),
    })
    .expect("rename applies");
    new.tables[0].gsis[0].projection = crate::model::Projection::KeysOnly;
    let c = compare_models(&old, &new, 1000.0);
    let renamed = change(&c, "Orders/GSI1");
    assert_eq!(renamed.kind, ChangeKind::Renamed);
    assert_eq!(renamed.details, ["projection ALL → KEYS_ONLY"]);
    assert_eq!(renamed.target, Some(gsi));
}

#[test]
fn a_gsi_whose_keys_change_is_deleted_and_created_again_side_by_side() {
    let old = with_status_gsi(base(), "GSI1", json!({"type": "ALL"}));
    let mut new = old.clone();
    new["tables"][0]["gsis"][0]["sort_key"] = json!([{"name": "order_id", "type": "S"}]);
    let c = compare_values(&old, &new, 1000.0);
    let changed = change(&c, "Orders/GSI1");
    assert_eq!(changed.kind, ChangeKind::Changed);
    assert_eq!(changed.details, ["sort key none → order_id (S)"]);
    assert_eq!(
        actions(&c),
        ["delete GSI GSI1 of Orders", "create GSI GSI1 on Orders"]
    );
    assert_eq!(c.migration.steps[1].write_units, 3000.0);
}

#[test]
fn a_gsi_removed_is_deleted_last_and_its_patterns_lose_it() {
    let old = with_status_gsi(base(), "GSI1", json!({"type": "ALL"}));
    let c = compare_values(&old, &base(), 1000.0);
    assert_eq!(change(&c, "Orders/GSI1").kind, ChangeKind::Removed);
    assert_eq!(actions(&c), ["delete GSI GSI1 of Orders"]);
    assert_eq!(c.migration.write_units(), 0.0);
    assert_eq!(verdict(&c, "AP2"), Verdict::NoLongerServed);
    assert!(
        c.findings
            .introduced
            .iter()
            .any(|f| f.rule == "coverage.scan"),
        "{:#?}",
        c.findings
    );
}

#[test]
fn a_new_key_schema_rebuilds_the_table_and_copies_every_item() {
    let mut new = base();
    new["tables"][0]["sort_key"] = json!({"name": "SK", "type": "S"});
    entity(&mut new, "Order")["keys"]["SK"] = json!("#META");
    let c = compare_values(&base(), &new, 1000.0);
    assert_eq!(change(&c, "Orders").details, ["sort key none → SK (S)"]);
    assert_eq!(
        actions(&c),
        [
            "rebuild table Orders (key schema PK (S) → PK (S), SK (S))",
            "copy Order items from the old Orders into the new one",
            "delete table Orders"
        ]
    );
    assert!(!c.migration.steps[0].online);
    // 2,104 + SK (2 + 5) = 2,111 bytes: 3 write units, nothing to delete in a
    // table that goes as a whole.
    assert_eq!(c.migration.steps[1].items, 1000);
    assert_eq!(c.migration.steps[1].write_units, 3000.0);
}

#[test]
fn a_renamed_table_with_the_same_keys_and_entities_is_a_rename_that_needs_a_copy() {
    let mut new = base();
    new["tables"][0]["name"] = json!("Sales");
    entity(&mut new, "Order")["table"] = json!("Sales");
    let c = compare_values(&base(), &new, 1000.0);
    let renamed = change(&c, "Sales");
    assert_eq!(renamed.kind, ChangeKind::Renamed);
    assert_eq!(renamed.old_path.as_deref(), Some("Orders"));
    assert_eq!(
        actions(&c),
        [
            "rebuild table Sales (renamed from Orders)",
            "copy Order items from Orders to Sales",
            "delete table Orders"
        ]
    );
    // The entity's table follows the rename: that is not a move.
    assert!(
        c.structure.iter().all(|s| s.path != "Order"),
        "{:#?}",
        c.structure
    );
}

#[test]
fn an_entity_moved_into_a_kept_table_is_copied_and_deleted_from_the_old_one() {
    let mut old = base();
    old["tables"].as_array_mut().unwrap().push(json!({
        "name": "Archive",
        "partition_key": {"name": "PK", "type": "S"},
        "billing": {"mode": "on_demand"}
    }));
    let mut new = old.clone();
    entity(&mut new, "Order")["table"] = json!("Archive");
    let c = compare_values(&old, &new, 1000.0);
    assert_eq!(change(&c, "Order").details, ["table Orders → Archive"]);
    assert_eq!(actions(&c), ["copy Order items from Orders to Archive"]);
    // 3 units to write into Archive, 3 to delete from Orders.
    assert_eq!(c.migration.steps[0].write_units, 6000.0);
}

#[test]
fn a_new_partition_key_template_rewrites_each_item_as_a_put_and_a_delete() {
    let mut new = base();
    entity(&mut new, "Order")["keys"]["PK"] = json!("ORDER#{order_id}");
    let c = compare_values(&base(), &new, 1000.0);
    assert_eq!(
        change(&c, "Order").details,
        ["key PK {order_id} → ORDER#{order_id}"]
    );
    assert_eq!(actions(&c), ["rewrite Order items in Orders (new PK)"]);
    // 2,110 bytes to put (3 units), 2,104 to delete (3 units).
    assert_eq!(c.migration.steps[0].write_units, 6000.0);
}

#[test]
fn an_entity_dropped_from_a_kept_table_has_its_items_deleted() {
    let mut old = base();
    old["entities"].as_array_mut().unwrap().push(json!({
        "name": "Note",
        "table": "Orders",
        "attributes": [{"name": "text", "type": "S", "size": 100}],
        "keys": {"PK": "NOTE#{text}"},
        "item_count": 50
    }));
    let c = compare_values(&old, &base(), 1000.0);
    assert_eq!(change(&c, "Note").kind, ChangeKind::Removed);
    assert_eq!(actions(&c), ["delete Note items from Orders"]);
    assert_eq!(c.migration.steps[0].items, 50);
    assert_eq!(c.migration.steps[0].write_units, 50.0);
}

#[test]
fn time_to_live_streams_and_billing_change_in_place() {
    let mut new = base();
    new["entities"][0]["attributes"]
        .as_array_mut()
        .unwrap()
        .push(json!({"name": "expires", "type": "N"}));
    new["tables"][0]["ttl"] = json!({"attribute": "expires"});
    new["tables"][0]["stream"] = json!("NEW_IMAGE");
    new["tables"][0]["billing"] =
        json!({"mode": "provisioned", "read_capacity": 5, "write_capacity": 5});
    let c = compare_values(&base(), &new, 1000.0);
    assert_eq!(
        change(&c, "Orders").details,
        [
            "billing on demand → provisioned 5 RCU / 5 WCU",
            "time to live off → expires",
            "stream off → NEW_IMAGE"
        ]
    );
    assert_eq!(
        actions(&c),
        [
            "switch Orders from on-demand to provisioned",
            "time to live on Orders: off → expires",
            "stream on Orders: off → NEW_IMAGE"
        ]
    );
    assert!(c.migration.steps.iter().all(|s| s.online));
    assert_eq!(change(&c, "Order.expires").kind, ChangeKind::Added);
}

#[test]
fn an_lsi_added_rebuilds_the_table() {
    let mut new = base();
    new["tables"][0]["sort_key"] = json!({"name": "SK", "type": "S"});
    let mut old = new.clone();
    entity(&mut old, "Order")["keys"]["SK"] = json!("#META");
    entity(&mut new, "Order")["keys"]["SK"] = json!("#META");
    new["tables"][0]["lsis"] = json!([{
        "name": "ByStatus",
        "sort_key": {"name": "status", "type": "S"},
        "projection": {"type": "ALL"}
    }]);
    let c = compare_values(&old, &new, 1000.0);
    assert_eq!(change(&c, "Orders/ByStatus").kind, ChangeKind::Added);
    assert_eq!(
        actions(&c)[0],
        "rebuild table Orders (local secondary indexes changed (only CreateTable makes them))"
    );
}

#[test]
fn attributes_added_removed_and_retyped_are_listed() {
    let mut new = base();
    let attributes = entity(&mut new, "Order")["attributes"]
        .as_array_mut()
        .unwrap();
    attributes.retain(|a| a["name"] != "payload");
    attributes.push(json!({"name": "total", "type": "N"}));
    attributes[1]["type"] = json!("N");
    attributes[1]["size"] = json!(4);
    let c = compare_values(&base(), &new, 1000.0);
    assert_eq!(change(&c, "Order.payload").kind, ChangeKind::Removed);
    assert_eq!(change(&c, "Order.total").kind, ChangeKind::Added);
    assert_eq!(
        change(&c, "Order.status").details,
        ["type S → N", "size 9 bytes → 4 bytes"]
    );
    // Smaller items: every read and write is cheaper.
    assert_eq!(verdict(&c, "AP1"), Verdict::Same, "0.5 RCU either way");
    assert!(c.cost.after < c.cost.before);
}

#[test]
fn patterns_added_removed_renumbered_and_retuned() {
    let mut new = base();
    pattern(&mut new, "AP1")["id"] = json!("AP10");
    pattern(&mut new, "AP2")["average_rps"] = json!(4.0);
    new["access_patterns"].as_array_mut().unwrap().push(json!({
        "id": "AP3", "description": "Place order", "operation": "PutItem",
        "entities": ["Order"], "peak_rps": 2.0, "average_rps": 2.0
    }));
    let mut old = base();
    old["access_patterns"].as_array_mut().unwrap().push(json!({
        "id": "AP9", "description": "Delete order", "operation": "DeleteItem",
        "entities": ["Order"], "inputs": ["order_id"], "peak_rps": 1.0, "average_rps": 1.0
    }));
    let c = compare_values(&old, &new, 1000.0);
    let renumbered = c.patterns.iter().find(|p| p.id == "AP10").unwrap();
    assert_eq!(renumbered.old_id.as_deref(), Some("AP1"));
    assert_eq!(renumbered.verdict, Verdict::Same);
    let retuned = c.patterns.iter().find(|p| p.id == "AP2").unwrap();
    assert_eq!(retuned.definition, ["average RPS 1 → 4"]);
    assert_eq!(verdict(&c, "AP3"), Verdict::Added);
    assert_eq!(verdict(&c, "AP9"), Verdict::Removed);
    assert_eq!(c.patterns.len(), 4);
}

#[test]
fn the_cost_delta_is_the_difference_of_the_two_totals_and_of_the_rows() {
    let old = with_status_gsi(base(), "StatusIndex", json!({"type": "ALL"}));
    let mut new = base();
    new["tables"][0]["sort_key"] = json!({"name": "SK", "type": "S"});
    entity(&mut new, "Order")["keys"]["SK"] = json!("#META");
    new["tables"][0]["gsis"] = json!([{
        "name": "GSI1",
        "partition_key": [{"name": "status", "type": "S"}],
        "projection": {"type": "KEYS_ONLY"}
    }]);
    let (o, n) = (model(old), model(new));
    let (oa, na) = (analyze(&o), analyze(&n));
    let c = compare(&o, &oa, &n, &na, Options::default());
    assert_eq!(c.cost.before, oa.costs.total());
    assert_eq!(c.cost.after, na.costs.total());
    let rows: f64 = c.cost.rows.iter().map(CostRow::delta).sum();
    let tables: f64 = c.cost.tables.iter().map(CostRow::delta).sum();
    assert!((rows - c.cost.delta()).abs() < 1e-9);
    assert!((tables - c.cost.delta()).abs() < 1e-9);
    assert_eq!(c.cost.tables.len(), 1, "{:#?}", c.cost.tables);
}

#[test]
fn a_partition_that_becomes_hot_is_reported() {
    let old = with_status_gsi(base(), "GSI1", json!({"type": "ALL"}));
    let mut new = old.clone();
    entity(&mut new, "Order")["attributes"][1]["distinct_values"] = json!(2);
    pattern(&mut new, "AP2")["peak_rps"] = json!(20000.0);
    pattern(&mut new, "AP2")["average_rps"] = json!(1.0);
    let c = compare_values(&old, &new, 1000.0);
    let crossed = c
        .partitions
        .iter()
        .find(|p| p.index == "Orders/GSI1" && p.load == "read")
        .unwrap_or_else(|| panic!("{:#?}", c.partitions));
    assert!(crossed.now_hot());
    assert!(crossed.before.is_some_and(|s| s < 1.0));
    assert!(
        c.findings
            .introduced
            .iter()
            .any(|f| f.rule == "partition.hot")
    );
}

#[test]
fn a_gsi_key_of_another_type_is_made_again() {
    let old = with_status_gsi(base(), "GSI1", json!({"type": "ALL"}));
    let mut new = old.clone();
    new["tables"][0]["gsis"][0]["partition_key"][0]["type"] = json!("N");
    let c = compare_values(&old, &new, 1000.0);
    assert_eq!(
        change(&c, "Orders/GSI1").details,
        ["partition key status (S) → status (N)"]
    );
    assert_eq!(
        actions(&c),
        ["delete GSI GSI1 of Orders", "create GSI GSI1 on Orders"]
    );
}
