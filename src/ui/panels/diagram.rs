//! The Diagram tab: the layout `analysis::diagram` works out, drawn on a canvas
//! to pan (drag the background), zoom (Ctrl+scroll, or the buttons) and click.
//! Clicking a box selects its element everywhere; selecting one elsewhere
//! highlights its box. Dragging a box moves it, and its place is saved in the
//! model file (one undo step per drag).

use egui::epaint::{CubicBezierShape, PathStroke};
use egui::{Color32, Pos2, Rect, Role, Sense, Stroke, StrokeKind, Ui, Vec2, WidgetInfo};

use crate::analysis::diagram::{Diagram, EdgeKind, Node, NodeKind};
use crate::analysis::{Severity, Status};
use crate::model::{
    Edit, Model, ModelChange, entity_node_id, index_node_id, pattern_node_id, table_node_id,
};
use crate::ui::widgets::severity_color;
use crate::ui::{PanelCtx, Selection};

/// Pan and zoom, kept per window in egui's memory.
#[derive(Clone, Copy, Debug)]
struct View {
    /// The layout point at the canvas' top-left corner.
    offset: Vec2,
    /// Screen points per layout unit.
    scale: f32,
    /// Set until the first frame has fitted the diagram to the canvas.
    fitted: bool,
}

impl Default for View {
    fn default() -> Self {
        View {
            offset: Vec2::ZERO,
            scale: 1.0,
            fitted: false,
        }
    }
}

impl View {
    fn screen_point(&self, canvas: Rect, p: [f32; 2]) -> Pos2 {
        canvas.min + (Vec2::new(p[0], p[1]) - self.offset) * self.scale
    }

    fn rect(&self, canvas: Rect, r: &crate::analysis::diagram::Rect) -> Rect {
        Rect::from_min_size(
            self.screen_point(canvas, [r.x, r.y]),
            Vec2::new(r.w, r.h) * self.scale,
        )
    }

    fn fit(&mut self, canvas: Rect, bounds: &crate::analysis::diagram::Rect) {
        let margin = 20.0;
        let sx = (canvas.width() - 2.0 * margin) / bounds.w.max(1.0);
        let sy = (canvas.height() - 2.0 * margin) / bounds.h.max(1.0);
        // Readable first: fit the width, but never below half size or above full.
        self.scale = sx.min(sy.max(sx * 0.5)).clamp(0.5, 1.0);
        self.offset = Vec2::new(bounds.x, bounds.y) - Vec2::splat(margin / self.scale);
        self.fitted = true;
    }
}

/// The node id of the selected element, to highlight its box.
fn selected_node(model: &Model, selection: &Selection) -> Option<String> {
    match *selection {
        Selection::None => None,
        Selection::Table(t) => model.table_by_uid(t).map(|t| table_node_id(&t.name)),
        Selection::Entity(e) => model.entity_by_uid(e).map(|e| entity_node_id(&e.name)),
        Selection::Pattern(p) => model.pattern_by_uid(p).map(|p| pattern_node_id(&p.id)),
        Selection::Index { table, .. } => {
            let t = model.table_by_uid(table)?;
            let name = model.element_name(selection.element()?)?;
            Some(index_node_id(&t.name, name))
        }
    }
}

/// The element a node id names.
fn selection_of(model: &Model, id: &str) -> Selection {
    let Some((kind, name)) = id.split_once(':') else {
        return Selection::None;
    };
    match kind {
        "table" => Selection::table(model, name),
        "entity" => Selection::entity(model, name),
        "pattern" => Selection::pattern(model, name),
        "index" => match name.split_once('/') {
            Some((table, index)) => Selection::index(model, table, index),
            None => Selection::None,
        },
        _ => Selection::None,
    }
}

