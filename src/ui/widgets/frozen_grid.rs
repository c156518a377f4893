//! A grid whose first columns (the row labels) stay while the others scroll
//! sideways: two tables side by side, the right one in a horizontal scroll
//! area. With `fill_height` both scroll vertically in the height left and share
//! one vertical offset, so a row stays on one line; without, every row is drawn
//! and an outer scroll area scrolls them.

use egui::scroll_area::ScrollBarVisibility;
use egui::{Id, Ui};
use egui_extras::{Column, TableBuilder};

/// The two halves of the grid.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum Part {
    /// Never scrolls sideways.
    Frozen,
    Scrolled,
}

/// Where a cell stands: `column` counts from the left of its part; `row` is
/// `None` in the header.
#[derive(Clone, Copy, Debug)]
pub struct Cell {
    pub part: Part,
    pub column: usize,
    pub row: Option<usize>,
}

pub struct FrozenGrid {
    id: Id,
    rows: usize,
    row_height: f32,
    header_height: f32,
    frozen: Vec<Column>,
    scrolled: Vec<Column>,
    fill_height: bool,
    scroll_to_row: Option<usize>,
}

impl FrozenGrid {
    /// `id` keeps the scroll state: a new id starts at the top left.
    pub fn new(id: Id, rows: usize, row_height: f32, header_height: f32) -> Self {
        FrozenGrid {
            id,
            rows,
            row_height,
            header_height,
            frozen: Vec::new(),
            scrolled: Vec::new(),
            fill_height: false,
            scroll_to_row: None,
        }
    }

    pub fn frozen(mut self, column: Column, count: usize) -> Self {
        self.frozen.extend(std::iter::repeat_n(column, count));
        self
    }

    pub fn scrolled(mut self, column: Column, count: usize) -> Self {
        self.scrolled.extend(std::iter::repeat_n(column, count));
        self
    }

    /// Rows scroll vertically in the height left, under a header that stays.
    pub fn fill_height(mut self) -> Self {
        self.fill_height = true;
        self
    }

    /// Brings `row` into view (with `fill_height`).
    pub fn scroll_to_row(mut self, row: Option<usize>) -> Self {
        self.scroll_to_row = row;
        self
    }

    /// Draws the grid, asking `add_cell` for each header and body cell.
    pub fn show(self, ui: &mut Ui, mut add_cell: impl FnMut(&mut Ui, Cell)) {
        // Both tables fill the same height, less the sideways scroll bar's room.
        let body_height = self.fill_height.then(|| {
            let scroll_bar = ui.spacing().scroll.allocated_width();
            (ui.available_height() - self.header_height - scroll_bar).max(self.row_height * 3.0)
        });
        let offset_id = self.id.with("offset");
        let offset: f32 = ui.data(|d| d.get_temp(offset_id)).unwrap_or(0.0);
        let mut frozen_offset = offset;
        let mut scrolled_offset = offset;
        ui.horizontal_top(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            let frozen = ui
                .push_id("frozen", |ui| {
                    frozen_offset =
                        self.table(ui, Part::Frozen, offset, body_height, &mut add_cell);
                })
                .response
                .rect;
            if self.scrolled.is_empty() {
                return;
            }
            // A line between the parts, as tall as the frozen part (a separator
            // would take all the height the layout offers).
            ui.add_space(4.0);
            let x = ui.cursor().left();
            ui.painter().vline(
                x,
                frozen.y_range(),
                ui.visuals().widgets.noninteractive.bg_stroke,
            );
            ui.add_space(4.0);
            egui::ScrollArea::horizontal()
                .id_salt(self.id.with("sideways"))
                .show(ui, |ui| {
                    scrolled_offset =
                        self.table(ui, Part::Scrolled, offset, body_height, &mut add_cell);
                });
        });
        // Whichever table the user scrolled leads; the other follows next frame.
        let next = if frozen_offset != offset {
            frozen_offset
        } else {
            scrolled_offset
        };
        if body_height.is_some() && next != offset {
            ui.data_mut(|d| d.insert_temp(offset_id, next));
            ui.ctx().request_repaint();
        }
    }

    /// One part as a table; returns its vertical scroll offset.
    fn table(
        &self,
        ui: &mut Ui,
        part: Part,
        offset: f32,
        body_height: Option<f32>,
        add_cell: &mut impl FnMut(&mut Ui, Cell),
    ) -> f32 {
        // Header above body: the parts sit in a horizontal layout.
        ui.vertical(|ui| self.table_in(ui, part, offset, body_height, add_cell))
            .inner
    }

    fn table_in(
        &self,
        ui: &mut Ui,
        part: Part,
        offset: f32,
        body_height: Option<f32>,
        add_cell: &mut impl FnMut(&mut Ui, Cell),
    ) -> f32 {
        let columns = match part {
            Part::Frozen => &self.frozen,
            Part::Scrolled => &self.scrolled,
        };
        let mut builder = TableBuilder::new(ui)
            .id_salt(self.id.with(part))
            .striped(true);
        builder = match body_height {
            Some(height) => {
                // The vertical scroll bar sits right of the frozen part: right
                // of the scrolled part it would be out of sight until scrolled to.
                let bar = if part == Part::Frozen || self.frozen.is_empty() {
                    ScrollBarVisibility::VisibleWhenNeeded
                } else {
                    ScrollBarVisibility::AlwaysHidden
                };
                let mut builder = builder
                    .vertical_scroll_offset(offset)
                    .min_scrolled_height(height)
                    .max_scroll_height(height)
                    .scroll_bar_visibility(bar);
                if let Some(row) = self.scroll_to_row {
                    builder = builder.scroll_to_row(row, Some(egui::Align::Center));
                }
                builder
            }
            None => builder.vscroll(false),
        };
        for column in columns {
            builder = builder.column(*column);
        }
        let count = columns.len();
        builder
            .header(self.header_height, |mut header| {
                for column in 0..count {
                    header.col(|ui| {
                        add_cell(
                            ui,
                            Cell {
                                part,
                                column,
                                row: None,
                            },
                        )
                    });
                }
            })
            .body(|body| {
                body.rows(self.row_height, self.rows, |mut row| {
                    let index = row.index();
                    for column in 0..count {
                        row.col(|ui| {
                            add_cell(
                                ui,
                                Cell {
                                    part,
                                    column,
                                    row: Some(index),
                                },
                            )
                        });
                    }
                });
            })
            .state
            .clamped_offset()
            .y
    }
}
