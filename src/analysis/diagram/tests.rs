//! The layout model on small models: ids, sparse indexes, references, finding
//! marks, saved positions and stability.

use super::*;
use crate::analysis::test_support::model;
use crate::analysis::{Finding, analyze};
use serde_json::json;

fn shop() -> Model {
    model(json!({
        "format_version": 1,
        "name": "Shop",
        "tables": [
            {
                "name": "Users",
                "partition_key": {"name": "PK", "type": "S"},
                "sort_key": {"name": "SK", "type": "S"},
                "gsis": [{"name": "GSI1", "partition_key": [{"name": "GSI1PK", "type": "S"}]}]
            },
            {"name": "Products", "partition_key": {"name": "PK", "type": "S"}}
        ],
        "entities": [
            {
                "name": "User", "table": "Users", "item_count": 1000,
                "attributes": [{"name": "email", "type": "S"}, {"name": "username", "type": "S"}],
                "keys": {"PK": "{email}", "SK": "#META", "GSI1PK": "{username}"}
            },
            {
                "name": "CartItem", "table": "Users", "item_count": 5000,
                "attributes": [
                    {"name": "email", "type": "S"},
                    {"name": "sku", "type": "S"},
                    {"name": "seller", "type": "S",
                     "generator": {"kind": "reference", "entity": "User", "attribute": "email"}}
                ],
                "keys": {"PK": "{email}", "SK": "CART#{sku}"}
            },
            {
                "name": "Product", "table": "Products", "item_count": 10,
                "attributes": [{"name": "sku", "type": "S"}],
                "keys": {"PK": "{sku}"}
            }
        ],
        "access_patterns": [
            {"id": "AP1", "description": "Get user", "operation": "GetItem",
             "entities": ["User"], "inputs": ["email"], "peak_rps": 1, "average_rps": 1},
            {"id": "AP2", "description": "Add to cart", "operation": "PutItem",
             "entities": ["CartItem"], "inputs": ["email", "sku"], "peak_rps": 1, "average_rps": 1},
            {"id": "AP3", "description": "User by name", "operation": "Query",
             "entities": ["User"], "inputs": ["username"], "peak_rps": 1, "average_rps": 1}
        ]
    }))
}

fn draw(m: &Model) -> Diagram {
    diagram(m, &analyze(m))
}

fn node<'d>(d: &'d Diagram, id: &str) -> &'d Node {
    d.nodes
        .iter()
        .find(|n| n.id == id)
        .unwrap_or_else(|| panic!("no node {id}"))
}

fn edges(d: &Diagram, kind: EdgeKind) -> Vec<(&str, &str, &str)> {
    d.edges
        .iter()
        .filter(|e| e.kind == kind)
        .map(|e| (e.from.as_str(), e.to.as_str(), e.label.as_str()))
        .collect()
}

#[test]
fn nodes_have_ids_from_names_in_model_order() {
    let d = draw(&shop());
    let ids: Vec<&str> = d.nodes.iter().map(|n| n.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "table:Users",
            "entity:User",
            "entity:CartItem",
            "index:Users/GSI1",
            "table:Products",
            "entity:Product",
            "pattern:AP1",
            "pattern:AP2",
            "pattern:AP3"
        ]
    );
    assert_eq!(node(&d, "table:Users").label[1], "PK: {email}");
    assert_eq!(node(&d, "entity:CartItem").label[1], "SK: CART#{sku}");
    assert_eq!(node(&d, "entity:CartItem").label[2], "5,000 items");
    // A table without a sort key shows each entity's partition key.
    assert_eq!(node(&d, "entity:Product").label[1], "PK: {sku}");
}

#[test]
fn entities_stand_inside_their_table_sized_by_item_count() {
    let d = draw(&shop());
    let table = node(&d, "table:Users").rect;
    for id in ["entity:User", "entity:CartItem"] {
        let r = node(&d, id).rect;
        assert!(r.x > table.x && r.right() < table.right(), "{id}");
        assert!(r.y > table.y && r.bottom() < table.bottom(), "{id}");
    }
    let (user, cart, product) = (
        node(&d, "entity:User").rect,
        node(&d, "entity:CartItem").rect,
        node(&d, "entity:Product").rect,
    );
    assert!(cart.h >= user.h && user.h > product.h);
    // Indexes to the right of their table, read patterns further right, writes left.
    let gsi = node(&d, "index:Users/GSI1").rect;
    assert!(gsi.x >= table.right());
    assert!(node(&d, "pattern:AP3").rect.x >= gsi.right());
    assert!(node(&d, "pattern:AP2").rect.right() <= table.x);
    // The next table starts below this one.
    assert!(node(&d, "table:Products").rect.y > table.bottom());
}

#[test]
fn indexes_holding_fewer_entities_than_their_table_are_sparse() {
    let d = draw(&shop());
    assert_eq!(
        node(&d, "index:Users/GSI1").kind,
        NodeKind::Index {
            index: IndexKind::Gsi,
            sparse: true
        }
    );
    assert_eq!(
        edges(&d, EdgeKind::Holds),
        [("entity:User", "index:Users/GSI1", "GSI1PK = {username}")]
    );
}

