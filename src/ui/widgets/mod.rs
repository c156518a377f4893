//! Small widgets with real accessible names, so screen readers and tests find them.

pub mod draft;
pub mod frozen_grid;

use egui::{Color32, Response, RichText, Ui};

use crate::analysis::{Severity, Status};
use crate::model::Uid;

/// Gives a widget an accessible name (for widgets without a visible label).
pub fn name_widget(ui: &Ui, response: &Response, name: &str) {
    let name = name.to_string();
    ui.ctx()
        .accesskit_node_builder(response.id, move |node| node.set_label(name));
}

/// A single-line text field with a visible label. Returns the new text when it
/// changed; sets `left` when the field lost focus (the undo step ends there).
pub fn text_row(ui: &mut Ui, label: &str, value: &str, left: &mut bool) -> Option<String> {
    let mut text = value.to_string();
    let response = ui
        .horizontal(|ui| {
            let l = ui.label(label);
            ui.add(egui::TextEdit::singleline(&mut text).desired_width(f32::INFINITY))
                .labelled_by(l.id)
        })
        .inner;
    if response.lost_focus() {
        *left = true;
    }
    (response.changed() && text != value).then_some(text)
}

/// A text field for use in a grid cell, with an accessible name instead of a label.
pub fn text_cell(
    ui: &mut Ui,
    name: &str,
    value: &str,
    width: f32,
    left: &mut bool,
    error: bool,
) -> Option<String> {
    let mut text = value.to_string();
    let mut edit = egui::TextEdit::singleline(&mut text).desired_width(width);
    if error {
        edit = edit.text_color(ui.visuals().error_fg_color);
    }
    // A fixed size: inside a Grid a text field would otherwise take the column's
    // width from the frame before, and a new column starts a few pixels wide.
    let width = if width.is_finite() {
        width
    } else {
        ui.available_width()
    };
    let response = ui.add_sized(egui::vec2(width, ui.spacing().interact_size.y), edit);
    name_widget(ui, &response, name);
    if response.lost_focus() {
        *left = true;
    }
    let changed = response.changed() && text != value;
    if text.chars().count() > 24 {
        response.on_hover_text(&text);
    }
    changed.then_some(text)
}

/// How wide `text` is on one line in the body font.
pub fn text_width(ui: &Ui, text: &str) -> f32 {
    let font = egui::TextStyle::Body.resolve(ui.style());
    ui.ctx().fonts_mut(|f| {
        f.layout_no_wrap(text.to_string(), font, Color32::PLACEHOLDER)
            .size()
            .x
    })
}

/// A field width that shows all of `text` (at least `min`), at any zoom.
pub fn fit_width(ui: &Ui, text: &str, min: f32) -> f32 {
    // The text field's inner margin on both sides, and room for the cursor.
    let margins = 2.0 * ui.spacing().button_padding.x + 8.0;
    (text_width(ui, text) + margins).max(min)
}

/// A number field with a visible label.
pub fn number_row<T: egui::emath::Numeric>(
    ui: &mut Ui,
    label: &str,
    value: T,
    speed: f64,
) -> Option<T> {
    let mut v = value;
    let response = ui
        .horizontal(|ui| {
            let l = ui.label(label);
            ui.add(grouped(egui::DragValue::new(&mut v).speed(speed)))
                .labelled_by(l.id)
        })
        .inner;
    (response.changed() && v != value).then_some(v)
}

/// A number field that shows thousands separators (`1,000,000`) and reads
/// what is typed with or without them.
pub fn grouped(drag: egui::DragValue<'_>) -> egui::DragValue<'_> {
    drag.custom_formatter(|v, _| crate::analysis::format::number(v))
        .custom_parser(|text| text.replace([',', ' ', '_'], "").parse().ok())
}

pub fn severity_color(ui: &Ui, severity: Severity) -> Color32 {
    match severity {
        Severity::Error => ui.visuals().error_fg_color,
        Severity::Warning => ui.visuals().warn_fg_color,
        Severity::Info => ui.visuals().hyperlink_color,
    }
}

pub fn severity_icon(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "⛔",
        Severity::Warning => "⚠",
        Severity::Info => "ℹ",
    }
}

/// An icon and colour for a pattern's resolution status.
pub fn status_badge(ui: &Ui, status: Status) -> RichText {
    let (icon, color) = match status {
        Status::Served => ("✔", Color32::from_rgb(60, 170, 90)),
        Status::NeedsFilter => ("⚠", ui.visuals().warn_fg_color),
        Status::NeedsScan => ("⛔", ui.visuals().error_fg_color),
        // A globe, not a cloud: at list size the cloud read as a faint ellipse.
        Status::Outside => ("🌐", Color32::from_rgb(70, 140, 220)),
        Status::Write => ("✏", ui.visuals().hyperlink_color),
        Status::Unresolved => ("✖", ui.visuals().error_fg_color),
    };
    RichText::new(icon).color(color)
}

/// A "Table" combo for tabs that show one table or all of them (`allow_all`).
/// With many tables it starts on the selected element's table, so the tab stays
/// fast and readable; a one-table tab with none chosen follows the selection.
/// The choice is kept by identity: it follows the table through renames.
pub fn table_filter(
    ui: &mut Ui,
    panel: &crate::ui::PanelCtx,
    key: &str,
    allow_all: bool,
) -> Option<String> {
    let model = panel.model;
    let id = ui.make_persistent_id(("table-filter", key));
    let stored: Option<Option<Uid>> = ui.data(|d| d.get_temp(id));
    let mut chosen = stored.unwrap_or_else(|| {
        (model.tables.len() > 6)
            .then(|| {
                panel
                    .selection
                    .table_of(model)
                    .or_else(|| model.tables.first().map(|t| t.uid.get()))
            })
            .flatten()
    });
    let mut name = chosen.and_then(|t| model.table_by_uid(t)).map(|t| &t.name);
    if name.is_none() {
        chosen = None;
    }
    // A tab that shows one table at a time, with none chosen, shows the selected
    // element's table (or the first), and says so.
    let one_of = |chosen: Option<Uid>| {
        chosen.or_else(|| {
            (!allow_all)
                .then(|| {
                    panel
                        .selection
                        .table_of(model)
                        .or_else(|| model.tables.first().map(|t| t.uid.get()))
                })
                .flatten()
        })
    };
    let shown = one_of(chosen)
        .and_then(|t| model.table_by_uid(t))
        .map(|t| &t.name);
    ui.horizontal(|ui| {
        ui.label("Table");
        let r = egui::ComboBox::from_id_salt(("table-filter-combo", key))
            .selected_text(shown.map_or("All tables", |n| n.as_str()))
            .show_ui(ui, |ui| {
                if allow_all {
                    ui.selectable_value(&mut chosen, None, "All tables");
                }
                for t in &model.tables {
                    ui.selectable_value(&mut chosen, Some(t.uid.get()), t.name.as_str());
                }
            });
        name_widget(ui, &r.response, &format!("{key} table"));
    });
    ui.data_mut(|d| d.insert_temp(id, chosen));
    name = one_of(chosen)
        .and_then(|t| model.table_by_uid(t))
        .map(|t| &t.name);
    name.cloned()
}
