//! Small widgets with real accessible names, so screen readers and tests find them.

use egui::{Color32, Response, RichText, Ui};

use crate::analysis::{Severity, Status};

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
    let response = ui.add(edit);
    name_widget(ui, &response, name);
    if response.lost_focus() {
        *left = true;
    }
    (response.changed() && text != value).then_some(text)
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
            ui.add(egui::DragValue::new(&mut v).speed(speed))
                .labelled_by(l.id)
        })
        .inner;
    (response.changed() && v != value).then_some(v)
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
        Status::Outside => ("☁", ui.visuals().weak_text_color()),
        Status::Write => ("✏", ui.visuals().hyperlink_color),
        Status::Unresolved => ("✖", ui.visuals().error_fg_color),
    };
    RichText::new(icon).color(color)
}
