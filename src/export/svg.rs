//! The diagram as a standalone SVG file, drawn from the same layout model the
//! workbench's Diagram tab draws ([`crate::analysis::diagram`]). Deterministic:
//! the same model gives the same bytes.

use std::fmt::Write;

use crate::analysis::diagram::{Diagram, Edge, EdgeKind, Node, NodeKind, Rect};
use crate::analysis::{self, Severity, Status};
use crate::model::Model;

use super::{Exported, Report};

/// Space around the drawing, in layout units.
const MARGIN: f32 = 24.0;
const LINE: f32 = 16.0;
const PAD: f32 = 8.0;

/// The model's diagram, laid out with its saved positions, as SVG.
pub fn export(model: &Model) -> Exported {
    let analysis = analysis::analyze(model);
    let diagram = analysis::diagram::diagram(model, &analysis);
    Exported {
        text: diagram_svg(&diagram),
        report: Report::default(),
    }
}

/// The colour a pattern (and its edges) is drawn in.
pub fn status_colour(status: Status) -> &'static str {
    match status {
        Status::Served => "#2e7d32",
        Status::NeedsFilter => "#ef8f00",
        Status::NeedsScan => "#c62828",
        Status::Outside => "#757575",
        Status::Write => "#1565c0",
        Status::Unresolved => "#6a1b9a",
    }
}

fn severity_colour(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "#d32f2f",
        Severity::Warning => "#ef8f00",
        Severity::Info => "#1976d2",
    }
}

/// A standalone SVG document of the diagram.
pub fn diagram_svg(diagram: &Diagram) -> String {
    let b = diagram.bounds;
    let (x0, y0) = (b.x - MARGIN, b.y - MARGIN);
    let (w, h) = (b.w + 2.0 * MARGIN, b.h + 2.0 * MARGIN);
    let mut out = String::with_capacity(512 + diagram.nodes.len() * 400);
    out.push_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    // Writing into a String cannot fail.
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{h}\" viewBox=\"{x0} {y0} {w} {h}\" font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">"
    );
    out.push_str(STYLE);
    out.push_str(
        "<defs><marker id=\"arrow\" viewBox=\"0 0 10 10\" refX=\"10\" refY=\"5\" markerWidth=\"7\" markerHeight=\"7\" orient=\"auto\"><path d=\"M0,0 L10,5 L0,10 z\" fill=\"#607d8b\"/></marker></defs>\n",
    );
    let _ = writeln!(
        out,
        "<rect x=\"{x0}\" y=\"{y0}\" width=\"{w}\" height=\"{h}\" fill=\"#ffffff\"/>"
    );
    // Tables first, as the boxes the entities stand in; then the edges; then
    // every other box over the edges' ends.
    out.push_str("<g class=\"tables\">\n");
    for node in diagram.nodes.iter().filter(|n| n.kind == NodeKind::Table) {
        node_svg(&mut out, node);
    }
    out.push_str("</g>\n<g class=\"edges\">\n");
    for edge in &diagram.edges {
        edge_svg(&mut out, edge);
    }
    out.push_str("</g>\n<g class=\"nodes\">\n");
    for node in diagram.nodes.iter().filter(|n| n.kind != NodeKind::Table) {
        node_svg(&mut out, node);
    }
    out.push_str("</g>\n<g class=\"edge-labels\">\n");
    for edge in &diagram.edges {
        edge_label_svg(&mut out, edge);
    }
    out.push_str("</g>\n</svg>\n");
    out
}

