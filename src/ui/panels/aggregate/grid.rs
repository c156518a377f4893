//! The Aggregate view's grid: a frozen part (keep button, the index's key
//! columns, the entity) beside a part that scrolls sideways (the other projected
//! attributes). Two tables side by side share one vertical scroll offset, so a
//! row stays on one line; a cell whose text is clipped shows it whole on hover.

use egui::scroll_area::ScrollBarVisibility;
use egui::{Color32, Label, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::query_items::{Mark, PatternItems};
use crate::analysis::sample_items::index::IndexItem;
use crate::model::{IndexView, Item};
use crate::ui::Selection;
use crate::ui::widgets::name_widget;

const ROW_HEIGHT: f32 = 24.0;
const HEADER_HEIGHT: f32 = 24.0;

/// What the user asked of a row.
pub enum RowAction {
    /// Keep this generated item as a hand-entered one.
    Keep {
        entity: String,
        item: Item,
    },
    /// Stop keeping the entity's hand-entered item at this position.
    Unkeep {
        entity: String,
        position: usize,
    },
    Select(Selection),
}

pub struct Grid<'a> {
    pub view: &'a IndexView<'a>,
    pub rows: &'a [IndexItem<'a>],
    /// Example items per row's entity: rows before this position are hand-entered.
    pub kept: &'a dyn Fn(&str) -> usize,
    pub select_entity: &'a dyn Fn(&str) -> Selection,
    /// Attribute columns right of the frozen keys.
    pub others: &'a [&'a str],
    pub items: Option<&'a PatternItems>,
    /// Salt for the scroll state: a new table, view or pattern starts at the top.
    pub scroll_key: egui::Id,
}

/// Key values in orange: bright on the dark theme, dark enough on the light one
/// (#A65A00 on #F8F8F8 is about 5:1; #FF9900 there was 2:1).
fn key_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(255, 153, 0)
    } else {
        Color32::from_rgb(166, 90, 0)
    }
}

/// Background of a row the pattern returns, and of one it reads and drops.
fn mark_color(ui: &Ui, mark: Mark) -> Option<Color32> {
    let dark = ui.visuals().dark_mode;
    match mark {
        Mark::Returned if dark => Some(Color32::from_rgb(28, 84, 44)),
        Mark::Returned => Some(Color32::from_rgb(196, 236, 204)),
        Mark::Dropped if dark => Some(Color32::from_rgb(96, 52, 24)),
        Mark::Dropped => Some(Color32::from_rgb(250, 218, 190)),
        Mark::Untouched => None,
    }
}

pub fn mark_legend(ui: &mut Ui, items: &PatternItems) {
    ui.horizontal_wrapped(|ui| {
        let swatch = |ui: &mut Ui, mark: Mark, text: &str| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), egui::Sense::hover());
            if let Some(c) = mark_color(ui, mark) {
                ui.painter().rect_filled(rect, 2.0, c);
            }
            ui.label(RichText::new(text).weak());
        };
        swatch(ui, Mark::Returned, "returned");
        if items.read.len() > items.returned.len() {
            swatch(ui, Mark::Dropped, "read, then dropped by the filter");
        }
    });
}

/// A row's mark as a symbol with an accessible name (the colour alone is not enough).
fn marker(ui: &mut Ui, mark: Mark) {
    let (filled, name) = match mark {
        Mark::Returned => (true, "Returned item"),
        Mark::Dropped => (false, "Read and dropped item"),
        Mark::Untouched => return,
    };
    let (rect, r) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), egui::Sense::hover());
    let color = ui.visuals().strong_text_color();
    if filled {
        ui.painter().circle_filled(rect.center(), 4.5, color);
    } else {
        ui.painter()
            .circle_stroke(rect.center(), 4.0, egui::Stroke::new(1.5, color));
    }
    name_widget(ui, &r, name);
    r.on_hover_text(name);
}

