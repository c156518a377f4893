//! The model tree: tables with their keys, indexes and entities; the access
//! patterns with their resolution status. Add, duplicate and delete live here.

use egui::{RichText, Ui};

use crate::analysis::Status;
use crate::model::unique_name;
use crate::ui::widgets::status_badge;
use crate::ui::{Actions, PanelCtx, Selection, Tab};

pub fn add_table(actions: &mut Actions) {
    actions.edit("Add table", |m| {
        m.add_table();
    });
}

pub fn add_gsi(actions: &mut Actions, table: &str) {
    let table = table.to_string();
    actions.edit(format!("Add GSI to {table}"), move |m| {
        m.add_gsi(&table);
    });
}

pub fn add_entity(actions: &mut Actions, table: &str) {
    let table = table.to_string();
    actions.edit(format!("Add entity to {table}"), move |m| {
        m.add_entity(&table);
    });
}

pub fn add_pattern(actions: &mut Actions, entity: Option<String>) {
    actions.edit("Add access pattern", move |m| {
        m.add_pattern(entity.as_deref());
    });
}

pub fn delete(actions: &mut Actions, selection: &Selection) {
    match selection.clone() {
        Selection::None => {}
        Selection::Table(t) => {
            actions.edit(format!("Delete table {t}"), move |m| m.remove_table(&t))
        }
        Selection::Index { table, index } => actions
            .edit(format!("Delete index {index}"), move |m| {
                m.remove_index(&table, &index)
            }),
        Selection::Entity(e) => {
            actions.edit(format!("Delete entity {e}"), move |m| m.remove_entity(&e))
        }
        Selection::Pattern(p) => actions.edit(format!("Delete {p}"), move |m| m.remove_pattern(&p)),
    }
}

fn item(ui: &mut Ui, panel: &mut PanelCtx, text: RichText, selection: Selection) -> egui::Response {
    let selected = *panel.selection == selection;
    let response = ui.selectable_label(selected, text);
    if response.clicked() {
        panel.actions.select(selection.clone());
        panel.actions.tab = Some(Tab::Editor);
    }
    // Bring the item into view once when it becomes selected elsewhere (a finding,
    // the coverage matrix), not on every frame, so the tree still scrolls freely.
    if selected {
        let key = egui::Id::unique("tree-scrolled-to");
        let last: Option<Selection> = ui.data(|d| d.get_temp(key));
        if last.as_ref() != Some(&selection) {
            response.scroll_to_me(None);
            ui.data_mut(|d| d.insert_temp(key, selection));
        }
    }
    response
}

