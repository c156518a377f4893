//! The diagram's layout model on the bundled models: golden files of its nodes,
//! positions and edges (independent of pixels; `UPDATE_GOLDEN=1 cargo test
//! --test integration diagram` rewrites them on purpose), saved positions
//! through the model file, and the SVG export parsed as XML.

use std::path::Path;

use dynamodel::analysis::analyze;
use dynamodel::analysis::diagram::{Diagram, EdgeKind, NodeKind, diagram};
use dynamodel::export::{self, ExportFormat, ExportOptions};
use dynamodel::model::samples::SAMPLES;
use dynamodel::model::{self, Edit, Model, ModelChange};

fn diagram_of(model: &Model) -> Diagram {
    diagram(model, &analyze(model))
}

#[test]
fn diagram_layouts_match_the_golden_files() {
    let mut stale = Vec::new();
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        let mut text = serde_json::to_string_pretty(&diagram_of(&model)).unwrap();
        text.push('\n');
        stale.extend(crate::golden(&format!("{}.diagram.json", sample.id), &text));
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

#[test]
fn the_svg_export_is_valid_xml_for_both_bundled_models() {
    for sample in SAMPLES {
        let model = sample.load().unwrap();
        let svg = export::export(&model, ExportFormat::Svg, &ExportOptions::default()).text;
        let doc = roxmltree::Document::parse(&svg)
            .unwrap_or_else(|e| panic!("{}: the SVG is not XML: {e}", sample.id));
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "svg");
        assert_eq!(
            root.tag_name().namespace(),
            Some("http://www.w3.org/2000/svg")
        );
        let d = diagram_of(&model);
        let boxes = root
            .descendants()
            .filter(|n| n.attribute("data-id").is_some())
            .count();
        assert_eq!(boxes, d.nodes.len(), "{}", sample.id);
        let dashed = root
            .descendants()
            .filter(|n| n.attribute("class") == Some("edge references"))
            .count();
        assert_eq!(
            dashed,
            d.edges
                .iter()
                .filter(|e| e.kind == EdgeKind::References)
                .count()
        );
        // Every label line is there, as text (escaped on the way in, read back whole).
        let texts: Vec<&str> = root.descendants().filter_map(|n| n.text()).collect();
        for node in &d.nodes {
            for line in &node.label {
                assert!(texts.contains(&line.as_str()), "{}: {line}", sample.id);
            }
        }
        assert_eq!(
            svg,
            export::export(&model, ExportFormat::Svg, &ExportOptions::default()).text
        );
    }
}

#[test]
fn dynamodel_export_to_svg_writes_the_diagram() {
    let (code, out, err) = crate::cli::run(&["export", "--to", "svg"]);
    assert_eq!(code, 0, "{err}");
    assert!(out.starts_with("<?xml"), "{out}");
    assert!(out.contains("data-id=\"table:Users\""));
}

#[test]
fn adding_a_pattern_moves_no_table_entity_or_index() {
    let mut model = model::samples::sample("ecommerce").unwrap().load().unwrap();
    let before = diagram_of(&model);
    let mut pattern = model.access_patterns[0].clone();
    pattern.id = "AP99".into();
    model.apply(&Edit::AddPattern(pattern)).unwrap();
    let after = diagram_of(&model);
    assert_eq!(after.nodes.len(), before.nodes.len() + 1);
    for n in before
        .nodes
        .iter()
        .filter(|n| !matches!(n.kind, NodeKind::Pattern { .. }))
    {
        let moved = after.nodes.iter().find(|m| m.id == n.id).unwrap();
        assert_eq!(moved.rect, n.rect, "{} moved", n.id);
    }
}

#[path = "../../benches/support/large.rs"]
mod large;

#[test]
/// Every element of the generated large model gets its box (its speed is
/// measured by the frames benchmark's Diagram tab and `diagram` bench).
fn the_large_model_is_laid_out_whole() {
    let model = large::large_model();
    let analysis = analyze(&model);
    let d = diagram(&model, &analysis);
    let patterns = |d: &Diagram| {
        d.nodes
            .iter()
            .filter(|n| matches!(n.kind, NodeKind::Pattern { .. }))
            .count()
    };
    assert_eq!(patterns(&d), 5_000);
    assert_eq!(d.nodes.len(), 100 + 300 + 1_000 + 5_000);
}