const STYLE: &str = "<style>
.table > rect { fill: #f4f6f8; stroke: #37474f; stroke-width: 1.5; }
.entity > rect { fill: #ffffff; stroke: #78909c; }
.index > rect { fill: #e8eaf6; stroke: #3949ab; }
.index.sparse > rect { stroke-dasharray: 6 4; }
.pattern > rect { fill: #ffffff; stroke-width: 1.5; }
.title { font-weight: bold; }
.edge { fill: none; stroke-width: 1.2; }
.holds { stroke: #3949ab; }
.references { stroke: #8d6e63; stroke-dasharray: 5 4; }
.edge-label { font-size: 10px; fill: #455a64; }
.finding text { font-size: 10px; font-weight: bold; fill: #ffffff; }
</style>
";

fn node_svg(out: &mut String, node: &Node) {
    let r = node.rect;
    let (class, stroke) = match node.kind {
        NodeKind::Table => ("table".to_string(), None),
        NodeKind::Entity { .. } => ("entity".to_string(), None),
        NodeKind::Index { sparse, .. } => (
            if sparse { "index sparse" } else { "index" }.to_string(),
            None,
        ),
        NodeKind::Pattern { status } => (
            format!("pattern {}", status_class(status)),
            Some(status_colour(status)),
        ),
    };
    let _ = writeln!(
        out,
        "<g class=\"{class}\" data-id=\"{}\">",
        escape(&node.id)
    );
    let _ = write!(
        out,
        "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" rx=\"4\"",
        r.x, r.y, r.w, r.h
    );
    if let Some(stroke) = stroke {
        let _ = write!(out, " stroke=\"{stroke}\"");
    }
    out.push_str("/>\n");
    if let NodeKind::Pattern { status } = node.kind {
        let _ = writeln!(out, "<title>{}</title>", escape(status.label()));
    }
    for (i, line) in node.label.iter().enumerate() {
        let y = r.y + PAD + LINE * (i as f32 + 1.0) - 4.0;
        let class = if i == 0 { " class=\"title\"" } else { "" };
        let _ = writeln!(
            out,
            "<text x=\"{}\" y=\"{y}\"{class}>{}</text>",
            r.x + PAD,
            escape(line)
        );
    }
    if let Some(mark) = node.findings {
        finding_svg(out, &r, mark.count, mark.severity);
    }
    out.push_str("</g>\n");
}

/// A badge on the box's top-right corner: how many findings, coloured by the worst.
fn finding_svg(out: &mut String, r: &Rect, count: usize, severity: Severity) {
    let (cx, cy) = (r.right() - 2.0, r.y + 2.0);
    let _ = writeln!(
        out,
        "<g class=\"finding {}\"><title>{count} {}</title><circle cx=\"{cx}\" cy=\"{cy}\" r=\"8\" fill=\"{}\"/><text x=\"{cx}\" y=\"{}\" text-anchor=\"middle\">{count}</text></g>",
        severity.label(),
        if count == 1 {
            format!("{} finding", severity.label())
        } else {
            format!("findings, the worst {}", severity.label())
        },
        severity_colour(severity),
        cy + 3.5,
    );
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Served => "served",
        Status::NeedsFilter => "filter",
        Status::NeedsScan => "scan",
        Status::Outside => "outside",
        Status::Write => "write",
        Status::Unresolved => "unresolved",
    }
}

fn edge_svg(out: &mut String, edge: &Edge) {
    let [a, b, c, d] = edge.path;
    let class = match edge.kind {
        EdgeKind::Holds => "holds",
        EdgeKind::References => "references",
        EdgeKind::Serves => "serves",
        EdgeKind::Writes => "writes",
    };
    let _ = write!(
        out,
        "<path class=\"edge {class}\" d=\"M{},{} C{},{} {},{} {},{}\" marker-end=\"url(#arrow)\"",
        a[0], a[1], b[0], b[1], c[0], c[1], d[0], d[1]
    );
    if let Some(status) = edge.status {
        let _ = write!(out, " stroke=\"{}\"", status_colour(status));
    }
    let _ = writeln!(
        out,
        "><title>{} → {}: {}</title></path>",
        escape(&edge.from),
        escape(&edge.to),
        escape(&edge.label)
    );
}

/// Holds and reference edges say their key templates or attributes at their
/// middle; a pattern's edge needs no words (its box says the call).
fn edge_label_svg(out: &mut String, edge: &Edge) {
    if !matches!(edge.kind, EdgeKind::Holds | EdgeKind::References) || edge.label.is_empty() {
        return;
    }
    let [a, b, c, d] = edge.path;
    // The curve's point at t = 1/2.
    let x = (a[0] + 3.0 * b[0] + 3.0 * c[0] + d[0]) / 8.0;
    let y = (a[1] + 3.0 * b[1] + 3.0 * c[1] + d[1]) / 8.0;
    let _ = writeln!(
        out,
        "<text class=\"edge-label\" x=\"{x}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
        y - 3.0,
        escape(&edge.label)
    );
}

/// Text for XML content and attribute values.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 allows no other control characters.
            c if c.is_control() && !matches!(c, '\n' | '\t') => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::samples;

    #[test]
    fn text_is_escaped_for_xml() {
        assert_eq!(
            escape("a<b & \"c\" 'd'>\u{1}"),
            "a&lt;b &amp; &quot;c&quot; &apos;d&apos;&gt; "
        );
    }

    #[test]
    fn the_svg_draws_every_node_and_edge_and_is_deterministic() {
        let model = samples::sample("ecommerce-initial")
            .unwrap()
            .load()
            .unwrap();
        let analysis = analysis::analyze(&model);
        let diagram = analysis::diagram::diagram(&model, &analysis);
        let svg = diagram_svg(&diagram);
        assert_eq!(svg, export(&model).text);
        assert_eq!(svg.matches("data-id=").count(), diagram.nodes.len());
        assert_eq!(
            svg.matches("<path class=\"edge").count(),
            diagram.edges.len()
        );
        assert!(svg.contains("class=\"edge references\""));
        assert!(svg.contains("class=\"index sparse\""));
        assert!(svg.contains("class=\"pattern scan\""));
        assert!(svg.contains("class=\"finding error\""));
        assert!(svg.contains(&format!("stroke=\"{}\"", status_colour(Status::Write))));
    }
}
