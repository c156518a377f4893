//! Index coverage: access patterns × indexes. Each cell says whether that index
//! serves the pattern (⚫), could serve it (○) or is updated by it (✏); the header
//! counts what each index serves, and unused GSIs stand out.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::{IndexUsage, Name, Status};
use crate::model::IndexKind;
use crate::ui::widgets::{status_badge, table_filter};

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
    let center = egui::pos2(rect.left() + 14.0, rect.center().y);
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

use crate::ui::{PanelCtx, Selection};

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
    let unused = ui.visuals().warn_fg_color;
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
    egui::ScrollArea::horizontal()
        .id_salt("coverage-h")
        .show(ui, |ui| {
            let mut builder = TableBuilder::new(ui).striped(true);
            if let Some(row) = scroll_to {
                builder = builder.scroll_to_row(row, Some(egui::Align::Center));
            }
            builder
                .column(Column::exact(300.0))
                .columns(Column::exact(96.0), columns.len())
                .header(44.0, |mut header| {
                    header.col(|ui| {
                        ui.strong("Access pattern");
                    });
                    for u in &columns {
                        header.col(|ui| {
                            let label = if chosen.is_none() && u.index.is_some() {
                                format!("{}/{}", u.table, u.label())
                            } else {
                                u.label().to_string()
                            };
                            let is_unused = u.kind == IndexKind::Gsi && u.reads.is_empty();
                            ui.vertical(|ui| {
                                let text = RichText::new(label).strong();
                                let r = ui.link(if is_unused { text.color(unused) } else { text });
                                if r.clicked() {
                                    panel.actions.select(match &u.index {
                                        Some(i) => Selection::index(model, &u.table, i),
                                        None => Selection::table(model, &u.table),
                                    });
                                }
                                let count = format!("serves {}", u.reads.len());
                                ui.label(if is_unused {
                                    RichText::new("unused").color(unused)
                                } else {
                                    RichText::new(count).weak()
                                });
                            });
                        });
                    }
                })
                .body(|body| {
                    body.rows(24.0, rows.len(), |mut row| {
                        let i = rows[row.index()];
                        let p = &model.access_patterns[i];
                        let Some(r) = analysis.resolution_at(i, &p.id) else {
                            return;
                        };
                        row.col(|ui| {
                            ui.horizontal(|ui| {
                                ui.label(status_badge(ui, r.status));
                                let pattern = Selection::Pattern(p.uid.get());
                                let selected = *panel.selection == pattern;
                                let text = format!("{} {}", p.id, p.description);
                                let button = egui::Button::selectable(selected, text).truncate();
                                if ui
                                    .add(button)
                                    .on_hover_text(format!(
                                        "{}: {}",
                                        p.description,
                                        r.status.label()
                                    ))
                                    .clicked()
                                {
                                    panel.actions.select(pattern);
                                }
                            });
                        });
                        for u in &columns {
                            row.col(|ui| {
                                let same =
                                    |t: &str, ix: &Option<Name>| *t == *u.table && *ix == u.index;
                                let chosen_plan =
                                    r.plan.as_ref().filter(|pl| same(&pl.table, &pl.index));
                                let alternative =
                                    r.alternatives.iter().find(|pl| same(&pl.table, &pl.index));
                                let writes = r.writes.iter().any(|w| same(&w.table, &w.index));
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
                                            "{} {}\n{}",
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
                                            "{} {}",
                                            pl.call.as_str(),
                                            pl.key_condition.expression()
                                        ),
                                    )
                                } else if writes {
                                    (
                                        Mark::Writes,
                                        ui.visuals().hyperlink_color,
                                        "updated by",
                                        format!("{} writes to {}", p.id, u.label()),
                                    )
                                } else {
                                    (
                                        Mark::None,
                                        Color32::TRANSPARENT,
                                        "not used by",
                                        String::new(),
                                    )
                                };
                                let index = match &u.index {
                                    Some(i) => format!("{}/{i}", u.table),
                                    None => u.table.to_string(),
                                };
                                let response =
                                    cell(ui, mark, color, &format!("{} {what} {index}", p.id));
                                let response = if tip.is_empty() {
                                    response
                                } else {
                                    response.on_hover_text(tip)
                                };
                                if response.clicked() {
                                    panel.actions.select(Selection::Pattern(p.uid.get()));
                                }
                            });
                        }
                    });
                });
        });
}
