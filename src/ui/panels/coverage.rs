//! Index coverage: access patterns × indexes. Each cell says whether that index
//! serves the pattern (⚫), could serve it (○) or is updated by it (✏); the header
//! counts what each index serves, and unused GSIs stand out. The pattern column
//! stays while the index columns scroll sideways; the index columns are narrow
//! (table, index and count on three lines, named in full on hover), so most of
//! a model's indexes fit beside the patterns.

use egui::{Color32, Label, RichText, Ui};
use egui_extras::Column;

use crate::analysis::{IndexUsage, Name, Resolution, Status};
use crate::model::{AccessPattern, IndexKind};
use crate::ui::widgets::frozen_grid::{FrozenGrid, Part};
use crate::ui::widgets::{status_badge, table_filter, text_width};
use crate::ui::{PanelCtx, Selection};

const ROW_HEIGHT: f32 = 24.0;
const HEADER_HEIGHT: f32 = 50.0;
const PATTERN_WIDTH: f32 = 250.0;
const INDEX_WIDTH: f32 = 64.0;

#[derive(Clone, Copy, PartialEq)]
enum Mark {
    Serves,
    Could,
    Writes,
    None,
}

/// One matrix cell: a painted mark that is a named, clickable button for screen readers and tests.
fn cell(ui: &mut Ui, mark: Mark, color: Color32, name: &str) -> egui::Response {
    let width = ui.available_width();
    let response = paint_mark(ui, mark, color, width);
    if response.hovered() && mark != Mark::None {
        ui.painter().rect_stroke(
            response.rect.shrink(1.0),
            3.0,
            ui.visuals().widgets.hovered.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    let name = name.to_string();
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Button, true, name.clone())
    });
    response
}

/// Paints a mark at the left of a `width`-wide, clickable strip.
fn paint_mark(ui: &mut Ui, mark: Mark, color: Color32, width: f32) -> egui::Response {
    let (rect, response) = ui.allocate_exact_size(egui::vec2(width, 20.0), egui::Sense::click());
    let center = rect.center();
    let painter = ui.painter();
    match mark {
        Mark::Serves => {
            painter.circle_filled(center, 6.0, color);
        }
        Mark::Could => {
            painter.circle_stroke(center, 5.5, egui::Stroke::new(1.5, color));
        }
        Mark::Writes => {
            painter.text(
                center,
                egui::Align2::CENTER_CENTER,
                "✏",
                egui::FontId::proportional(14.0),
                color,
            );
        }
        Mark::None => {}
    }
    response
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let chosen = table_filter(ui, panel, "coverage", true);
    let model = panel.model;
    let analysis = panel.analysis;
    let columns: Vec<&IndexUsage> = analysis
        .index_usage
        .iter()
        .filter(|u| chosen.as_ref().is_none_or(|t| *u.table == **t))
        .collect();
    let entity_table: std::collections::HashMap<&str, &str> = model
        .entities
        .iter()
        .map(|e| (e.name.as_str(), e.table.as_str()))
        .collect();
    let rows: Vec<usize> = (0..model.access_patterns.len())
        .filter(|&i| {
            let p = &model.access_patterns[i];
            chosen.as_ref().is_none_or(|t| {
                p.primary_entity()
                    .and_then(|e| entity_table.get(e))
                    .is_some_and(|table| table == t)
            })
        })
        .collect();
    ui.horizontal(|ui| {
        let green = Color32::from_rgb(60, 170, 90);
        let weak = ui.visuals().text_color();
        let blue = ui.visuals().hyperlink_color;
        for (mark, color, text) in [
            (Mark::Serves, green, "serves"),
            (Mark::Could, weak, "could serve"),
            (Mark::Writes, blue, "updated by the write"),
        ] {
            paint_mark(ui, mark, color, 28.0);
            ui.label(RichText::new(text).weak());
        }
        ui.label(RichText::new("— click a row to edit the pattern").weak());
    });
    // Bring the selected pattern's row into view once, when the selection changes.
    let scroll_key = ui.make_persistent_id("coverage-scrolled");
    let selected_row = match *panel.selection {
        Selection::Pattern(uid) => rows
            .iter()
            .position(|&i| model.access_patterns[i].uid.get() == uid),
        _ => None,
    };
    let last: Option<Selection> = ui.data(|d| d.get_temp(scroll_key));
    let scroll_to = selected_row.filter(|_| last.as_ref() != Some(panel.selection));
    ui.data_mut(|d| d.insert_temp(scroll_key, *panel.selection));
    let id = ui.make_persistent_id(("coverage-grid", &chosen));
    FrozenGrid::new(id, rows.len(), ROW_HEIGHT, HEADER_HEIGHT)
        .frozen(Column::exact(PATTERN_WIDTH).clip(true), 1)
        .scrolled(Column::exact(INDEX_WIDTH).clip(true), columns.len())
        .fill_height()
        .scroll_to_row(scroll_to)
        .show(ui, |ui, cell| {
            let Some(row) = cell.row else {
                match cell.part {
                    Part::Frozen => {
                        ui.strong("Access pattern");
                    }
                    Part::Scrolled => index_header(ui, panel, columns[cell.column]),
                }
                return;
            };
            let i = rows[row];
            let p = &model.access_patterns[i];
            let Some(r) = analysis.resolution_at(i, &p.id) else {
                return;
            };
            match cell.part {
                Part::Frozen => pattern_label(ui, panel, p, r),
                Part::Scrolled => usage_cell(ui, panel, p, r, columns[cell.column]),
            }
        });
}