#[test]
fn references_come_from_keys_and_from_sample_value_sources() {
    let d = draw(&shop());
    assert_eq!(
        edges(&d, EdgeKind::References),
        [
            // `email` identifies User (the first of the two it identifies alone)
            // and `seller` draws its values from User's.
            ("entity:CartItem", "entity:User", "email, seller"),
            ("entity:CartItem", "entity:Product", "sku"),
        ]
    );
}

#[test]
fn patterns_attach_to_what_serves_them_and_what_they_write() {
    let d = draw(&shop());
    assert_eq!(
        edges(&d, EdgeKind::Serves),
        [
            ("pattern:AP1", "table:Users", "GetItem"),
            ("pattern:AP3", "index:Users/GSI1", "Query"),
        ]
    );
    assert_eq!(
        edges(&d, EdgeKind::Writes),
        [("pattern:AP2", "entity:CartItem", "PutItem")]
    );
    assert_eq!(
        node(&d, "pattern:AP2").kind,
        NodeKind::Pattern {
            status: Status::Write
        }
    );
    // Every edge starts on the side of its box that faces the other.
    let e = d.edges.iter().find(|e| e.from == "pattern:AP3").unwrap();
    let (from, to) = (
        node(&d, "pattern:AP3").rect,
        node(&d, "index:Users/GSI1").rect,
    );
    assert_eq!(e.path[0][0], from.x);
    assert_eq!(e.path[3][0], to.right());
}

#[test]
fn findings_mark_the_nodes_they_concern() {
    let m = shop();
    let mut analysis = analyze(&m);
    analysis.findings = vec![
        Finding::new(
            "t",
            Severity::Info,
            Location::index("Users", "GSI1"),
            "",
            "",
        ),
        Finding::new(
            "t",
            Severity::Error,
            Location::attribute("User", "email"),
            "",
            "",
        ),
        Finding::new("t", Severity::Warning, Location::entity("User"), "", ""),
        Finding::new("t", Severity::Warning, Location::pattern("AP3"), "", ""),
        Finding::new("t", Severity::Error, Location::Model, "", ""),
    ];
    let d = diagram(&m, &analysis);
    let mark = |id| node(&d, id).findings;
    assert_eq!(
        mark("entity:User"),
        Some(FindingMark {
            count: 2,
            severity: Severity::Error
        })
    );
    assert_eq!(
        mark("index:Users/GSI1").map(|m| m.severity),
        Some(Severity::Info)
    );
    assert_eq!(mark("pattern:AP3").map(|m| m.count), Some(1));
    assert_eq!(mark("table:Users"), None);
}

#[test]
fn saved_positions_move_a_node_and_a_table_takes_its_entities() {
    let mut m = shop();
    let before = draw(&m);
    let table = node(&before, "table:Users").rect;
    let positions = &mut m.diagram.get_or_insert_with(Default::default).positions;
    positions.insert("table:Users".into(), [table.x + 100.0, table.y + 50.0]);
    positions.insert("entity:CartItem".into(), [-500.0, -500.0]);
    positions.insert("pattern:AP1".into(), [7.0, 8.0]);
    positions.insert("entity:Gone".into(), [1.0, 1.0]);
    let after = draw(&m);
    let moved = |id| (node(&before, id).rect, node(&after, id).rect);
    let (old, new) = moved("entity:User");
    assert_eq!((new.x - old.x, new.y - old.y), (100.0, 50.0));
    let (_, cart) = moved("entity:CartItem");
    assert_eq!((cart.x, cart.y), (-500.0, -500.0));
    assert!(node(&after, "entity:CartItem").placed);
    assert!(!node(&after, "entity:User").placed);
    let (_, ap1) = moved("pattern:AP1");
    assert_eq!((ap1.x, ap1.y), (7.0, 8.0));
    let (old, new) = moved("index:Users/GSI1");
    assert_eq!(old, new);
    assert_eq!((after.bounds.x, after.bounds.y), (-500.0, -500.0));
    // Edges follow the boxes.
    let e = after
        .edges
        .iter()
        .find(|e| e.from == "pattern:AP1")
        .unwrap();
    assert_eq!(e.path[0], [ap1.right(), ap1.y + ap1.h / 2.0]);
}

#[test]
fn two_elements_of_one_name_get_two_ids() {
    let mut m = shop();
    let mut copy = m.entities[2].clone();
    copy.item_count = 20;
    m.entities.push(copy);
    let d = draw(&m);
    assert!(d.nodes.iter().any(|n| n.id == "entity:Product"));
    assert!(d.nodes.iter().any(|n| n.id == "entity:Product~2"));
}

#[test]
fn the_layout_is_the_same_run_to_run() {
    let m = shop();
    assert_eq!(draw(&m), draw(&m));
    let text = |d: &Diagram| serde_json::to_string(d).unwrap();
    assert_eq!(text(&draw(&m)), text(&draw(&m.clone())));
}
