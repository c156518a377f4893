//! The aggregate view: a table's sample items grouped by partition key, key
//! columns highlighted; switchable to each index's view of the same items (only
//! the items a sparse index holds, re-keyed and projected).

use std::collections::BTreeSet;

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::sample_items::{SampleCounts, SampleSet};
use crate::model::{Edit, Entity, EntityChange, IndexView, Item, Model, Projection};
use crate::ui::widgets::{name_widget, table_filter};
use crate::ui::{PanelCtx, Selection};

/// Most items per entity the view generates.
const MAX_COUNT: usize = 500;
/// Most non-key attribute columns shown.
const MAX_COLUMNS: usize = 14;

struct Row<'a> {
    entity: &'a str,
    /// Position among the entity's items; the first ones are the kept (hand-entered) items.
    index: usize,
    kept: bool,
    item: &'a Item,
    pk: String,
    sk: String,
}

fn key_value(item: &Item, keys: &[&crate::model::KeyAttribute]) -> Option<String> {
    let parts: Option<Vec<String>> = keys
        .iter()
        .map(|k| item.get(&k.name).map(|v| v.display()))
        .collect();
    parts.map(|p| p.join(" + "))
}

/// The attributes an index entry carries.
fn projected(view: &IndexView, table_keys: &[&str], name: &str) -> bool {
    match view.projection {
        None | Some(Projection::All) => true,
        Some(Projection::KeysOnly) => {
            table_keys.contains(&name) || view.key_attributes().any(|k| k.name == name)
        }
        Some(Projection::Include { attributes }) => {
            table_keys.contains(&name)
                || view.key_attributes().any(|k| k.name == name)
                || attributes.iter().any(|a| a == name)
        }
    }
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, samples: &SampleSet, counts: &mut SampleCounts) {
    let model: &Model = panel.model;
    if model.tables.is_empty() {
        ui.label("The model has no tables yet.");
        return;
    }
    let chosen = table_filter(ui, panel, "aggregate", false).or_else(|| {
        // One table at a time: the selected element's, or the first.
        panel
            .selection
            .table_of(model)
            .and_then(|t| model.table_by_uid(t))
            .or_else(|| model.tables.first())
            .map(|t| t.name.clone())
    });
    let Some(table) = chosen.as_deref().and_then(|t| model.table(t)) else {
        return;
    };
    let views = table.indexes();
    let view_key = ui.make_persistent_id(("aggregate-view", &table.name));
    let mut v: usize = ui
        .data(|d| d.get_temp(view_key))
        .unwrap_or(0)
        .min(views.len() - 1);
    ui.horizontal_wrapped(|ui| {
        ui.label("View");
        for (i, view) in views.iter().enumerate() {
            let label = if i == 0 {
                format!("{} (table)", table.name)
            } else {
                view.display_name().to_string()
            };
            ui.selectable_value(&mut v, i, label);
        }
    });
    ui.data_mut(|d| d.insert_temp(view_key, v));
    let view = &views[v];

    // Items per entity.
    ui.horizontal_wrapped(|ui| {
        ui.label("Sample items per entity:");
        for entity in model.entities_of(&table.name) {
            let mut n = counts.of(&entity.name);
            let l = ui.label(&entity.name);
            let r = ui
                .add(egui::DragValue::new(&mut n).range(0..=MAX_COUNT))
                .labelled_by(l.id);
            name_widget(ui, &r, &format!("Samples of {}", entity.name));
            if r.changed() {
                counts.per_entity.insert(entity.name.clone(), n);
            }
        }
    });

    let table_keys: Vec<&str> = views[0].key_attributes().map(|k| k.name.as_str()).collect();
    let mut rows: Vec<Row> = Vec::new();
    for es in samples.entities.iter().filter(|e| e.table == table.name) {
        let kept = model
            .entity(&es.entity)
            .map_or(0, |e| e.example_items.len());
        for (index, item) in es.items.iter().enumerate() {
            let (Some(pk), Some(sk)) = (
                key_value(item, &view.partition_key),
                key_value(item, &view.sort_key),
            ) else {
                continue; // not in this sparse index
            };
            rows.push(Row {
                entity: &es.entity,
                index,
                kept: index < kept,
                item,
                pk,
                sk,
            });
        }
    }
    rows.sort_by(|a, b| (&a.pk, &a.sk).cmp(&(&b.pk, &b.sk)));
    let partitions =
        rows.windows(2).filter(|w| w[0].pk != w[1].pk).count() + usize::from(!rows.is_empty());

    // Columns: the index's keys, then the entity, then the other projected attributes.
    let key_names: Vec<&str> = view.key_attributes().map(|k| k.name.as_str()).collect();
    let mut others: Vec<&str> = Vec::new();
    let mut seen: BTreeSet<&str> = key_names.iter().copied().collect();
    for entity in model.entities_of(&table.name) {
        for name in table_keys
            .iter()
            .copied()
            .chain(entity.attributes.iter().map(|a| a.name.as_str()))
        {
            if projected(view, &table_keys, name) && seen.insert(name) {
                others.push(name);
            }
        }
    }
    let hidden = others.len().saturating_sub(MAX_COLUMNS);
    others.truncate(MAX_COLUMNS);

    let dropped: Vec<String> = samples
        .entities
        .iter()
        .filter(|e| e.table == table.name && e.duplicate_keys > 0)
        .map(|e| format!("{} {}", e.duplicate_keys, e.entity))
        .collect();
    let mut summary = format!("{} items in {} partitions", rows.len(), partitions);
    if v > 0 {
        summary.push_str(" — only the items whose entity writes this index's keys");
    }
    if hidden > 0 {
        summary.push_str(&format!("; {hidden} more attributes not shown"));
    }
    if !dropped.is_empty() {
        summary.push_str(&format!(
            "; {} dropped: their primary key repeated one already made (too few distinct key values)",
            dropped.join(", ")
        ));
    }
    ui.label(RichText::new(summary).weak());
    let key_color = Color32::from_rgb(255, 153, 0);
    let group_bg = ui.visuals().faint_bg_color;
    let mut keep: Option<(String, Item)> = None;
    let mut unkeep: Option<(String, usize)> = None;
    egui::ScrollArea::horizontal()
        .id_salt("aggregate-h")
        .show(ui, |ui| {
            TableBuilder::new(ui)
                .column(Column::exact(28.0))
                .columns(
                    Column::initial(170.0).resizable(true).clip(true),
                    view.partition_key.len(),
                )
                .columns(
                    Column::initial(210.0).resizable(true).clip(true),
                    view.sort_key.len(),
                )
                .column(Column::initial(110.0).resizable(true).clip(true))
                .columns(
                    Column::initial(130.0).resizable(true).clip(true),
                    others.len(),
                )
                .header(24.0, |mut h| {
                    h.col(|_| {});
                    for k in view.partition_key.iter().chain(&view.sort_key) {
                        h.col(|ui| {
                            ui.label(RichText::new(&k.name).strong().color(key_color));
                        });
                    }
                    h.col(|ui| {
                        ui.strong("Entity");
                    });
                    for name in &others {
                        h.col(|ui| {
                            ui.strong(*name);
                        });
                    }
                })
                .body(|body| {
                    body.rows(24.0, rows.len(), |mut row| {
                        let i = row.index();
                        let r = &rows[i];
                        let first_of_group = i == 0 || rows[i - 1].pk != r.pk;
                        let group = rows[..=i].windows(2).filter(|w| w[0].pk != w[1].pk).count();
                        let paint = |ui: &mut Ui| {
                            if group % 2 == 1 {
                                ui.painter().rect_filled(ui.max_rect(), 0.0, group_bg);
                            }
                        };
                        row.col(|ui| {
                            paint(ui);
                            if r.kept {
                                if ui
                                    .small_button("✖")
                                    .on_hover_text("Stop keeping this hand-entered item")
                                    .clicked()
                                {
                                    unkeep = Some((r.entity.to_string(), r.index));
                                }
                            } else if ui
                                .small_button("✚")
                                .on_hover_text(
                                    "Keep this item as it is when the samples are regenerated",
                                )
                                .clicked()
                            {
                                keep = Some((r.entity.to_string(), r.item.clone()));
                            }
                        });
                        for (k, key) in view.partition_key.iter().enumerate() {
                            row.col(|ui| {
                                paint(ui);
                                if first_of_group {
                                    let value = r
                                        .item
                                        .get(&key.name)
                                        .map(|v| v.display())
                                        .unwrap_or_default();
                                    ui.label(RichText::new(value).color(key_color).strong())
                                        .on_hover_text(format!("{} = {}", key.name, r.pk));
                                } else if k == 0 {
                                    ui.label(RichText::new("  …").weak());
                                }
                            });
                        }
                        for key in &view.sort_key {
                            row.col(|ui| {
                                paint(ui);
                                let value = r
                                    .item
                                    .get(&key.name)
                                    .map(|v| v.display())
                                    .unwrap_or_default();
                                ui.label(RichText::new(value).color(key_color));
                            });
                        }
                        row.col(|ui| {
                            paint(ui);
                            let text = if r.kept {
                                format!("{} ✍", r.entity)
                            } else {
                                r.entity.to_string()
                            };
                            if ui.link(text).clicked() {
                                panel.actions.select(Selection::entity(model, r.entity));
                            }
                        });
                        for name in &others {
                            row.col(|ui| {
                                paint(ui);
                                if let Some(value) = r.item.get(*name) {
                                    let text = value.display();
                                    ui.label(&text).on_hover_text(text);
                                }
                            });
                        }
                    });
                });
        });
    // The kept (hand-entered) items are the entity's example items: keeping or
    // dropping one sends the whole new list.
    if let Some((name, item)) = keep
        && let Some(entity) = model.entity(&name)
    {
        let mut items = entity.example_items.clone();
        items.push(item);
        panel.actions.edit(example_items(entity, items));
    }
    if let Some((name, index)) = unkeep
        && let Some(entity) = model.entity(&name)
        && index < entity.example_items.len()
    {
        let mut items = entity.example_items.clone();
        items.remove(index);
        panel.actions.edit(example_items(entity, items));
    }
}

fn example_items(entity: &Entity, items: Vec<Item>) -> Edit {
    Edit::Entity {
        entity: entity.uid.get(),
        change: EntityChange::ExampleItems(items),
    }
}
