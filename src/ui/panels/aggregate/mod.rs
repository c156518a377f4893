//! The aggregate view: a table's sample items grouped by partition key, key
//! columns highlighted; switchable to each index's view of the same items (only
//! the items a sparse index holds, re-keyed and projected).
//!
//! With a read pattern selected, the view shows what the pattern's request does
//! to the sample items (`analysis::query_items`): it opens the serving index,
//! puts the chosen partition first, colours the items the call returns (and
//! those a filter or scan reads and drops), and shows the request with its
//! values and the `aws dynamodb` command to copy. The "Show the items …"
//! checkbox (or choosing another view) turns this off; the pattern editor's
//! "Show items" button turns it back on and opens this tab.

mod grid;

use std::collections::BTreeSet;

use egui::{RichText, Ui};

use crate::analysis::query_items::{self, PatternItems};
use crate::analysis::sample_items::index::{index_items, projected};
use crate::analysis::sample_items::{SampleCounts, SampleSet};
use crate::model::{AccessPattern, Edit, Entity, EntityChange, Item, Model};
use crate::ui::widgets::{name_widget, table_filter};
use crate::ui::{PanelCtx, Selection};
use grid::{Grid, RowAction};

/// Most items per entity the view generates.
const MAX_COUNT: usize = 500;
/// Most non-key attribute columns shown.
const MAX_COLUMNS: usize = 14;

fn show_items_id() -> egui::Id {
    egui::Id::unique("aggregate-show-pattern-items")
}

/// Asks the Aggregate view to show the selected pattern's items (the pattern
/// editor's "Show items" button; it also opens the tab).
pub fn ask_to_show_pattern_items(ctx: &egui::Context) {
    ctx.data_mut(|d| d.insert_temp(show_items_id(), true));
}

/// The selected pattern, if it is a read.
fn selected_read<'a>(panel: &PanelCtx<'a>) -> Option<&'a AccessPattern> {
    match panel.selection {
        Selection::Pattern(uid) => panel
            .model
            .pattern_by_uid(*uid)
            .filter(|p| !p.operation.is_write() && p.outside_dynamodb.is_none()),
        _ => None,
    }
}

