//! The diagram of a model as data: every table drawn as its item collections
//! (the partition-key templates, and under them each entity's sort-key shape,
//! sized by item count), each GSI/LSI beside its table with an edge from every
//! entity it holds, the access patterns beside the index that serves them or the
//! entities they write, and the references between entities that one entity's
//! attributes make to another's key.
//!
//! Positions are in abstract units, independent of pixels: the GUI, the SVG
//! export and the tests all read this one layout. It is deterministic, linear in
//! the model's size, and stable between edits (a table's place depends only on
//! the tables above it); the model's saved positions override it node by node.

mod layout;
mod references;

use serde::Serialize;

use super::context::Context;
use super::fxhash::FxHashMap as HashMap;
use super::{Analysis, Location, Severity, Status};
use crate::model::{
    IndexKind, Model, entity_node_id, index_node_id, pattern_node_id, table_node_id,
};

pub use layout::Rect;

/// The diagram of one revision of a model.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Diagram {
    /// Each table followed by its entities and its indexes, tables in model
    /// order; then entities without a table; then the patterns in model order.
    pub nodes: Vec<Node>,
    /// Holds edges, then references, then the patterns' edges, in model order.
    pub edges: Vec<Edge>,
    /// The smallest rectangle around every node.
    pub bounds: Rect,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Node {
    /// Stable and built from names: `table:Users`, `entity:User`,
    /// `index:Users/GSI1`, `pattern:AP3` (see [`crate::model::table_node_id`] and its siblings).
    pub id: String,
    pub kind: NodeKind,
    /// The text of the box, first line its title.
    pub label: Vec<String>,
    pub rect: Rect,
    /// The node that contains this one: an entity's table.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
    /// The findings about this element, when there are any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub findings: Option<FindingMark>,
    /// Whether the position is one the designer saved (not the automatic one).
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub placed: bool,
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum NodeKind {
    /// A table: the box around its item collections, headed by the partition-key template(s).
    Table,
    /// An entity's items in its table's item collections: its sort-key shape.
    Entity {
        items: u64,
    },
    /// A GSI or LSI. `sparse`: it holds fewer entities than its table.
    Index {
        index: IndexKind,
        sparse: bool,
    },
    Pattern {
        status: Status,
    },
}

/// How many findings concern a node, and the most severe of them.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
pub struct FindingMark {
    pub count: usize,
    pub severity: Severity,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub kind: EdgeKind,
    pub label: String,
    /// A pattern's edges carry its status (for their colour).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// A cubic Bézier from the side of `from` to the side of `to`: start, two
    /// control points, end.
    pub path: [[f32; 2]; 4],
}

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum EdgeKind {
    /// Entity → index that holds its items; labelled with its key templates for the index.
    Holds,
    /// An entity attribute that carries another entity's key (drawn dashed);
    /// labelled with the attribute names.
    References,
    /// Read pattern → the index (or table) that serves it.
    Serves,
    /// Write pattern → an entity it writes.
    Writes,
}

impl EdgeKind {
    pub fn dashed(self) -> bool {
        self == EdgeKind::References
    }
}

/// Lays out the model's diagram from its analysis (of the same revision).
pub fn diagram(model: &Model, analysis: &Analysis) -> Diagram {
    let ctx = Context::new(model);
    let mut ids = Ids::default();
    let tables: Vec<String> = model
        .tables
        .iter()
        .map(|t| ids.unique(table_node_id(&t.name)))
        .collect();
    let entities: Vec<String> = model
        .entities
        .iter()
        .map(|e| ids.unique(entity_node_id(&e.name)))
        .collect();
    // Per table, per index position (0 = the base table, which is the table's node).
    let indexes: Vec<Vec<String>> = ctx
        .tables
        .iter()
        .zip(&tables)
        .map(|(info, table_id)| {
            info.index_names
                .iter()
                .map(|name| match name {
                    None => table_id.clone(),
                    Some(name) => ids.unique(index_node_id(&info.name, name)),
                })
                .collect()
        })
        .collect();
    let patterns: Vec<String> = model
        .access_patterns
        .iter()
        .map(|p| ids.unique(pattern_node_id(&p.id)))
        .collect();
    let node_ids = NodeIds {
        tables,
        entities,
        indexes,
        patterns,
    };
    let mut diagram = layout::build(&ctx, analysis, &node_ids);
    mark_findings(&mut diagram, analysis, &node_ids, &ctx);
    diagram
}

/// Every node's id, by model position.
pub(crate) struct NodeIds {
    pub tables: Vec<String>,
    pub entities: Vec<String>,
    pub indexes: Vec<Vec<String>>,
    pub patterns: Vec<String>,
}

/// Node ids made unique: a second element of one name (a model mid-edit) gets `~2`.
#[derive(Default)]
struct Ids {
    seen: std::collections::HashSet<String>,
}

impl Ids {
    fn unique(&mut self, id: String) -> String {
        if self.seen.insert(id.clone()) {
            return id;
        }
        let mut n = 2;
        loop {
            let candidate = format!("{id}~{n}");
            if self.seen.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }
}

/// Counts the findings on each node; an attribute's or a template's findings
/// count on its entity. Findings about the whole model mark no node.
fn mark_findings(diagram: &mut Diagram, analysis: &Analysis, ids: &NodeIds, ctx: &Context) {
    let mut marks: HashMap<&str, FindingMark> = HashMap::default();
    let mut pattern_positions: Option<HashMap<&str, usize>> = None;
    for finding in &analysis.findings {
        let id = match &finding.location {
            Location::Model => None,
            Location::Table { table } => ctx.table_index(table).map(|t| &ids.tables[t]),
            Location::Index { table, index } => ctx.table_index(table).and_then(|t| {
                let names = &ctx.tables[t].index_names;
                let ix = names.iter().position(|n| n.as_deref() == Some(&**index))?;
                Some(&ids.indexes[t][ix])
            }),
            Location::Entity { entity }
            | Location::Attribute { entity, .. }
            | Location::Template { entity, .. } => {
                ctx.entity_index(entity).map(|e| &ids.entities[e])
            }
            Location::Pattern { pattern } => {
                let by_id = pattern_positions.get_or_insert_with(|| {
                    let mut map = HashMap::default();
                    for (i, p) in ctx.model.access_patterns.iter().enumerate() {
                        map.entry(p.id.as_str()).or_insert(i);
                    }
                    map
                });
                by_id.get(&**pattern).map(|&p| &ids.patterns[p])
            }
        };
        let Some(id) = id else { continue };
        marks
            .entry(id.as_str())
            .and_modify(|m| {
                m.count += 1;
                m.severity = m.severity.min(finding.severity);
            })
            .or_insert(FindingMark {
                count: 1,
                severity: finding.severity,
            });
    }
    for node in &mut diagram.nodes {
        node.findings = marks.get(node.id.as_str()).copied();
    }
}

#[cfg(test)]
mod tests;
