//! The automatic layout, in columns: write patterns, tables with their
//! entities stacked inside, the tables' indexes, read patterns. Each table has
//! a band as tall as its box or its index stack, in model order, so a table's
//! place depends only on the tables above it. Patterns flow down their column,
//! each beside what it serves or writes, and never move a table. Saved
//! positions then override node by node (a table's entities move with it).

use serde::Serialize;

use super::references;
use super::{Diagram, Edge, EdgeKind, Node, NodeIds, NodeKind};
use crate::analysis::context::Context;
use crate::analysis::format::{count, plural};
use crate::analysis::fxhash::FxHashMap as HashMap;
use crate::analysis::{Analysis, Status};
use crate::model::{IndexKind, Projection};

/// A rectangle in the layout's units: top-left corner, width and height.
#[derive(Serialize, Clone, Copy, Debug, PartialEq, Default)]
pub struct Rect {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
}

impl Rect {
    pub fn right(&self) -> f32 {
        self.x + self.w
    }

    pub fn bottom(&self) -> f32 {
        self.y + self.h
    }

    pub fn center(&self) -> [f32; 2] {
        [self.x + self.w / 2.0, self.y + self.h / 2.0]
    }
}

const LINE: f32 = 16.0;
const PAD: f32 = 8.0;
const GAP: f32 = 12.0;
const TABLE_GAP: f32 = 48.0;
const WRITE_X: f32 = 0.0;
const PATTERN_W: f32 = 220.0;
const TABLE_X: f32 = 280.0;
const TABLE_W: f32 = 300.0;
const ENTITY_INSET: f32 = 12.0;
const INDEX_X: f32 = 640.0;
const INDEX_W: f32 = 260.0;
const READ_X: f32 = 960.0;
/// Extra height per factor of ten items, so that an entity's box shows its size.
const HEIGHT_PER_DECADE: f32 = 6.0;
/// The longest description a pattern's box shows, in characters.
const DESCRIPTION_CHARS: usize = 34;

fn text_height(lines: usize) -> f32 {
    PAD * 2.0 + lines as f32 * LINE
}

/// Items on a log scale: 150 items a little taller than none, 15 million much.
fn entity_height(lines: usize, items: u64) -> f32 {
    let decades = ((items as f64) + 1.0).log10().round() as f32;
    text_height(lines) + decades * HEIGHT_PER_DECADE
}

