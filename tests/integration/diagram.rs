//! The diagram's layout model on the bundled models: golden files of its nodes,
//! positions and edges (independent of pixels; `UPDATE_GOLDEN=1 cargo test
//! --test integration diagram` rewrites them on purpose), saved positions
//! through the model file, and the SVG export parsed as XML.

use std::fs;
use std::path::{Path, PathBuf};

use dynamodel::analysis::analyze;
use dynamodel::analysis::diagram::{Diagram, EdgeKind, NodeKind, diagram};
use dynamodel::model::samples::SAMPLES;
use dynamodel::model::{self, Edit, Model, ModelChange};

fn golden_dir() -> PathBuf {
    crate::root().join("tests").join("golden")
}

fn diagram_of(model: &Model) -> Diagram {
    diagram(model, &analyze(model))
}

#[test]
fn diagram_layouts_match_the_golden_files() {
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut stale = Vec::new();
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        let mut text = serde_json::to_string_pretty(&diagram_of(&model)).unwrap();
        text.push('\n');
        let path = golden_dir().join(format!("{}.diagram.json", sample.id));
        if update {
            fs::write(&path, &text).unwrap();
            continue;
        }
        let expected = fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
        if expected != text {
            let line = expected
                .lines()
                .zip(text.lines())
                .position(|(a, b)| a != b)
                .map(|l| l + 1)
                .unwrap_or(expected.lines().count().min(text.lines().count()) + 1);
            stale.push(format!("{} differs from line {line}", path.display()));
        }
    }
    assert!(
        stale.is_empty(),
        "{}\nIf the change is meant, rewrite them: UPDATE_GOLDEN=1 cargo test --test integration diagram",
        stale.join("\n")
    );
}

#[test]
fn the_workshop_diagram_draws_the_design() {
    let model = model::samples::sample("ecommerce").unwrap().load().unwrap();
    let d = diagram_of(&model);
    let node = |id: &str| {
        d.nodes
            .iter()
            .find(|n| n.id == id)
            .unwrap_or_else(|| panic!("no node {id}"))
    };
    assert_eq!(node("table:Users").kind, NodeKind::Table);
    assert_eq!(node("table:Users").label[1], "PK: {email}");
    assert_eq!(node("entity:User").label[1], "SK: #META");
    assert_eq!(node("entity:User").label[2], "1,000,000 items");
    assert_eq!(node("entity:User").parent.as_deref(), Some("table:Users"));
    // GSI1 of Users holds User only: sparse.
    assert!(matches!(
        node("index:Users/GSI1").kind,
        NodeKind::Index { sparse: true, .. }
    ));
    let edge = |from: &str, to: &str, kind: EdgeKind| {
        d.edges
            .iter()
            .find(|e| e.from == from && e.to == to && e.kind == kind)
            .unwrap_or_else(|| panic!("no {kind:?} edge {from} -> {to}"))
    };
    assert_eq!(
        edge("entity:User", "index:Users/GSI1", EdgeKind::Holds).label,
        "GSI1PK = {username}"
    );
    assert_eq!(
        edge("entity:CartItem", "entity:Product", EdgeKind::References).label,
        "product_id"
    );
    assert!(
        edge("entity:CartItem", "entity:Product", EdgeKind::References)
            .kind
            .dashed()
    );
    assert!(
        !d.edges
            .iter()
            .any(|e| e.from == "entity:CartItem" && e.to == "index:Users/GSI1"),
        "a sparse index has no edge from the entities it leaves out"
    );
    // Every pattern has a node, and every read that is served has an edge to its index.
    assert_eq!(
        d.nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Pattern { .. }))
            .count(),
        model.access_patterns.len()
    );
    assert!(d.edges.iter().any(|e| e.kind == EdgeKind::Serves));
    assert!(d.edges.iter().any(|e| e.kind == EdgeKind::Writes));
}

#[test]
fn saved_positions_override_the_layout_and_survive_save_and_load() {
    let mut model = model::samples::sample("ecommerce").unwrap().load().unwrap();
    let before = diagram_of(&model);
    model
        .apply(&Edit::Model(ModelChange::DiagramPosition {
            node: "table:Orders".into(),
            position: Some([1500.0, -40.0]),
        }))
        .unwrap();
    model
        .apply(&Edit::Model(ModelChange::DiagramPosition {
            node: "pattern:AP1".into(),
            position: Some([-300.0, 10.0]),
        }))
        .unwrap();
    let text = model::to_json(&model).unwrap();
    assert!(text.contains("\"diagram\""), "{text}");
    let loaded = model::load_str(&text, Path::new("moved.dynamodel.json")).unwrap();
    assert_eq!(loaded, model);
    let after = diagram_of(&loaded);
    let rect = |d: &Diagram, id: &str| d.nodes.iter().find(|n| n.id == id).unwrap().rect;
    let orders = rect(&after, "table:Orders");
    assert_eq!((orders.x, orders.y), (1500.0, -40.0));
    assert_eq!(rect(&after, "pattern:AP1").x, -300.0);
    // The table's entities move with it; nothing else moves.
    let (old, new) = (rect(&before, "entity:Order"), rect(&after, "entity:Order"));
    let old_table = rect(&before, "table:Orders");
    assert_eq!(new.x - old.x, 1500.0 - old_table.x);
    assert_eq!(new.y - old.y, -40.0 - old_table.y);
    for n in &before.nodes {
        if [
            "table:Orders",
            "entity:Order",
            "entity:OrderItem",
            "pattern:AP1",
        ]
        .contains(&n.id.as_str())
        {
            continue;
        }
        assert_eq!(rect(&after, &n.id), n.rect, "{} moved", n.id);
    }
    // A model file without the block still loads, and lays out automatically.
    let plain = model::samples::sample("ecommerce").unwrap().load().unwrap();
    assert!(plain.diagram.is_none());
    assert!(!model::to_json(&plain).unwrap().contains("\"diagram\""));
}
