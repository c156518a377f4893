//! The key map: the single-table "entity chart". One row per entity, one column per
//! key attribute of the table and of each index; each cell the template, editable
//! in place. An empty cell keeps the entity out of that sparse index. The entity
//! column stays while the key columns scroll sideways.

use egui::{Label, RichText, Ui};
use egui_extras::Column;

use crate::model::{Entity, Table};
use crate::ui::widgets::frozen_grid::{Cell, FrozenGrid, Part};
use crate::ui::widgets::{name_widget, text_width};
use crate::ui::{PanelCtx, Selection};

const ROW_HEIGHT: f32 = 26.0;
const HEADER_HEIGHT: f32 = 40.0;
const ENTITY_WIDTH: f32 = 120.0;

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    if model.tables.is_empty() {
        ui.label("The model has no tables yet.");
        return;
    }
    let chosen = crate::ui::widgets::table_filter(ui, panel, "key-map", true);
    egui::ScrollArea::vertical()
        .id_salt("keymap")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for table in &model.tables {
                if chosen.as_ref().is_some_and(|c| c != &table.name) {
                    continue;
                }
                ui.push_id(("keymap-table", table.uid.get()), |ui| {
                    table_section(ui, panel, table);
                });
                ui.add_space(16.0);
            }
        });
}

/// Where a key attribute serves: "table partition", "GSI1 sort", … and in words.
struct KeyColumn<'a> {
    name: &'a str,
    roles: String,
    tooltip: String,
}

fn key_columns(table: &Table) -> Vec<KeyColumn<'_>> {
    let indexes = table.indexes();
    table
        .key_attribute_names()
        .into_iter()
        .map(|name| {
            let mut short = Vec::new();
            let mut long = Vec::new();
            for index in &indexes {
                let role = if index.partition_key.iter().any(|k| k.name == name) {
                    "partition"
                } else if index.sort_key.iter().any(|k| k.name == name) {
                    "sort"
                } else {
                    continue;
                };
                let (label, qualified) = match index.name {
                    None => ("table", table.name.clone()),
                    Some(index) => (index, format!("{}/{index}", table.name)),
                };
                short.push(format!("{label} {role}"));
                long.push(format!("{role} key of {qualified}"));
            }
            KeyColumn {
                name,
                roles: short.join(" · "),
                tooltip: format!("{name}: {}", long.join(", ")),
            }
        })
        .collect()
}

fn table_section(ui: &mut Ui, panel: &mut PanelCtx, table: &Table) {
    let model = panel.model;
    let keys = key_columns(table);
    let entities: Vec<&Entity> = model.entities_of(&table.name).collect();
    ui.horizontal(|ui| {
        if ui.link(RichText::new(&table.name).heading()).clicked() {
            panel.actions.select(Selection::Table(table.uid.get()));
        }
        let indexes: Vec<String> = table
            .indexes()
            .iter()
            .skip(1)
            .map(|v| {
                let k: Vec<&str> = v.key_attributes().map(|k| k.name.as_str()).collect();
                format!("{}: {}", v.display_name(), k.join(" + "))
            })
            .collect();
        ui.label(RichText::new(indexes.join(" · ")).weak());
    });
    let id = ui.make_persistent_id("keymap-grid");
    FrozenGrid::new(id, entities.len(), ROW_HEIGHT, HEADER_HEIGHT)
        .frozen(Column::exact(ENTITY_WIDTH).clip(true), 1)
        .scrolled(
            Column::initial(150.0)
                .at_least(90.0)
                .resizable(true)
                .clip(true),
            keys.len(),
        )
        .show(ui, |ui, cell| match cell {
            Cell {
                part: Part::Frozen,
                row: None,
                ..
            } => {
                ui.strong("Entity");
            }
            Cell {
                part: Part::Frozen,
                row: Some(row),
                ..
            } => entity_label(ui, panel, entities[row]),
            Cell {
                part: Part::Scrolled,
                row: None,
                column,
            } => key_header(ui, &keys[column]),
            Cell {
                part: Part::Scrolled,
                row: Some(row),
                column,
            } => template(ui, panel, entities[row], keys[column].name),
        });
}

fn entity_label(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity) {
    let selection = Selection::Entity(entity.uid.get());
    let selected = *panel.selection == selection;
    let button = egui::Button::selectable(selected, &entity.name).truncate();
    let mut response = ui.add(button);
    name_widget(ui, &response, &format!("Key map entity {}", entity.name));
    let padding = 2.0 * ui.spacing().button_padding.x;
    if text_width(ui, &entity.name) + padding > response.rect.width() {
        response = response.on_hover_text(&entity.name);
    }
    if response.clicked() {
        panel.actions.select(selection);
    }
}

fn key_header(ui: &mut Ui, key: &KeyColumn) {
    ui.vertical(|ui| {
        ui.spacing_mut().item_spacing.y = 0.0;
        // The tooltip names the attribute and every index it keys, clipped or not.
        for text in [
            RichText::new(key.name).strong(),
            RichText::new(&key.roles).small().weak(),
        ] {
            ui.add(Label::new(text).truncate().show_tooltip_when_elided(false))
                .on_hover_text(&key.tooltip);
        }
    });
}

fn template(ui: &mut Ui, panel: &mut PanelCtx, entity: &Entity, key: &str) {
    let name = format!("Key map {} {key}", entity.name);
    let hint = !entity.keys.contains_key(key) && entity.attribute(key).is_some();
    let width = ui.available_width();
    let problem = super::editor::template_cell(ui, panel, entity, key, &name, Some(width));
    if let Some(problem) = problem {
        // No room for a line under a cell: the reason is
        // the red text's tooltip, and in the editor.
        ui.label(RichText::new("⛔").color(ui.visuals().error_fg_color))
            .on_hover_text(problem);
    } else if hint {
        ui.label(RichText::new(format!("{{{key}}}")).weak());
    }
}
