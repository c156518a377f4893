//! Where the designer put the diagram's boxes: an optional block of the model
//! file that overrides the automatic layout node by node. The node ids are
//! built here, from names, so the file, the layout and the edits agree on them.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// A position on the diagram, top-left corner, in the layout's units.
pub type Position = [f32; 2];

/// Node id to the position the designer dragged it to.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Default)]
pub struct DiagramPositions {
    #[serde(default)]
    pub positions: BTreeMap<String, Position>,
}

impl DiagramPositions {
    pub fn get(&self, node: &str) -> Option<Position> {
        self.positions.get(node).copied()
    }

    pub fn is_empty(&self) -> bool {
        self.positions.is_empty()
    }
}

/// `table:Users`
pub fn table_node_id(table: &str) -> String {
    format!("table:{table}")
}

/// `entity:User`
pub fn entity_node_id(entity: &str) -> String {
    format!("entity:{entity}")
}

/// `index:Users/GSI1`
pub fn index_node_id(table: &str, index: &str) -> String {
    format!("index:{table}/{index}")
}

/// `pattern:AP3`
pub fn pattern_node_id(pattern: &str) -> String {
    format!("pattern:{pattern}")
}

/// What a rename does to the saved positions: the node keeps its place under its new id.
pub(crate) enum Renamed<'a> {
    Table,
    Index { table: &'a str },
    Entity,
    Pattern,
}

impl super::Model {
    /// Carries saved positions over a rename (a table's indexes are renamed with it).
    pub(crate) fn rename_diagram_nodes(&mut self, what: Renamed, old: &str, new: &str) {
        let Some(diagram) = &mut self.diagram else {
            return;
        };
        let moves: Vec<(String, String)> = match what {
            Renamed::Table => {
                let index_prefix = format!("index:{old}/");
                diagram
                    .positions
                    .keys()
                    .filter_map(|id| {
                        if *id == table_node_id(old) {
                            Some((id.clone(), table_node_id(new)))
                        } else {
                            id.strip_prefix(&index_prefix)
                                .map(|index| (id.clone(), index_node_id(new, index)))
                        }
                    })
                    .collect()
            }
            Renamed::Index { table } => {
                vec![(index_node_id(table, old), index_node_id(table, new))]
            }
            Renamed::Entity => vec![(entity_node_id(old), entity_node_id(new))],
            Renamed::Pattern => vec![(pattern_node_id(old), pattern_node_id(new))],
        };
        for (from, to) in moves {
            if let Some(position) = diagram.positions.remove(&from) {
                diagram.positions.insert(to, position);
            }
        }
    }

    /// Lets go of the saved positions of removed elements (a table's own and its
    /// indexes'), so a new element that takes the name starts in the layout's place.
    pub(crate) fn forget_diagram_nodes(&mut self, removed: &[String], table: Option<&str>) {
        let Some(diagram) = &mut self.diagram else {
            return;
        };
        let index_prefix = table.map(|t| format!("index:{t}/"));
        diagram.positions.retain(|id, _| {
            !removed.contains(id)
                && !index_prefix
                    .as_ref()
                    .is_some_and(|prefix| id.starts_with(prefix.as_str()))
        });
        if diagram.is_empty() {
            self.diagram = None;
        }
    }
}
