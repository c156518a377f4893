//! The model tree: tables with their keys, indexes and entities; the access
//! patterns with their resolution status. Add, duplicate and delete live here.

use egui::{RichText, Ui};

use crate::analysis::Status;
use crate::model::{Edit, Element, NewIndex, Uid};
use crate::ui::widgets::status_badge;
use crate::ui::{Actions, PanelCtx, Selection, Tab};

/// Adds a table; the app selects what an edit creates.
pub fn add_table(actions: &mut Actions, model: &crate::model::Model) {
    actions.edit(Edit::AddTable(model.new_table()));
}

pub fn add_gsi(actions: &mut Actions, model: &crate::model::Model, table: Uid) {
    if let Some(gsi) = model.new_gsi(table) {
        actions.edit(Edit::AddIndex {
            table,
            index: NewIndex::Gsi(gsi),
        });
    }
}

pub fn add_entity(actions: &mut Actions, model: &crate::model::Model, table: Uid) {
    if let Some(entity) = model.new_entity(table) {
        actions.edit(Edit::AddEntity(entity));
    }
}

pub fn add_pattern(actions: &mut Actions, model: &crate::model::Model, entity: Option<&str>) {
    actions.edit(Edit::AddPattern(model.new_pattern(entity)));
}

/// Deletes the element, with everything that refers to it (the model's cascade).
pub fn delete(actions: &mut Actions, selection: Selection) {
    if let Some(element) = selection.element() {
        actions.edit(Edit::Remove(element));
    }
}

fn duplicate(actions: &mut Actions, element: Element) {
    actions.edit(Edit::Duplicate(element));
}