/// "Rename…": select the element and put the cursor in its name field.
fn rename_item(ui: &mut Ui, panel: &mut PanelCtx, selection: &Selection) {
    if ui.button("Rename…").clicked() {
        panel.actions.select(selection.clone());
        panel.actions.tab = Some(Tab::Editor);
        crate::ui::widgets::request_name_focus(ui.ctx());
    }
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    ui.horizontal(|ui| {
        ui.heading("Model");
        if ui.button("➕ Table").on_hover_text("Add a table").clicked() {
            let name = unique_name("Table", |n| model.table(n).is_some());
            add_table(panel.actions);
            panel.actions.select(Selection::Table(name));
        }
    });
    let half = (ui.available_height() * 0.55).max(160.0);
    egui::ScrollArea::vertical()
        .id_salt("tables")
        .max_height(half)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for table in &model.tables {
                let id = ui.make_persistent_id(("table", &table.name));
                egui::collapsing_header::CollapsingState::load_with_default_open(
                    ui.ctx(),
                    id,
                    model.tables.len() <= 8,
                )
                .show_header(ui, |ui| {
                    let r = item(
                        ui,
                        panel,
                        RichText::new(format!("⊞ {}", table.name)).strong(),
                        Selection::Table(table.name.clone()),
                    );
                    r.context_menu(|ui| {
                        rename_item(ui, panel, &Selection::Table(table.name.clone()));
                        if ui.button("Add GSI").clicked() {
                            add_gsi(panel.actions, &table.name);
                        }
                        if ui.button("Add entity").clicked() {
                            add_entity(panel.actions, &table.name);
                        }
                        if ui.button("Duplicate table").clicked() {
                            let name = table.name.clone();
                            panel
                                .actions
                                .edit(format!("Duplicate table {name}"), move |m| {
                                    m.duplicate_table(&name);
                                });
                        }
                        if ui.button("Delete table").clicked() {
                            delete(panel.actions, &Selection::Table(table.name.clone()));
                        }
                    });
                })
                .body(|ui| {
                    let sk = table
                        .sort_key
                        .as_ref()
                        .map(|k| format!(", sort {} ({})", k.name, k.key_type.as_str()))
                        .unwrap_or_default();
                    let pk = &table.partition_key;
                    ui.label(
                        RichText::new(format!(
                            "partition {} ({}){sk}",
                            pk.name,
                            pk.key_type.as_str()
                        ))
                        .weak(),
                    );
                    for gsi in &table.gsis {
                        let keys: Vec<&str> = gsi
                            .partition_key
                            .iter()
                            .chain(&gsi.sort_key)
                            .map(|k| k.name.as_str())
                            .collect();
                        let sel = Selection::Index {
                            table: table.name.clone(),
                            index: gsi.name.clone(),
                        };
                        let r = item(
                            ui,
                            panel,
                            RichText::new(format!("🔑 {}  ({})", gsi.name, keys.join(", "))),
                            sel.clone(),
                        );
                        r.context_menu(|ui| {
                            rename_item(ui, panel, &sel);
                            if ui.button("Delete index").clicked() {
                                delete(panel.actions, &sel);
                            }
                        });
                    }
                    for lsi in &table.lsis {
                        let sel = Selection::Index {
                            table: table.name.clone(),
                            index: lsi.name.clone(),
                        };
                        item(
                            ui,
                            panel,
                            RichText::new(format!("🔑 {}  (LSI, {})", lsi.name, lsi.sort_key.name)),
                            sel,
                        );
                    }
                    for entity in model.entities_of(&table.name) {
                        let sel = Selection::Entity(entity.name.clone());
                        let r = item(
                            ui,
                            panel,
                            RichText::new(format!("📄 {}", entity.name)),
                            sel.clone(),
                        );
                        r.context_menu(|ui| {
                            rename_item(ui, panel, &sel);
                            if ui.button("Add access pattern").clicked() {
                                add_pattern(panel.actions, Some(entity.name.clone()));
                            }
                            if ui.button("Duplicate entity").clicked() {
                                let name = entity.name.clone();
                                panel
                                    .actions
                                    .edit(format!("Duplicate entity {name}"), move |m| {
                                        m.duplicate_entity(&name);
                                    });
                            }
                            if ui.button("Delete entity").clicked() {
                                delete(panel.actions, &sel);
                            }
                        });
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .small_button("➕ GSI")
                            .on_hover_text(format!("Add a GSI to {}", table.name))
                            .clicked()
                        {
                            add_gsi(panel.actions, &table.name);
                            let next = (1..)
                                .find(|n| table.gsi(&format!("GSI{n}")).is_none())
                                .unwrap_or(1);
                            panel.actions.select(Selection::Index {
                                table: table.name.clone(),
                                index: format!("GSI{next}"),
                            });
                        }
                        if ui
                            .small_button("➕ Entity")
                            .on_hover_text(format!("Add an entity to {}", table.name))
                            .clicked()
                        {
                            let name = unique_name("Entity", |n| model.entity(n).is_some());
                            add_entity(panel.actions, &table.name);
                            panel.actions.select(Selection::Entity(name));
                        }
                    });
                });
            }
            let homeless: Vec<_> = model
                .entities
                .iter()
                .filter(|e| model.table(&e.table).is_none())
                .collect();
            if !homeless.is_empty() {
                ui.label(RichText::new("Entities without a table").weak());
                for entity in homeless {
                    item(
                        ui,
                        panel,
                        RichText::new(format!("📄 {}", entity.name)),
                        Selection::Entity(entity.name.clone()),
                    );
                }
            }
        });
    ui.separator();
    ui.horizontal(|ui| {
        ui.heading("Access patterns");
        if ui
            .button("➕ Pattern")
            .on_hover_text("Add an access pattern")
            .clicked()
        {
            let next = (1..)
                .find(|n| model.pattern(&format!("AP{n}")).is_none())
                .unwrap_or(1);
            let entity = match panel.selection {
                Selection::Entity(e) => Some(e.clone()),
                _ => None,
            };
            add_pattern(panel.actions, entity);
            panel
                .actions
                .select(Selection::Pattern(format!("AP{next}")));
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Button) + 4.0;
    let patterns = &model.access_patterns;
    egui::ScrollArea::vertical()
        .id_salt("patterns")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, patterns.len(), |ui, range| {
            for i in range {
                let p = &patterns[i];
                let status = panel
                    .analysis
                    .resolution_at(i, &p.id)
                    .map(|r| r.status)
                    .unwrap_or(Status::Unresolved);
                ui.horizontal(|ui| {
                    ui.label(status_badge(ui, status))
                        .on_hover_text(status.label());
                    let sel = Selection::Pattern(p.id.clone());
                    let r = item(
                        ui,
                        panel,
                        RichText::new(format!("{}  {}", p.id, p.description)),
                        sel.clone(),
                    );
                    r.context_menu(|ui| {
                        rename_item(ui, panel, &sel);
                        if ui.button("Duplicate pattern").clicked() {
                            let id = p.id.clone();
                            panel.actions.edit(format!("Duplicate {id}"), move |m| {
                                m.duplicate_pattern(&id);
                            });
                        }
                        if ui.button("Delete pattern").clicked() {
                            delete(panel.actions, &sel);
                        }
                    });
                });
            }
        });
}