fn status_color(ui: &Ui, status: Status) -> Color32 {
    match status {
        Status::Served => Color32::from_rgb(60, 170, 90),
        Status::NeedsFilter => ui.visuals().warn_fg_color,
        Status::NeedsScan | Status::Unresolved => ui.visuals().error_fg_color,
        Status::Outside => Color32::from_rgb(70, 140, 220),
        Status::Write => ui.visuals().hyperlink_color,
    }
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, diagram: &Diagram) {
    let canvas_id = ui.make_persistent_id("diagram-view");
    let mut view: View = ui.data(|d| d.get_temp(canvas_id)).unwrap_or_default();
    let mut fit = false;
    ui.horizontal(|ui| {
        let count = diagram.nodes.len();
        ui.label(format!(
            "{} box{}: drag the background to pan, Ctrl+scroll to zoom, drag a box to move it",
            count,
            if count == 1 { "" } else { "es" }
        ));
        if ui
            .button("Fit")
            .on_hover_text("Show the whole diagram")
            .clicked()
        {
            fit = true;
        }
        if ui.button("−").on_hover_text("Zoom out").clicked() {
            view.scale = (view.scale / 1.25).max(0.1);
        }
        if ui.button("+").on_hover_text("Zoom in").clicked() {
            view.scale = (view.scale * 1.25).min(4.0);
        }
    });
    let (canvas, background) = ui.allocate_exact_size(ui.available_size(), Sense::click_and_drag());
    background.widget_info(|| WidgetInfo::labeled(Role::Canvas, true, "Diagram canvas"));
    if fit || !view.fitted {
        view.fit(canvas, &diagram.bounds);
    }
    if background.dragged() {
        view.offset -= background.drag_delta() / view.scale;
    }
    if background.hovered() {
        let (zoom, pointer) = ui.input(|i| (i.zoom_delta(), i.pointer.hover_pos()));
        if zoom != 1.0
            && let Some(p) = pointer
        {
            // Zoom about the pointer: the layout point under it stays put.
            let before = view.offset + (p - canvas.min) / view.scale;
            view.scale = (view.scale * zoom).clamp(0.1, 4.0);
            view.offset = before - (p - canvas.min) / view.scale;
        }
    }
    if background.clicked() {
        panel.actions.select(Selection::None);
    }
    let painter = ui.painter_at(canvas);
    painter.rect_filled(canvas, 0.0, ui.visuals().extreme_bg_color);
    let selected = selected_node(panel.model, panel.selection);

    // The edges that cross the canvas; past a few hundred (a large model seen
    // whole) they are drawn as straight lines without labels, which keeps a frame
    // cheap: curves and their text cost far more to tessellate.
    let visible: Vec<(&crate::analysis::diagram::Edge, [Pos2; 4])> = diagram
        .edges
        .iter()
        .map(|edge| (edge, edge.path.map(|p| view.screen_point(canvas, p))))
        .filter(|(_, points)| Rect::from_points(points).intersects(canvas))
        .collect();
    let detailed = visible.len() <= 400;
    for (edge, points) in visible {
        let color = match (edge.kind, edge.status) {
            (_, Some(status)) => status_color(ui, status),
            (EdgeKind::References, _) => ui.visuals().weak_text_color(),
            _ => ui.visuals().widgets.noninteractive.fg_stroke.color,
        };
        let stroke = Stroke::new(1.2, color.gamma_multiply(0.8));
        if !detailed {
            // Clipped first: a dashed line is one shape per dash, and an edge
            // across a large model can be many screens long.
            if let Some(segment) = clip(points[0], points[3], canvas.expand(8.0)) {
                if edge.kind.dashed() {
                    painter.extend(egui::Shape::dashed_line(&segment, stroke, 6.0, 4.0));
                } else {
                    painter.line_segment(segment, stroke);
                }
            }
            continue;
        }
        if edge.kind.dashed() {
            let curve =
                CubicBezierShape::from_points_stroke(points, false, Color32::TRANSPARENT, stroke);
            // Dashes only where they can be seen (see above).
            let sampled: Vec<Pos2> = curve.flatten(Some(0.5));
            let area = canvas.expand(8.0);
            for pair in sampled.windows(2) {
                if let Some(segment) = clip(pair[0], pair[1], area) {
                    painter.extend(egui::Shape::dashed_line(&segment, stroke, 6.0, 4.0));
                }
            }
        } else {
            painter.add(CubicBezierShape::from_points_stroke(
                points,
                false,
                Color32::TRANSPARENT,
                PathStroke::from(stroke),
            ));
        }
        if !edge.label.is_empty() && view.scale >= 0.6 {
            let mid = points[0].lerp(points[3], 0.5);
            painter.text(
                mid,
                egui::Align2::CENTER_BOTTOM,
                &edge.label,
                egui::FontId::monospace(10.0 * view.scale.max(0.8)),
                ui.visuals().weak_text_color(),
            );
        }
    }

    // Tables first, so their entities draw over them.
    let mut dragged: Option<(String, [f32; 2])> = None;
    let mut drag_ended = false;
    for node in &diagram.nodes {
        let rect = view.rect(canvas, &node.rect);
        if !rect.intersects(canvas) {
            continue;
        }
        let is_selected = selected.as_deref() == Some(node.id.as_str());
        draw_node(ui, &painter, node, rect, is_selected, view.scale);
        let id = canvas_id.with(&node.id);
        let response = ui.interact(rect.intersect(canvas), id, Sense::click_and_drag());
        response.widget_info(|| {
            WidgetInfo::selected(
                Role::Button,
                true,
                is_selected,
                format!("Diagram {}", node.id),
            )
        });
        let response = response.on_hover_text(node.label.join("\n"));
        if response.clicked() {
            panel.actions.select(selection_of(panel.model, &node.id));
        }
        if response.dragged() && response.drag_delta() != Vec2::ZERO {
            let moved = [
                node.rect.x + response.drag_delta().x / view.scale,
                node.rect.y + response.drag_delta().y / view.scale,
            ];
            dragged = Some((node.id.clone(), moved));
        }
        if response.drag_stopped() {
            drag_ended = true;
        }
    }
    if let Some((node, position)) = dragged {
        // Each frame of a drag joins the same undo step.
        panel
            .actions
            .typing(Edit::Model(ModelChange::DiagramPosition {
                node,
                position: Some(position),
            }));
    }
    if drag_ended {
        panel.actions.seal = true;
    }
    ui.data_mut(|d| d.insert_temp(canvas_id, view));
}

