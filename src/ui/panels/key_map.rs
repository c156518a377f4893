//! The key map: the single-table "entity chart". One row per entity, one column per
//! key attribute of the table and of each index; each cell the template, editable
//! in place. An empty cell keeps the entity out of that sparse index.

use egui::{RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::ui::{PanelCtx, Selection};

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    if model.tables.is_empty() {
        ui.label("The model has no tables yet.");
        return;
    }
    let chosen = crate::ui::widgets::table_filter(ui, panel, "key-map", true);
    egui::ScrollArea::both()
        .id_salt("keymap")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for table in &model.tables {
                if chosen.as_ref().is_some_and(|c| c != &table.name) {
                    continue;
                }
                let keys = table.key_attribute_names();
                let entities: Vec<&crate::model::Entity> = model.entities_of(&table.name).collect();
                ui.push_id(("keymap-table", table.uid.get()), |ui| {
                    ui.horizontal(|ui| {
                        if ui.link(RichText::new(&table.name).heading()).clicked() {
                            panel.actions.select(Selection::Table(table.uid.get()));
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
                                let entity = entities[row.index()];
                                let selection = Selection::Entity(entity.uid.get());
                                row.col(|ui| {
                                    let selected = *panel.selection == selection;
                                    if ui.selectable_label(selected, &entity.name).clicked() {
                                        panel.actions.select(selection);
                                    }
                                });
                                for key in &keys {
                                    row.col(|ui| {
                                        let name = format!("Key map {} {key}", entity.name);
                                        let hint = !entity.keys.contains_key(*key)
                                            && entity.attribute(key).is_some();
                                        let width = ui.available_width();
                                        let problem = super::editor::template_cell(
                                            ui,
                                            panel,
                                            entity,
                                            key,
                                            &name,
                                            Some(width),
                                        );
                                        if let Some(problem) = problem {
                                            // No room for a line under a cell: the reason is
                                            // the red text's tooltip, and in the editor.
                                            ui.label(
                                                RichText::new("⛔")
                                                    .color(ui.visuals().error_fg_color),
                                            )
                                            .on_hover_text(problem);
                                        } else if hint {
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
}
