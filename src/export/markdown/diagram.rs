//! The document's Diagram section: the layout model of
//! [`crate::analysis::diagram`] as a Mermaid flowchart, which GitHub renders.
//! Tables are subgraphs holding their entities' sort-key shapes, indexes stand
//! beside them with an edge from every entity they hold, and references between
//! entities are dashed. Patterns are not boxes of their own (four dozen would
//! bury the structure): each index lists the reads it serves.

use crate::analysis::Severity;
use crate::analysis::diagram::{self, Diagram, EdgeKind, NodeKind};
use std::collections::HashMap;

use super::{Doc, Input};

pub(super) fn section(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Diagram");
    doc.line(
        "Each table with its entities' sort-key shapes, each index with an edge from every entity it \
         holds (dashed border: a sparse index), and the references between entities (dashed). \
         `dynamodel export --to svg` draws the same diagram with the access patterns.",
    );
    doc.blank();
    let diagram = diagram::diagram(input.model, &input.analysis);
    doc.line("```mermaid");
    doc.text.push_str(&mermaid(&diagram));
    doc.line("```");
}

/// Reads served per index, as many ids on a line as fit.
const IDS_PER_LINE: usize = 8;

/// The diagram as a Mermaid flowchart, one statement a line.
pub fn mermaid(diagram: &Diagram) -> String {
    // Mermaid ids by position: names may hold anything, these hold letters and digits.
    let mut ids: HashMap<&str, String> = HashMap::new();
    let (mut tables, mut entities, mut indexes) = (0, 0, 0);
    for node in &diagram.nodes {
        let id = match node.kind {
            NodeKind::Table => {
                tables += 1;
                format!("t{tables}")
            }
            NodeKind::Entity { .. } => {
                entities += 1;
                format!("e{entities}")
            }
            NodeKind::Index { .. } => {
                indexes += 1;
                format!("i{indexes}")
            }
            NodeKind::Pattern { .. } => continue,
        };
        ids.insert(node.id.as_str(), id);
    }
    let mut reads: HashMap<&str, Vec<&str>> = HashMap::new();
    let pattern_names: HashMap<&str, &str> = diagram
        .nodes
        .iter()
        .filter(|n| matches!(n.kind, NodeKind::Pattern { .. }))
        .map(|n| {
            (
                n.id.as_str(),
                n.id.strip_prefix("pattern:").unwrap_or(&n.id),
            )
        })
        .collect();
    for edge in diagram.edges.iter().filter(|e| e.kind == EdgeKind::Serves) {
        if let Some(name) = pattern_names.get(edge.from.as_str()) {
            reads.entry(edge.to.as_str()).or_default().push(name);
        }
    }
    let label = |lines: &[String], node: &str| {
        let mut lines: Vec<String> = lines.iter().map(|l| text(l)).collect();
        if let Some(served) = reads.get(node) {
            for (i, chunk) in served.chunks(IDS_PER_LINE).enumerate() {
                let prefix = if i == 0 { "reads: " } else { "" };
                lines.push(text(&format!("{prefix}{}", chunk.join(", "))));
            }
        }
        lines.join("<br/>")
    };

    let mut out = String::from("flowchart LR\n");
    let mut sparse = Vec::new();
    let mut marked: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
    let mut open_table: Option<&str> = None;
    for node in &diagram.nodes {
        let Some(id) = ids.get(node.id.as_str()) else {
            continue;
        };
        // A table's entities follow it; anything else closes its subgraph.
        if open_table.is_some() && node.parent.as_deref() != open_table {
            out.push_str("  end\n");
            open_table = None;
        }
        match node.kind {
            NodeKind::Table => {
                out.push_str(&format!(
                    "  subgraph {id}[\"{}\"]\n    direction TB\n",
                    label(&node.label, &node.id)
                ));
                open_table = Some(node.id.as_str());
            }
            NodeKind::Entity { .. } => {
                let indent = if open_table.is_some() { "    " } else { "  " };
                out.push_str(&format!(
                    "{indent}{id}[\"{}\"]\n",
                    label(&node.label, &node.id)
                ));
            }
            NodeKind::Index { sparse: s, .. } => {
                out.push_str(&format!("  {id}[[\"{}\"]]\n", label(&node.label, &node.id)));
                if s {
                    sparse.push(id.as_str());
                }
            }
            NodeKind::Pattern { .. } => {}
        }
        match node.findings.map(|f| f.severity) {
            Some(Severity::Error) => marked[0].push(id),
            Some(Severity::Warning) => marked[1].push(id),
            _ => {}
        }
    }
    if open_table.is_some() {
        out.push_str("  end\n");
    }
    for edge in &diagram.edges {
        let (Some(from), Some(to)) = (ids.get(edge.from.as_str()), ids.get(edge.to.as_str()))
        else {
            continue;
        };
        let arrow = match edge.kind {
            EdgeKind::Holds => "-->",
            EdgeKind::References => "-.->",
            EdgeKind::Serves | EdgeKind::Writes => continue,
        };
        out.push_str(&format!(
            "  {from} {arrow}|\"{}\"| {to}\n",
            text(&edge.label)
        ));
    }
    out.push_str("  classDef sparse stroke-dasharray: 5 5\n");
    out.push_str("  classDef error stroke:#d32f2f,stroke-width:2px\n");
    out.push_str("  classDef warning stroke:#ef8f00,stroke-width:2px\n");
    for (class, list) in [
        ("sparse", &sparse),
        ("error", &marked[0]),
        ("warning", &marked[1]),
    ] {
        if !list.is_empty() {
            out.push_str(&format!("  class {} {class}\n", list.join(",")));
        }
    }
    out
}

/// Text inside a quoted Mermaid label: its own quotes, `#` (which starts an
/// entity code), angle brackets, pipes and backticks as entity codes.
fn text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '"' => out.push_str("#quot;"),
            '#' => out.push_str("#35;"),
            '<' => out.push_str("#lt;"),
            '>' => out.push_str("#gt;"),
            '|' => out.push_str("#124;"),
            '`' => out.push_str("#96;"),
            '&' => out.push_str("#amp;"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn label_text_cannot_break_out_of_its_quotes() {
        assert_eq!(
            text("CART#{id} \"x\" <a|b> `c`"),
            "CART#35;{id} #quot;x#quot; #lt;a#124;b#gt; #96;c#96;"
        );
    }
}