pub(super) fn build(ctx: &Context, analysis: &Analysis, ids: &NodeIds) -> Diagram {
    let model = ctx.model;
    let mut nodes: Vec<Node> = Vec::new();
    let mut edges: Vec<Edge> = Vec::new();
    // Node position in `nodes` by entity, and by table and index position.
    let mut entity_node: Vec<Option<usize>> = vec![None; model.entities.len()];
    let mut index_node: Vec<Vec<usize>> = Vec::with_capacity(ctx.tables.len());

    let mut y = 0.0_f32;
    for (t, info) in ctx.tables.iter().enumerate() {
        let table = &model.tables[t];
        let table_at = nodes.len();
        let mut pk_templates: Vec<String> = Vec::new();
        let mut seen = std::collections::HashSet::new();
        let mut items = 0u64;
        for &e in &info.entities {
            let entity = &model.entities[e];
            items = items.saturating_add(entity.item_count);
            let text = entity
                .key_template(&table.partition_key.name)
                .map(|t| t.into_owned())
                .unwrap_or_else(|| "—".to_string());
            if seen.insert(text.clone()) {
                pk_templates.push(text);
            }
        }
        let pk_line = match pk_templates.len() {
            0 => format!("{}: (no entities)", table.partition_key.name),
            n if n <= 3 => format!("{}: {}", table.partition_key.name, pk_templates.join(" | ")),
            n => format!(
                "{}: {} | +{} more",
                table.partition_key.name,
                pk_templates[..3].join(" | "),
                n - 3
            ),
        };
        let label = vec![
            table.name.clone(),
            pk_line,
            format!(
                "{} · {} items",
                plural(info.entities.len(), "entity", "entities"),
                count(items as f64)
            ),
        ];
        let header = text_height(label.len());
        nodes.push(Node {
            id: ids.tables[t].clone(),
            kind: NodeKind::Table,
            rect: Rect {
                x: TABLE_X,
                y,
                w: TABLE_W,
                h: 0.0,
            },
            label,
            parent: None,
            findings: None,
            placed: false,
        });
        // Each entity's sort-key shape (its partition key when the table has no sort key).
        let shape_key = table.sort_key.as_ref().unwrap_or(&table.partition_key);
        let mut inner = y + header;
        for &e in &info.entities {
            let entity = &model.entities[e];
            let template = entity
                .key_template(&shape_key.name)
                .map(|t| t.into_owned())
                .unwrap_or_else(|| "—".to_string());
            let label = vec![
                entity.name.clone(),
                format!("{}: {template}", shape_key.name),
                format!("{} items", count(entity.item_count as f64)),
            ];
            let h = entity_height(label.len(), entity.item_count);
            entity_node[e] = Some(nodes.len());
            nodes.push(Node {
                id: ids.entities[e].clone(),
                kind: NodeKind::Entity {
                    items: entity.item_count,
                },
                rect: Rect {
                    x: TABLE_X + ENTITY_INSET,
                    y: inner,
                    w: TABLE_W - 2.0 * ENTITY_INSET,
                    h,
                },
                label,
                parent: Some(ids.tables[t].clone()),
                findings: None,
                placed: false,
            });
            inner += h + GAP / 2.0;
        }
        let table_h = inner - y + PAD;
        nodes[table_at].rect.h = table_h;

        // The indexes beside the table; the base table is the table's own node.
        let mut positions = vec![table_at];
        let mut index_y = y;
        for (ix, view) in info.indexes.iter().enumerate().skip(1) {
            let held = info
                .entities
                .iter()
                .filter(|&&e| ctx.entities[e].in_index.get(ix).copied().unwrap_or(false))
                .count();
            let sparse = held < info.entities.len();
            let keys = |attrs: &[&crate::model::KeyAttribute]| {
                attrs
                    .iter()
                    .map(|k| k.name.as_str())
                    .collect::<Vec<_>>()
                    .join(" + ")
            };
            let mut key_line = format!(
                "{} {}",
                if view.kind == IndexKind::Lsi {
                    "LSI"
                } else {
                    "GSI"
                },
                keys(&view.partition_key)
            );
            if !view.sort_key.is_empty() {
                key_line.push_str(" / ");
                key_line.push_str(&keys(&view.sort_key));
            }
            let mut held_line = if sparse {
                format!("sparse: {held} of {} entities", info.entities.len())
            } else {
                plural(held, "entity", "entities")
            };
            if let Some(projection) = view.projection
                && *projection != Projection::All
            {
                held_line.push_str(" · ");
                held_line.push_str(projection.label());
            }
            let label = vec![view.display_name().to_string(), key_line, held_line];
            let h = text_height(label.len());
            positions.push(nodes.len());
            nodes.push(Node {
                id: ids.indexes[t][ix].clone(),
                kind: NodeKind::Index {
                    index: view.kind,
                    sparse,
                },
                rect: Rect {
                    x: INDEX_X,
                    y: index_y,
                    w: INDEX_W,
                    h,
                },
                label,
                parent: None,
                findings: None,
                placed: false,
            });
            index_y += h + GAP;
        }
        index_node.push(positions);
        y += table_h.max(index_y - y - GAP) + TABLE_GAP;
    }

    // Entities whose table is missing, under the tables.
    for (e, entity) in model.entities.iter().enumerate() {
        if ctx.entities[e].table.is_some() {
            continue;
        }
        let label = vec![
            entity.name.clone(),
            format!("table {} is missing", entity.table),
            format!("{} items", count(entity.item_count as f64)),
        ];
        let h = entity_height(label.len(), entity.item_count);
        entity_node[e] = Some(nodes.len());
        nodes.push(Node {
            id: ids.entities[e].clone(),
            kind: NodeKind::Entity {
                items: entity.item_count,
            },
            rect: Rect {
                x: TABLE_X + ENTITY_INSET,
                y,
                w: TABLE_W - 2.0 * ENTITY_INSET,
                h,
            },
            label,
            parent: None,
            findings: None,
            placed: false,
        });
        y += h + GAP;
    }

    // Entity → index edges, for every GSI/LSI that holds the entity.
    for (t, info) in ctx.tables.iter().enumerate() {
        for &e in &info.entities {
            let entity = &model.entities[e];
            for (ix, view) in info.indexes.iter().enumerate().skip(1) {
                if !ctx.entities[e].in_index.get(ix).copied().unwrap_or(false) {
                    continue;
                }
                let label = view
                    .key_attributes()
                    .map(|k| {
                        let template = entity
                            .key_template(&k.name)
                            .map(|t| t.into_owned())
                            .unwrap_or_else(|| "—".to_string());
                        format!("{} = {template}", k.name)
                    })
                    .collect::<Vec<_>>()
                    .join(", ");
                edges.push(edge(
                    &ids.entities[e],
                    &ids.indexes[t][ix],
                    EdgeKind::Holds,
                    label,
                    None,
                ));
            }
        }
    }
    for r in references::infer(ctx) {
        edges.push(edge(
            &ids.entities[r.from],
            &ids.entities[r.to],
            EdgeKind::References,
            r.attributes.join(", "),
            None,
        ));
    }

    // Patterns: where each one anchors, then down its column.
    let entity_y = |e: usize| entity_node[e].map(|n| nodes[n].rect.y);
    let mut reads: Vec<(f32, usize)> = Vec::new();
    let mut writes: Vec<(f32, usize)> = Vec::new();
    for (p, pattern) in model.access_patterns.iter().enumerate() {
        let Some(resolution) = analysis.resolutions.get(p) else {
            continue;
        };
        let status = resolution.status;
        if let Some(plan) = &resolution.plan {
            let target = index_node
                .get(plan.table_pos)
                .and_then(|ix| ix.get(plan.index_pos))
                .copied();
            let anchor = match target {
                // A base-table read sits beside the entity it reads.
                Some(n) if plan.index_pos == 0 => ctx
                    .primary_entity(p)
                    .filter(|&e| ctx.entities[e].table == Some(plan.table_pos))
                    .and_then(entity_y)
                    .unwrap_or(nodes[n].rect.y),
                Some(n) => nodes[n].rect.y,
                None => f32::INFINITY,
            };
            reads.push((anchor, p));
            if let Some(n) = target {
                let to = nodes[n].id.clone();
                edges.push(edge(
                    &ids.patterns[p],
                    &to,
                    EdgeKind::Serves,
                    plan.call.as_str().to_string(),
                    Some(status),
                ));
            }
        } else if status == Status::Write || !resolution.writes.is_empty() {
            let mut written: Vec<usize> = Vec::new();
            for w in &resolution.writes {
                if !written.contains(&w.entity_pos) {
                    written.push(w.entity_pos);
                }
            }
            if written.is_empty() {
                written.extend(ctx.known_entities(p));
            }
            let anchor = written
                .iter()
                .find_map(|&e| entity_y(e))
                .unwrap_or(f32::INFINITY);
            writes.push((anchor, p));
            for e in written {
                edges.push(edge(
                    &ids.patterns[p],
                    &ids.entities[e],
                    EdgeKind::Writes,
                    pattern.operation.as_str().to_string(),
                    Some(status),
                ));
            }
        } else {
            let anchor = ctx
                .primary_entity(p)
                .and_then(entity_y)
                .unwrap_or(f32::INFINITY);
            reads.push((anchor, p));
        }
    }
    let mut pattern_nodes: Vec<(usize, Node)> = Vec::with_capacity(model.access_patterns.len());
    for (column, x) in [(&mut writes, WRITE_X), (&mut reads, READ_X)] {
        column.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
        let mut cursor = 0.0_f32;
        for &(anchor, p) in column.iter() {
            let pattern = &model.access_patterns[p];
            let status = analysis.resolutions[p].status;
            let label = vec![
                format!("{} · {}", pattern.id, pattern.operation.as_str()),
                shorten(&pattern.description, DESCRIPTION_CHARS),
            ];
            let h = text_height(label.len());
            let top = if anchor.is_finite() {
                cursor.max(anchor)
            } else {
                cursor
            };
            pattern_nodes.push((
                p,
                Node {
                    id: ids.patterns[p].clone(),
                    kind: NodeKind::Pattern { status },
                    rect: Rect {
                        x,
                        y: top,
                        w: PATTERN_W,
                        h,
                    },
                    label,
                    parent: None,
                    findings: None,
                    placed: false,
                },
            ));
            cursor = top + h + GAP;
        }
    }
    // Patterns in model order, whichever column they stand in.
    pattern_nodes.sort_by_key(|(p, _)| *p);
    nodes.extend(pattern_nodes.into_iter().map(|(_, n)| n));

    place_saved(&mut nodes, model.diagram.as_ref());
    route(&nodes, &mut edges);
    let bounds = bounds(&nodes);
    Diagram {
        nodes,
        edges,
        bounds,
    }
}

