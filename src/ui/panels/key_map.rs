//! The key map: the single-table "entity chart". One row per entity, one column per
//! key attribute of the table and of each index; each cell the template, editable
//! in place. An empty cell keeps the entity out of that sparse index.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::ui::widgets::text_cell;
use crate::ui::{PanelCtx, Selection};

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    if model.tables.is_empty() {
        ui.label("The model has no tables yet.");
        return;
    }
    let chosen = crate::ui::widgets::table_filter(ui, panel, "key-map", true);
    let mut left = false;
    egui::ScrollArea::both()
        .id_salt("keymap")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for (t, table) in model.tables.iter().enumerate() {
                if chosen.as_ref().is_some_and(|c| c != &table.name) {
                    continue;
                }
                let keys = table.key_attribute_names();
                let entities: Vec<(usize, &crate::model::Entity)> = model
                    .entities
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.table == table.name)
                    .collect();
                ui.push_id(("keymap-table", t), |ui| {
                    ui.horizontal(|ui| {
                        if ui.link(RichText::new(&table.name).heading()).clicked() {
                            panel.actions.select(Selection::Table(table.name.clone()));
                        }
                        let indexes: Vec<String> = table
                            .indexes()
                            .iter()
                            .skip(1)
                            .map(|v| {
                                let k: Vec<&str> =
                                    v.key_attributes().map(|k| k.name.as_str()).collect();
                                format!("{}: {}", v.display_name(), k.join(" + "))
                            })
                            .collect();
                        ui.label(RichText::new(indexes.join(" · ")).weak());
                    });
                    TableBuilder::new(ui)
                        .striped(true)
                        .column(Column::exact(120.0))
                        .columns(
                            Column::initial(150.0)
                                .at_least(90.0)
                                .resizable(true)
                                .clip(true),
                            keys.len(),
                        )
                        .header(24.0, |mut header| {
                            header.col(|ui| {
                                ui.strong("Entity");
                            });
                            for k in &keys {
                                header.col(|ui| {
                                    ui.strong(*k);
                                });
                            }
                        })
                        .body(|body| {
                            body.rows(26.0, entities.len(), |mut row| {
                                let (e, entity) = entities[row.index()];
                                row.col(|ui| {
                                    let selected =
                                        *panel.selection == Selection::Entity(entity.name.clone());
                                    if ui.selectable_label(selected, &entity.name).clicked() {
                                        panel
                                            .actions
                                            .select(Selection::Entity(entity.name.clone()));
                                    }
                                });
                                for key in &keys {
                                    row.col(|ui| {
                                        let explicit = entity.keys.get(*key).cloned();
                                        let current = explicit.clone().unwrap_or_default();
                                        let error = super::editor::template_error(entity, &current);
                                        let name = format!("Key map {} {key}", entity.name);
                                        let hint =
                                            explicit.is_none() && entity.attribute(key).is_some();
                                        if let Some(new) = text_cell(
                                            ui,
                                            &name,
                                            &current,
                                            ui.available_width(),
                                            &mut left,
                                            error.is_some(),
                                        ) {
                                            panel.actions.set_template(e, key, new);
                                        }
                                        if hint {
                                            ui.label(RichText::new(format!("{{{key}}}")).weak());
                                        }
                                    });
                                }
                            });
                        });
                });
                ui.add_space(16.0);
            }
        });
    if left {
        panel.actions.seal = true;
    }
}
