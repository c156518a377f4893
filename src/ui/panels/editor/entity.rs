//! The entity editor: name, table, size, the key templates it writes into its
//! table's key attributes (with their sources), its attributes, where they
//! come from, and the patterns that use it.

use egui::{RichText, Ui};

use super::{attributes, gone, sources};
use crate::model::template::Template;
use crate::model::{Edit, Element, Entity, EntityChange, Table, Uid};
use crate::ui::widgets::draft::{DraftField, draft_cell, name_row, problem_label};
use crate::ui::widgets::{name_widget, number_row};
use crate::ui::{PanelCtx, Selection};

pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, uid: Uid) {
    let model = panel.model;
    let Some(entity) = model.entity_by_uid(uid) else {
        return gone(ui);
    };
    ui.heading(format!("Entity {}", entity.name));
    let name = DraftField::name(Selection::Entity(uid), "Entity name", &entity.name);
    name_row(ui, panel, name, |name| {
        Ok(Edit::Rename {
            element: Element::Entity(uid),
            name: name.to_string(),
        })
    });
    ui.horizontal(|ui| {
        ui.label("Table");
        let mut table = model.table_uid(&entity.table);
        let r = egui::ComboBox::from_id_salt(("entity-table", uid))
            .selected_text(entity.table.as_str())
            .show_ui(ui, |ui| {
                for t in &model.tables {
                    ui.selectable_value(&mut table, Some(t.uid.get()), t.name.as_str());
                }
            });
        name_widget(ui, &r.response, "Entity table");
        if let Some(table) = table
            && Some(table) != model.table_uid(&entity.table)
        {
            panel.actions.edit(Edit::MoveEntity { entity: uid, table });
        }
    });
    if let Some(n) = number_row(ui, "Estimated items", entity.item_count, 1000.0) {
        panel.actions.typing(Edit::Entity {
            entity: uid,
            change: EntityChange::ItemCount(n),
        });
    }

    // Key templates, one per key attribute of the table and its indexes.
    ui.separator();
    ui.strong("Key templates");
    ui.label(RichText::new("Literals and {attribute} placeholders; {n:08} zero-pads. Leave an index's keys empty to keep the entity out of that sparse index.").weak());
    if let Some(table) = model.table(&entity.table) {
        templates(ui, panel, entity, table);
    }

    ui.separator();
    attributes::show(ui, panel, entity);
    sources::show(ui, panel, entity);
    ui.separator();
    let users: Vec<_> = model
        .access_patterns
        .iter()
        .filter(|p| p.entities.contains(&entity.name))
        .collect();
    ui.strong(format!("Used by {} access pattern(s)", users.len()));
    ui.horizontal_wrapped(|ui| {
        for p in users {
            if ui.link(&p.id).on_hover_text(&p.description).clicked() {
                panel.actions.select(Selection::Pattern(p.uid.get()));
            }
        }
    });
}

/// One full-width template field per key attribute of the entity's table, its
/// key attribute's name before it and what is wrong with it under it.
fn templates(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity, table: &Table) {
    let keys = table.key_attribute_names();
    let label_width = keys
        .iter()
        .map(|k| crate::ui::widgets::fit_width(ui, k, 0.0))
        .fold(0.0, f32::max);
    for key in keys {
        ui.horizontal(|ui| {
            ui.add_sized(
                egui::vec2(label_width, ui.spacing().interact_size.y),
                egui::Label::new(key),
            );
            ui.vertical(|ui| {
                let problem = template_cell(
                    ui,
                    panel,
                    entity,
                    key,
                    &format!("{} {key} template", entity.name),
                    None,
                );
                match problem {
                    Some(problem) => problem_label(ui, Some(&problem)),
                    None if !entity.keys.contains_key(key) && entity.attribute(key).is_some() => {
                        ui.label(RichText::new(format!("= {{{key}}}")).weak());
                    }
                    None => {}
                }
                sources::key_source(ui, entity, key);
            });
        });
    }
}

/// The template `entity` writes into `key`, as a draft field `width` wide (the
/// rest of the row when `None`). Returns what is wrong with the text shown.
pub(crate) fn template_cell(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    entity: &Entity,
    key: &str,
    name: &str,
    width: Option<f32>,
) -> Option<String> {
    let uid = entity.uid.get();
    let current = entity.keys.get(key).map(String::as_str).unwrap_or_default();
    let field = DraftField::new(("template", uid, key), name, current)
        .with_problem(template_error(entity, current));
    draft_cell(ui, panel, field, width, |text| {
        Ok(Edit::SetTemplate {
            entity: uid,
            key: key.to_string(),
            template: (!text.is_empty()).then(|| text.to_string()),
        })
    })
    .problem
}

/// A template's parse error, or a placeholder naming no attribute, in words.
pub(crate) fn template_error(entity: &Entity, text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    match Template::parse(text) {
        Err(e) => Some(e.to_string()),
        Ok(t) => t
            .unknown_attributes(|a| entity.attribute(a).is_some())
            .first()
            .map(|u| format!("column {}: no attribute `{}`", u.column, u.attribute)),
    }
}