/// The pattern run over the samples, worked out once per revision, pattern and
/// sample counts (kept in egui's memory), not every frame.
fn pattern_items(
    ui: &Ui,
    panel: &PanelCtx,
    pattern: &crate::model::AccessPattern,
    samples: &SampleSet,
    counts: &SampleCounts,
) -> Result<PatternItems, String> {
    type Cached = (
        u64,
        crate::model::Uid,
        SampleCounts,
        Result<PatternItems, String>,
    );
    let id = egui::Id::unique("aggregate-pattern-items");
    let uid = pattern.uid.get();
    if let Some(revision) = panel.revision
        && let Some((r, u, c, result)) = ui.data(|d| d.get_temp::<Cached>(id))
        && r == revision
        && u == uid
        && c == *counts
    {
        return result;
    }
    let result = query_items::evaluate(panel.model, panel.analysis, pattern, samples);
    if let Some(revision) = panel.revision {
        let cached: Cached = (revision, uid, counts.clone(), result.clone());
        ui.data_mut(|d| d.insert_temp(id, cached));
    }
    result
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, samples: &SampleSet, counts: &mut SampleCounts) {
    let model: &Model = panel.model;
    if model.tables.is_empty() {
        ui.label("The model has no tables yet.");
        return;
    }
    let pattern = selected_read(panel);
    let mut wanted: bool = ui.data(|d| d.get_temp(show_items_id())).unwrap_or(true);
    let mut evaluated: Option<Result<PatternItems, String>> = None;
    if let Some(p) = pattern {
        let r = ui.checkbox(
            &mut wanted,
            format!("Show the items {} reads in the sample items", p.id),
        );
        name_widget(ui, &r, "Show pattern items");
        if wanted {
            evaluated = Some(pattern_items(ui, panel, p, samples, counts));
        }
    }
    let items = evaluated.as_ref().and_then(|r| r.as_ref().ok());
    if let (Some(p), Some(Err(why))) = (pattern, &evaluated) {
        ui.label(RichText::new(format!("{} cannot be run on the samples: {why}", p.id)).weak());
    }

    let table = match items {
        Some(items) => {
            ui.horizontal(|ui| {
                ui.label("Table");
                ui.strong(&items.table);
            });
            model.table(&items.table)
        }
        None => table_filter(ui, panel, "aggregate", false)
            .as_deref()
            .and_then(|t| model.table(t)),
    };
    let Some(table) = table else {
        return;
    };
    let views = table.indexes();
    let view_key = ui.make_persistent_id(("aggregate-view", &table.name));
    let stored: usize = ui
        .data(|d| d.get_temp(view_key))
        .unwrap_or(0)
        .min(views.len() - 1);
    let mut v = items.map_or(stored, |i| i.index_pos.min(views.len() - 1));
    let shown_view = v;
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
    if items.is_some() && v != shown_view {
        // Another view: leave the pattern's items for the plain view.
        wanted = false;
    }
    if pattern.is_some() {
        ui.data_mut(|d| d.insert_temp(show_items_id(), wanted));
    }
    ui.data_mut(|d| d.insert_temp(view_key, v));
    let items = items.filter(|_| wanted);
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

    let mut rows = index_items(samples, view);
    let partitions =
        rows.windows(2).filter(|w| w[0].pk != w[1].pk).count() + usize::from(!rows.is_empty());
    if let Some(partition) = items.and_then(|i| i.partition.as_ref()) {
        // The pattern's partition first, the others in index order after it.
        rows.sort_by_key(|r| &r.pk != partition);
    }

    // Columns: the index's keys, then the entity, then the other projected attributes.
    let table_keys: Vec<&str> = views[0].key_attributes().map(|k| k.name.as_str()).collect();
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
    if let (Some(p), Some(items)) = (pattern, items) {
        request(ui, panel, p, items);
    }

    let kept = |entity: &str| model.entity(entity).map_or(0, |e| e.example_items.len());
    let select_entity = |entity: &str| Selection::entity(model, entity);
    let scroll_key = ui.make_persistent_id((
        "aggregate-grid",
        &table.name,
        v,
        items.map(|i| (&i.pattern, &i.partition)),
    ));
    let action = Grid {
        view,
        rows: &rows,
        kept: &kept,
        select_entity: &select_entity,
        others: &others,
        items,
        scroll_key,
    }
    .show(ui);
    match action {
        Some(RowAction::Select(selection)) => panel.actions.select(selection),
        // The kept (hand-entered) items are the entity's example items: keeping or
        // dropping one sends the whole new list.
        Some(RowAction::Keep { entity, item }) => {
            if let Some(entity) = model.entity(&entity) {
                let mut items = entity.example_items.clone();
                items.push(item);
                panel.actions.edit(example_items(entity, items));
            }
        }
        Some(RowAction::Unkeep { entity, position }) => {
            if let Some(entity) = model.entity(&entity)
                && position < entity.example_items.len()
            {
                let mut items = entity.example_items.clone();
                items.remove(position);
                panel.actions.edit(example_items(entity, items));
            }
        }
        None => {}
    }
}

/// The pattern's request with the sample values, the command to copy, and what
/// it returns and reads.
fn request(ui: &mut Ui, panel: &PanelCtx, p: &AccessPattern, items: &PatternItems) {
    let command = panel
        .analysis
        .resolution(&p.id)
        .and_then(|r| r.plan.as_ref())
        .map(|plan| {
            crate::export::mcp_json::read_bound_to(panel.model, plan, p, &items.bound, items.limit)
        });
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.set_width(ui.available_width());
        ui.horizontal_wrapped(|ui| {
            ui.strong(format!("{} — {}", p.id, p.description));
            if let Some(partition) = &items.partition {
                ui.label(RichText::new(format!("partition {partition}")).weak());
            }
        });
        let r = ui.add(
            egui::Label::new(RichText::new(items.request_text()).monospace())
                .selectable(true)
                .wrap(),
        );
        name_widget(
            ui,
            &r,
            &format!("Pattern request: {}", items.request_text()),
        );
        match command {
            Some(Ok(call)) => {
                ui.horizontal(|ui| {
                    if ui
                        .button("Copy command")
                        .on_hover_text("Copy the aws dynamodb command with these values")
                        .clicked()
                    {
                        ui.ctx().copy_text(call.command.clone());
                    }
                    let r = ui.add(
                        egui::Label::new(RichText::new(&call.command).monospace().weak())
                            .selectable(true)
                            .wrap(),
                    );
                    name_widget(ui, &r, &format!("Pattern command: {}", call.command));
                });
            }
            Some(Err(why)) => {
                ui.label(RichText::new(format!("No command: {why}")).weak());
            }
            None => {}
        }
        ui.horizontal_wrapped(|ui| {
            let summary = items.summary();
            let r = ui.label(RichText::new(&summary).strong());
            name_widget(ui, &r, &format!("Pattern items summary: {summary}"));
            grid::mark_legend(ui, items);
        });
    });
}

fn example_items(entity: &Entity, items: Vec<Item>) -> Edit {
    Edit::Entity {
        entity: entity.uid.get(),
        change: EntityChange::ExampleItems(items),
    }
}
