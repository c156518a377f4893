//! The editor for the selected table, index, entity or access pattern. Each
//! editor looks its element up by identity every frame (a selection whose
//! element is gone shows nothing) and sends `Edit` values.

mod attributes;
mod entity;
mod index;
mod pattern;
mod resolution;
mod sources;
mod table;

use egui::{RichText, Ui};

use crate::model::{Edit, KeyType, Uid};
use crate::ui::widgets::draft::{DraftField, draft_cell};
use crate::ui::widgets::{fit_width, name_widget};
use crate::ui::{PanelCtx, Selection};

pub(crate) use entity::template_cell;

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let selection = *panel.selection;
    // Both ways: fields fill the visible width, a wide grid scrolls sideways.
    egui::ScrollArea::both()
        .id_salt("editor")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            // The widgets of an editor take their ids from the element's identity.
            ui.push_id(selection, |ui| match selection {
                Selection::None => {
                    ui.label("Select a table, index, entity or access pattern in the model tree.");
                }
                Selection::Table(table) => table::show(ui, panel, table),
                Selection::Index { table, index } => index::show(ui, panel, table, index),
                Selection::Entity(entity) => entity::show(ui, panel, entity),
                Selection::Pattern(pattern) => pattern::show(ui, panel, pattern),
            });
        });
}

fn gone(ui: &mut Ui) {
    ui.label("The selected element no longer exists.");
}

fn key_type_combo(
    ui: &mut Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    name: &str,
    value: KeyType,
) -> Option<KeyType> {
    let mut v = value;
    let r = egui::ComboBox::from_id_salt(id)
        .selected_text(v.as_str())
        .width(48.0)
        .show_ui(ui, |ui| {
            for t in KeyType::ALL {
                ui.selectable_value(&mut v, t, t.as_str());
            }
        });
    name_widget(ui, &r.response, name);
    (v != value).then_some(v)
}

/// A key attribute's name, renamed in every index and template of its table.
/// `slot` tells the key attributes of one table apart (they have no identity
/// of their own). Returns why a draft is refused, for the caller to show.
fn key_attribute_cell(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    table: Uid,
    slot: impl std::hash::Hash + std::fmt::Debug,
    name: &str,
    current: &str,
) -> Option<String> {
    let width = fit_width(ui, current, 160.0);
    let field = DraftField::new(("key-attribute", table, slot), name, current);
    draft_cell(ui, panel, field, Some(width), |to| {
        Ok(Edit::RenameKeyAttribute {
            table,
            from: current.to_string(),
            to: to.to_string(),
        })
    })
    .problem
}

/// The patterns an index serves, with their key conditions.
fn served_by(ui: &mut Ui, panel: &mut PanelCtx, table: &str, index: Option<&str>) {
    let usage = panel
        .analysis
        .index_usage
        .iter()
        .find(|u| &*u.table == table && u.index.as_deref() == index);
    let Some(usage) = usage else { return };
    ui.strong(format!("Serves {} access pattern(s)", usage.reads.len()));
    for id in &usage.reads {
        let Some(r) = panel.analysis.resolution(id) else {
            continue;
        };
        let plan = r.plan.as_ref();
        ui.horizontal_wrapped(|ui| {
            if ui.link(&**id).clicked() {
                panel.actions.select(Selection::pattern(panel.model, id));
            }
            if let Some(p) = plan {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        p.call.as_str(),
                        p.key_condition.expression()
                    ))
                    .monospace(),
                );
            }
        });
    }
    if !usage.writes.is_empty() {
        ui.label(RichText::new(format!("Written by {}", usage.writes.join(", "))).weak());
    }
}