/// `Orders/GSI1`, or `Orders` for the base table: three tables may have a GSI1.
fn qualified(u: &IndexUsage) -> String {
    match &u.index {
        Some(i) => format!("{}/{i}", u.table),
        None => u.table.to_string(),
    }
}

/// A narrow header: the table, the index and what it serves on three lines;
/// the whole cell is one link named `Table/Index`, with the full story on hover.
fn index_header(ui: &mut Ui, panel: &mut PanelCtx, u: &IndexUsage) {
    let model = panel.model;
    let name = qualified(u);
    let is_unused = u.kind == IndexKind::Gsi && u.reads.is_empty();
    let unused = ui.visuals().warn_fg_color;
    let link = ui.visuals().hyperlink_color;
    let response = ui
        .scope_builder(egui::UiBuilder::new().sense(egui::Sense::click()), |ui| {
            ui.vertical(|ui| {
                ui.spacing_mut().item_spacing.y = 0.0;
                let index = u.index.as_deref().unwrap_or("table");
                let count = if is_unused {
                    RichText::new("unused").small().color(unused)
                } else {
                    RichText::new(format!("serves {}", u.reads.len()))
                        .small()
                        .weak()
                };
                let index = RichText::new(index).strong();
                for text in [
                    RichText::new(&*u.table).small().weak(),
                    if is_unused {
                        index.color(unused)
                    } else {
                        index.color(link)
                    },
                    count,
                ] {
                    ui.add(
                        Label::new(text)
                            .truncate()
                            .selectable(false)
                            .show_tooltip_when_elided(false),
                    );
                }
            });
        })
        .response;
    let label = name.clone();
    response.widget_info(|| {
        egui::WidgetInfo::labeled(egui::accesskit::Role::Link, true, label.clone())
    });
    if response.hovered() {
        ui.painter().rect_stroke(
            response.rect,
            3.0,
            ui.visuals().widgets.hovered.bg_stroke,
            egui::StrokeKind::Inside,
        );
    }
    let kind = match u.kind {
        IndexKind::Table => "base table",
        IndexKind::Gsi => "global secondary index",
        IndexKind::Lsi => "local secondary index",
    };
    let serves = match u.reads.len() {
        0 => "serves no read".to_string(),
        1 => "serves 1 read".to_string(),
        n => format!("serves {n} reads"),
    };
    let writes = match u.writes.len() {
        0 => "no write updates it".to_string(),
        1 => "1 write updates it".to_string(),
        n => format!("{n} writes update it"),
    };
    let response = response.on_hover_text(format!("{name} ({kind}): {serves}; {writes}"));
    if response.clicked() {
        panel.actions.select(match &u.index {
            Some(i) => Selection::index(model, &u.table, i),
            None => Selection::table(model, &u.table),
        });
    }
}

/// The row label: status, id and description (whole on hover when clipped).
fn pattern_label(ui: &mut Ui, panel: &mut PanelCtx, p: &AccessPattern, r: &Resolution) {
    ui.horizontal(|ui| {
        ui.label(status_badge(ui, r.status));
        let pattern = Selection::Pattern(p.uid.get());
        let selected = *panel.selection == pattern;
        let text = format!("{} {}", p.id, p.description);
        let width = ui.available_width();
        let clipped = text_width(ui, &text) + 2.0 * ui.spacing().button_padding.x > width;
        let button = egui::Button::selectable(selected, text.as_str()).truncate();
        let tip = if clipped {
            format!("{text}\n{}", r.status.label())
        } else {
            r.status.label().to_string()
        };
        if ui.add(button).on_hover_text(tip).clicked() {
            panel.actions.select(pattern);
        }
    });
}

/// How the index serves the pattern, with the key condition on hover.
fn usage_cell(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    p: &AccessPattern,
    r: &Resolution,
    u: &IndexUsage,
) {
    let same = |t: &str, ix: &Option<Name>| *t == *u.table && *ix == u.index;
    let chosen_plan = r.plan.as_ref().filter(|pl| same(&pl.table, &pl.index));
    let alternative = r.alternatives.iter().find(|pl| same(&pl.table, &pl.index));
    let writes = r.writes.iter().any(|w| same(&w.table, &w.index));
    let index = qualified(u);
    let (mark, color, what, tip) = if let Some(pl) = chosen_plan {
        let color = if r.status == Status::Served {
            Color32::from_rgb(60, 170, 90)
        } else {
            ui.visuals().warn_fg_color
        };
        (
            Mark::Serves,
            color,
            "serves",
            format!(
                "{} {index}: {}\n{}",
                pl.call.as_str(),
                pl.key_condition.expression(),
                pl.key_condition.values_text()
            ),
        )
    } else if let Some(pl) = alternative {
        (
            Mark::Could,
            ui.visuals().text_color(),
            "could serve",
            format!(
                "{} {index}: {}",
                pl.call.as_str(),
                pl.key_condition.expression()
            ),
        )
    } else if writes {
        (
            Mark::Writes,
            ui.visuals().hyperlink_color,
            "updated by",
            format!("{} writes to {index}", p.id),
        )
    } else {
        (
            Mark::None,
            Color32::TRANSPARENT,
            "not used by",
            String::new(),
        )
    };
    let response = cell(ui, mark, color, &format!("{} {what} {index}", p.id));
    let response = if tip.is_empty() {
        response
    } else {
        response.on_hover_text(tip)
    };
    if response.clicked() {
        panel.actions.select(Selection::Pattern(p.uid.get()));
    }
}