fn edge(from: &str, to: &str, kind: EdgeKind, label: String, status: Option<Status>) -> Edge {
    Edge {
        from: from.to_string(),
        to: to.to_string(),
        kind,
        label,
        status,
        path: [[0.0; 2]; 4],
    }
}

/// At most `max` characters, the cut marked with `…`.
fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    if text.chars().count() <= max {
        return text.to_string();
    }
    let mut cut: String = text.chars().take(max - 1).collect();
    cut.truncate(cut.trim_end().len());
    cut.push('…');
    cut
}

/// Moves the nodes the designer placed; a moved table takes the entities it
/// holds along (unless they were placed themselves).
fn place_saved(nodes: &mut [Node], saved: Option<&crate::model::DiagramPositions>) {
    let Some(saved) = saved.filter(|s| !s.is_empty()) else {
        return;
    };
    let mut moved: HashMap<String, [f32; 2]> = HashMap::default();
    for node in nodes.iter_mut() {
        if let Some([x, y]) = saved.get(&node.id) {
            if node.kind == NodeKind::Table {
                moved.insert(node.id.clone(), [x - node.rect.x, y - node.rect.y]);
            }
            node.rect.x = x;
            node.rect.y = y;
            node.placed = true;
        } else if let Some(parent) = &node.parent
            && let Some([dx, dy]) = moved.get(parent)
        {
            node.rect.x += dx;
            node.rect.y += dy;
        }
    }
}