fn draw_node(
    ui: &Ui,
    painter: &egui::Painter,
    node: &Node,
    rect: Rect,
    selected: bool,
    scale: f32,
) {
    let visuals = ui.visuals();
    let (fill, stroke_color, dashed) = match node.kind {
        NodeKind::Table => (
            visuals.faint_bg_color,
            visuals.widgets.noninteractive.bg_stroke.color,
            false,
        ),
        NodeKind::Entity { .. } => (
            visuals.widgets.inactive.bg_fill,
            visuals.widgets.inactive.fg_stroke.color,
            false,
        ),
        NodeKind::Index { sparse, .. } => (visuals.code_bg_color, visuals.hyperlink_color, sparse),
        NodeKind::Pattern { status } => (
            visuals.widgets.noninteractive.bg_fill,
            status_color(ui, status),
            false,
        ),
    };
    painter.rect_filled(rect, 4.0, fill);
    let stroke = if selected {
        Stroke::new(2.5, visuals.selection.stroke.color)
    } else {
        Stroke::new(1.0, stroke_color)
    };
    if dashed && !selected {
        // A sparse index holds only some of its table's entities: a broken outline.
        let corners = [
            rect.left_top(),
            rect.right_top(),
            rect.right_bottom(),
            rect.left_bottom(),
            rect.left_top(),
        ];
        painter.extend(egui::Shape::dashed_line(&corners, stroke, 5.0, 3.0));
    } else {
        painter.rect_stroke(rect, 4.0, stroke, StrokeKind::Inside);
    }
    if scale >= 0.35 {
        let size = 12.0 * scale.clamp(0.6, 1.6);
        let mut y = rect.top() + 4.0 * scale;
        for (i, line) in node.label.iter().enumerate() {
            let font = if i == 0 {
                egui::FontId::proportional(size)
            } else {
                egui::FontId::monospace(size * 0.9)
            };
            let color = if i == 0 {
                visuals.strong_text_color()
            } else {
                visuals.text_color()
            };
            let galley = painter.layout_no_wrap(line.clone(), font, color);
            if y + galley.size().y > rect.bottom() + 1.0 {
                break;
            }
            let clip = painter.with_clip_rect(rect.shrink(2.0));
            clip.galley(
                Pos2::new(rect.left() + 6.0 * scale, y),
                galley.clone(),
                color,
            );
            y += galley.size().y + 1.0;
        }
    }
    if let Some(mark) = node.findings {
        let center = Pos2::new(rect.right() - 6.0, rect.top() + 6.0);
        let color = severity_color(ui, mark.severity);
        painter.circle_filled(center, 7.0, color);
        painter.text(
            center,
            egui::Align2::CENTER_CENTER,
            mark.count.to_string(),
            egui::FontId::proportional(9.0),
            if mark.severity == Severity::Warning {
                Color32::BLACK
            } else {
                Color32::WHITE
            },
        );
    }
}

/// The part of the segment `a`–`b` inside `area` (Liang–Barsky), if any.
fn clip(a: Pos2, b: Pos2, area: Rect) -> Option<[Pos2; 2]> {
    let d = b - a;
    let (mut t0, mut t1) = (0.0f32, 1.0f32);
    for (p, q) in [
        (-d.x, a.x - area.min.x),
        (d.x, area.max.x - a.x),
        (-d.y, a.y - area.min.y),
        (d.y, area.max.y - a.y),
    ] {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    (t0 <= t1).then(|| [a + d * t0, a + d * t1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_are_clipped_to_the_canvas() {
        let area = Rect::from_min_max(Pos2::new(0.0, 0.0), Pos2::new(10.0, 10.0));
        let [a, b] = clip(Pos2::new(-10.0, 5.0), Pos2::new(20.0, 5.0), area).unwrap();
        assert_eq!((a, b), (Pos2::new(0.0, 5.0), Pos2::new(10.0, 5.0)));
        assert!(clip(Pos2::new(-10.0, 20.0), Pos2::new(20.0, 20.0), area).is_none());
        let inside = clip(Pos2::new(1.0, 1.0), Pos2::new(2.0, 3.0), area).unwrap();
        assert_eq!(inside, [Pos2::new(1.0, 1.0), Pos2::new(2.0, 3.0)]);
    }
}