impl Grid<'_> {
    /// Draws the grid; returns what a row's button or link asked for.
    pub fn show(&self, ui: &mut Ui) -> Option<RowAction> {
        let rows = self.rows;
        let view = self.view;
        let mut action = None;
        let group_bg = ui.visuals().faint_bg_color;
        // Partition groups alternate their background: the group of each row.
        let mut groups = Vec::with_capacity(rows.len());
        let mut group = 0usize;
        for (i, r) in rows.iter().enumerate() {
            if i > 0 && rows[i - 1].pk != r.pk {
                group += 1;
            }
            groups.push(group);
        }
        let background = |ui: &Ui, i: usize| -> Option<Color32> {
            let r = &rows[i];
            self.items
                .map(|items| items.mark(r.entity, r.position))
                .and_then(|m| mark_color(ui, m))
                .or((groups[i] % 2 == 1).then_some(group_bg))
        };
        let paint = |ui: &mut Ui, i: usize| {
            if let Some(c) = background(ui, i) {
                ui.painter().rect_filled(ui.max_rect(), 0.0, c);
            }
        };
        // Both tables fill the same height, less the sideways scroll bar's room.
        let scroll_bar = ui.spacing().scroll.allocated_width();
        let body_height =
            (ui.available_height() - HEADER_HEIGHT - scroll_bar).max(ROW_HEIGHT * 3.0);
        let offset_id = self.scroll_key.with("offset");
        let offset: f32 = ui.data(|d| d.get_temp(offset_id)).unwrap_or(0.0);
        let mut frozen_offset = offset;
        let mut scrolled_offset = offset;

        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            // The frozen part: never scrolls sideways.
            // Each table in a column of its own: in the row that holds them side by
            // side, a table's body would land right of its header.
            ui.push_id("aggregate-frozen", |ui| {
                ui.vertical(|ui| {
                    let out = TableBuilder::new(ui)
                        .id_salt(self.scroll_key.with("frozen"))
                        .vertical_scroll_offset(offset)
                        .scroll_bar_visibility(if self.others.is_empty() {
                            ScrollBarVisibility::VisibleWhenNeeded
                        } else {
                            ScrollBarVisibility::AlwaysHidden
                        })
                        .min_scrolled_height(body_height)
                        .max_scroll_height(body_height)
                        .columns(Column::exact(18.0), usize::from(self.items.is_some()))
                        .column(Column::exact(28.0))
                        .columns(Column::exact(190.0).clip(true), view.partition_key.len())
                        .columns(Column::exact(230.0).clip(true), view.sort_key.len())
                        .column(Column::exact(120.0).clip(true))
                        .header(HEADER_HEIGHT, |mut h| {
                            if self.items.is_some() {
                                h.col(|_| {});
                            }
                            h.col(|_| {});
                            for k in view.partition_key.iter().chain(&view.sort_key) {
                                h.col(|ui| {
                                    let r = ui.label(
                                        RichText::new(&k.name).strong().color(key_color(ui)),
                                    );
                                    name_widget(ui, &r, &format!("Frozen key column {}", k.name));
                                });
                            }
                            h.col(|ui| {
                                let r = ui.strong("Entity");
                                name_widget(ui, &r, "Frozen column Entity");
                            });
                        })
                        .body(|body| {
                            body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                                let i = row.index();
                                let r = &rows[i];
                                let first_of_group = i == 0 || rows[i - 1].pk != r.pk;
                                let kept = r.position < (self.kept)(r.entity);
                                if let Some(items) = self.items {
                                    row.col(|ui| {
                                        paint(ui, i);
                                        marker(ui, items.mark(r.entity, r.position));
                                    });
                                }
                                row.col(|ui| {
                                    paint(ui, i);
                                    if kept {
                                    if ui
                                        .small_button("✖")
                                        .on_hover_text("Stop keeping this hand-entered item")
                                        .clicked()
                                    {
                                        action = Some(RowAction::Unkeep {
                                            entity: r.entity.to_string(),
                                            position: r.position,
                                        });
                                    }
                                } else if ui
                                    .small_button("✚")
                                    .on_hover_text(
                                        "Keep this item as it is when the samples are regenerated",
                                    )
                                    .clicked()
                                {
                                    action = Some(RowAction::Keep {
                                        entity: r.entity.to_string(),
                                        item: r.item.clone(),
                                    });
                                }
                                });
                                for (k, key) in view.partition_key.iter().enumerate() {
                                    row.col(|ui| {
                                        paint(ui, i);
                                        if first_of_group {
                                            let value = r
                                                .item
                                                .get(&key.name)
                                                .map(|v| v.display())
                                                .unwrap_or_default();
                                            ui.add(
                                                Label::new(
                                                    RichText::new(value)
                                                        .color(key_color(ui))
                                                        .strong(),
                                                )
                                                .truncate(),
                                            );
                                        } else if k == 0 {
                                            ui.label(RichText::new("  …").weak());
                                        }
                                    });
                                }
                                for key in &view.sort_key {
                                    row.col(|ui| {
                                        paint(ui, i);
                                        let value = r
                                            .item
                                            .get(&key.name)
                                            .map(|v| v.display())
                                            .unwrap_or_default();
                                        ui.add(
                                            Label::new(RichText::new(value).color(key_color(ui)))
                                                .truncate(),
                                        );
                                    });
                                }
                                row.col(|ui| {
                                    paint(ui, i);
                                    let text = if kept {
                                        format!("{} ✍", r.entity)
                                    } else {
                                        r.entity.to_string()
                                    };
                                    if ui.link(text).clicked() {
                                        action =
                                            Some(RowAction::Select((self.select_entity)(r.entity)));
                                    }
                                });
                            });
                        });
                    frozen_offset = out.state.clamped_offset().y;
                })
            });
            if self.others.is_empty() {
                return;
            }
            ui.separator();
            // The attributes: scroll sideways under the frozen keys.
            egui::ScrollArea::horizontal()
                .id_salt(self.scroll_key.with("sideways"))
                .show(ui, |ui| {
                    ui.vertical(|ui| {
                        let out = TableBuilder::new(ui)
                            .id_salt(self.scroll_key.with("scrolled"))
                            .vertical_scroll_offset(offset)
                            .min_scrolled_height(body_height)
                            .max_scroll_height(body_height)
                            .columns(
                                Column::initial(130.0)
                                    .at_least(40.0)
                                    .resizable(true)
                                    .clip(true),
                                self.others.len(),
                            )
                            .header(HEADER_HEIGHT, |mut h| {
                                for name in self.others {
                                    h.col(|ui| {
                                        ui.add(
                                            Label::new(RichText::new(*name).strong()).truncate(),
                                        );
                                    });
                                }
                            })
                            .body(|body| {
                                body.rows(ROW_HEIGHT, rows.len(), |mut row| {
                                    let i = row.index();
                                    let r = &rows[i];
                                    for name in self.others {
                                        row.col(|ui| {
                                            paint(ui, i);
                                            if let Some(value) = r.item.get(*name) {
                                                ui.add(Label::new(value.display()).truncate());
                                            }
                                        });
                                    }
                                });
                            });
                        scrolled_offset = out.state.clamped_offset().y;
                    })
                });
        });
        // Whichever table the user scrolled leads; the other follows next frame.
        let next = if frozen_offset != offset {
            frozen_offset
        } else {
            scrolled_offset
        };
        if next != offset {
            ui.data_mut(|d| d.insert_temp(offset_id, next));
            ui.ctx().request_repaint();
        }
        action
    }
}