/// Draws every edge from the side of one box that faces the other.
fn route(nodes: &[Node], edges: &mut [Edge]) {
    let rects: HashMap<&str, Rect> = nodes.iter().map(|n| (n.id.as_str(), n.rect)).collect();
    for edge in edges.iter_mut() {
        let (Some(a), Some(b)) = (rects.get(edge.from.as_str()), rects.get(edge.to.as_str()))
        else {
            continue;
        };
        edge.path = curve(a, b);
    }
}

fn curve(a: &Rect, b: &Rect) -> [[f32; 2]; 4] {
    let (ay, by) = (a.center()[1], b.center()[1]);
    if b.x >= a.right() {
        let bend = ((b.x - a.right()) / 2.0).max(24.0);
        [
            [a.right(), ay],
            [a.right() + bend, ay],
            [b.x - bend, by],
            [b.x, by],
        ]
    } else if b.right() <= a.x {
        let bend = ((a.x - b.right()) / 2.0).max(24.0);
        [
            [a.x, ay],
            [a.x - bend, ay],
            [b.right() + bend, by],
            [b.right(), by],
        ]
    } else {
        // One above the other: out of the left sides and back in.
        let bend = (24.0 + (by - ay).abs() / 8.0).min(96.0);
        [[a.x, ay], [a.x - bend, ay], [b.x - bend, by], [b.x, by]]
    }
}

fn bounds(nodes: &[Node]) -> Rect {
    let mut iter = nodes.iter().map(|n| n.rect);
    let Some(first) = iter.next() else {
        return Rect::default();
    };
    let (mut x0, mut y0, mut x1, mut y1) = (first.x, first.y, first.right(), first.bottom());
    for r in iter {
        x0 = x0.min(r.x);
        y0 = y0.min(r.y);
        x1 = x1.max(r.right());
        y1 = y1.max(r.bottom());
    }
    Rect {
        x: x0,
        y: y0,
        w: x1 - x0,
        h: y1 - y0,
    }
}