fn item(ui: &mut Ui, panel: &mut PanelCtx, text: RichText, selection: Selection) -> egui::Response {
    let selected = *panel.selection == selection;
    let response = ui.selectable_label(selected, text);
    if response.clicked() {
        panel.actions.select(selection);
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
fn rename_item(ui: &mut Ui, panel: &mut PanelCtx, selection: Selection) {
    if ui.button("Rename…").clicked() {
        panel.actions.select(selection);
        panel.actions.tab = Some(Tab::Editor);
        crate::ui::widgets::draft::request_name_focus(ui.ctx(), selection);
    }
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    ui.horizontal(|ui| {
        ui.heading("Model");
        if ui.button("➕ Table").on_hover_text("Add a table").clicked() {
            add_table(panel.actions, model);
        }
    });
    // Tables above, patterns below, with a handle between them to drag.
    let half = (ui.available_height() * 0.55).max(160.0);
    egui::Panel::top("tree-tables")
        .resizable(true)
        .default_size(half)
        .min_size(80.0)
        .show(ui, |ui| tables(ui, panel));
    patterns(ui, panel);
}

fn tables(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    egui::ScrollArea::vertical()
        .id_salt("tables")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for table in &model.tables {
                let uid = table.uid.get();
                let sel_table = Selection::Table(uid);
                let id = ui.make_persistent_id(("table", uid));
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
                        sel_table,
                    );
                    r.context_menu(|ui| {
                        rename_item(ui, panel, sel_table);
                        if ui.button("Add GSI").clicked() {
                            add_gsi(panel.actions, model, uid);
                        }
                        if ui.button("Add entity").clicked() {
                            add_entity(panel.actions, model, uid);
                        }
                        if ui.button("Duplicate table").clicked() {
                            duplicate(panel.actions, Element::Table(uid));
                        }
                        if ui.button("Delete table").clicked() {
                            delete(panel.actions, sel_table);
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
                            table: uid,
                            index: gsi.uid.get(),
                        };
                        let r = item(
                            ui,
                            panel,
                            RichText::new(format!("🔑 {}  ({})", gsi.name, keys.join(", "))),
                            sel,
                        );
                        r.context_menu(|ui| {
                            rename_item(ui, panel, sel);
                            if ui.button("Delete index").clicked() {
                                delete(panel.actions, sel);
                            }
                        });
                    }
                    for lsi in &table.lsis {
                        let sel = Selection::Index {
                            table: uid,
                            index: lsi.uid.get(),
                        };
                        let r = item(
                            ui,
                            panel,
                            RichText::new(format!("🔑 {}  (LSI, {})", lsi.name, lsi.sort_key.name)),
                            sel,
                        );
                        r.context_menu(|ui| {
                            rename_item(ui, panel, sel);
                            if ui.button("Delete index").clicked() {
                                delete(panel.actions, sel);
                            }
                        });
                    }
                    for entity in model.entities_of(&table.name) {
                        let sel = Selection::Entity(entity.uid.get());
                        let r = item(ui, panel, RichText::new(format!("📄 {}", entity.name)), sel);
                        r.context_menu(|ui| {
                            rename_item(ui, panel, sel);
                            if ui.button("Add access pattern").clicked() {
                                add_pattern(panel.actions, model, Some(&entity.name));
                            }
                            if ui.button("Duplicate entity").clicked() {
                                duplicate(panel.actions, Element::Entity(entity.uid.get()));
                            }
                            if ui.button("Delete entity").clicked() {
                                delete(panel.actions, sel);
                            }
                        });
                    }
                    ui.horizontal(|ui| {
                        if ui
                            .small_button("➕ GSI")
                            .on_hover_text(format!("Add a GSI to {}", table.name))
                            .clicked()
                        {
                            add_gsi(panel.actions, model, uid);
                        }
                        if ui
                            .small_button("➕ Entity")
                            .on_hover_text(format!("Add an entity to {}", table.name))
                            .clicked()
                        {
                            add_entity(panel.actions, model, uid);
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
                        Selection::Entity(entity.uid.get()),
                    );
                }
            }
        });
}

fn patterns(ui: &mut Ui, panel: &mut PanelCtx) {
    let model = panel.model;
    ui.horizontal(|ui| {
        ui.heading("Access patterns");
        if ui
            .button("➕ Pattern")
            .on_hover_text("Add an access pattern")
            .clicked()
        {
            let entity = panel.selection.entity_name(model);
            add_pattern(panel.actions, model, entity);
        }
    });
    let row_height = ui.text_style_height(&egui::TextStyle::Button) + 4.0;
    let patterns = &model.access_patterns;
    // A pattern selected elsewhere (just added, or picked from a finding) is
    // scrolled into view once; after that the list scrolls freely.
    let memory = ui.scope_id().with("pattern-rows");
    // The selection and the rows of the last frame, and how far the list scrolls.
    let (last_selection, shown, end): (Option<Selection>, (usize, usize), f32) =
        ui.data(|d| d.get_temp(memory)).unwrap_or_default();
    let mut area = egui::ScrollArea::vertical()
        .id_salt("patterns")
        .auto_shrink([false, false]);
    if last_selection.as_ref() != Some(panel.selection)
        && let Selection::Pattern(uid) = panel.selection
        && let Some(i) = patterns.iter().position(|p| p.uid.get() == *uid)
        && (i < shown.0 || i >= shown.1)
    {
        let step = row_height + ui.spacing().item_spacing.y;
        // At once, and no further than the list scrolls: an animated scroll, or
        // one past the end that springs back, keeps the window repainting.
        area = area
            .vertical_scroll_offset((i as f32 * step).min(end))
            .animated(false);
    }
    let selection = *panel.selection;
    let mut rows = (0, 0);
    let output = area.show_rows(ui, row_height, patterns.len(), |ui, range| {
        rows = (range.start, range.end);
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
                let sel = Selection::Pattern(p.uid.get());
                let r = item(
                    ui,
                    panel,
                    RichText::new(format!("{}  {}", p.id, p.description)),
                    sel,
                );
                if p.suggested {
                    ui.label(RichText::new("suggested").small().italics().weak())
                        .on_hover_text("Inferred from the schema, not yet confirmed");
                }
                r.context_menu(|ui| {
                    rename_item(ui, panel, sel);
                    if ui.button("Duplicate pattern").clicked() {
                        duplicate(panel.actions, Element::Pattern(p.uid.get()));
                    }
                    if ui.button("Delete pattern").clicked() {
                        delete(panel.actions, sel);
                    }
                });
            });
        }
    });
    let end = (output.content_size.y - output.inner_rect.height()).max(0.0);
    ui.data_mut(|d| d.insert_temp(memory, (Some(selection), rows, end)));
}
