//! The access pattern editor: id, description, operation, entities, inputs,
//! range, rates, consistency, pinned index, notes; then how it resolves.

use egui::{RichText, Ui};

use super::{gone, resolution};
use crate::model::{
    AccessPattern, Consistency, Edit, Element, Operation, PatternChange, RangeCondition, RangeOp,
    SortOrder, Uid,
};
use crate::ui::widgets::draft::{DraftField, name_row};
use crate::ui::widgets::{fit_width, name_widget, number_row, status_badge, text_cell, text_row};
use crate::ui::{PanelCtx, Selection};

fn change(pattern: Uid, change: PatternChange) -> Edit {
    Edit::Pattern { pattern, change }
}

pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, uid: Uid) {
    let model = panel.model;
    let Some(i) = model.pattern_pos(uid) else {
        return gone(ui);
    };
    let p: &AccessPattern = &model.access_patterns[i];
    let resolution = panel.analysis.resolution_at(i, &p.id);
    ui.horizontal(|ui| {
        if let Some(r) = resolution {
            ui.label(status_badge(ui, r.status).size(20.0));
        }
        ui.heading(format!("{} — {}", p.id, p.description));
    });
    if p.suggested {
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new("suggested").italics().weak());
            ui.label("The importer inferred this pattern from the schema; set its rates, then confirm it.");
            if ui
                .button("Confirm")
                .on_hover_text("Keep this pattern as part of the design")
                .clicked()
            {
                panel
                    .actions
                    .edit(change(uid, PatternChange::Suggested(false)));
            }
        });
    }
    let id = DraftField::name(Selection::Pattern(uid), "Pattern id", &p.id);
    name_row(ui, panel, id, |id| {
        Ok(Edit::Rename {
            element: Element::Pattern(uid),
            name: id.to_string(),
        })
    });
    let mut left = false;
    if let Some(new) = text_row(ui, "Description", &p.description, &mut left) {
        panel
            .actions
            .typing(change(uid, PatternChange::Description(new)));
    }
    ui.horizontal(|ui| {
        ui.label("Operation");
        let mut op = p.operation;
        let r = egui::ComboBox::from_id_salt(("ap-op", uid))
            .selected_text(op.as_str())
            .show_ui(ui, |ui| {
                for o in Operation::ALL {
                    ui.selectable_value(&mut op, o, o.as_str());
                }
            });
        name_widget(ui, &r.response, "Operation");
        if op != p.operation {
            panel
                .actions
                .edit(change(uid, PatternChange::Operation(op)));
        }
    });
    entities(ui, panel, p, uid);
    // Inputs: attributes of the pattern's entities known at call time.
    let mut attrs: Vec<&str> = p
        .entities
        .iter()
        .filter_map(|n| model.entity(n))
        .flat_map(|e| e.attributes.iter().map(|a| a.name.as_str()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    attrs.retain(|a| seen.insert(*a));
    ui.horizontal_wrapped(|ui| {
        ui.label("Known at call time");
        for a in &attrs {
            let mut on = p.inputs.iter().any(|x| x == a);
            if ui.checkbox(&mut on, *a).changed() {
                let mut inputs = p.inputs.clone();
                if on {
                    inputs.push(a.to_string());
                } else {
                    inputs.retain(|x| x != a);
                }
                panel
                    .actions
                    .edit(change(uid, PatternChange::Inputs(inputs)));
            }
        }
    });
    range_and_sort(ui, panel, p, uid, &attrs);
    rates(ui, panel, p, uid);
    ui.horizontal(|ui| {
        let mut outside = p.outside_dynamodb.is_some();
        if ui
            .checkbox(&mut outside, "Served outside DynamoDB")
            .changed()
        {
            let reason = outside.then(|| "Served by another service".to_string());
            panel
                .actions
                .edit(change(uid, PatternChange::OutsideDynamodb(reason)));
        }
        if let Some(reason) = &p.outside_dynamodb {
            let width = fit_width(ui, reason, 360.0).min(ui.available_width());
            if let Some(new) = text_cell(
                ui,
                "Reason it is served outside DynamoDB",
                reason,
                width,
                &mut left,
                false,
            ) {
                panel
                    .actions
                    .typing(change(uid, PatternChange::OutsideDynamodb(Some(new))));
            }
        }
    });
    pinned_index(ui, panel, p, uid);
    let mut notes = p.notes.clone();
    ui.label("Notes");
    let r = ui.add(
        egui::TextEdit::multiline(&mut notes)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    name_widget(ui, &r, "Pattern notes");
    if r.changed() {
        panel
            .actions
            .typing(change(uid, PatternChange::Notes(notes)));
    }
    left |= r.lost_focus();
    if let Some(source) = &p.source {
        resolution::imported_command(ui, model, p, source);
    }

    ui.separator();
    if let Some(r) = resolution {
        resolution::show(ui, panel, p, r);
        if r.plan.is_some()
            && ui
                .button("Show items")
                .on_hover_text("The sample items this request returns, in the Aggregate view")
                .clicked()
        {
            crate::ui::panels::aggregate::ask_to_show_pattern_items(ui.ctx());
            panel.actions.tab = Some(crate::ui::Tab::Aggregate);
        }
    }
    if left {
        panel.actions.seal = true;
    }
}

/// The entities the pattern reads or writes; the first is the primary one.
fn entities(ui: &mut Ui, panel: &mut PanelCtx, p: &AccessPattern, uid: Uid) {
    let model = panel.model;
    ui.horizontal_wrapped(|ui| {
        ui.label("Entities");
        for (k, name) in p.entities.iter().enumerate() {
            let mut chosen = name.clone();
            let r = egui::ComboBox::from_id_salt(("ap-entity", uid, k))
                .selected_text(chosen.as_str())
                .show_ui(ui, |ui| {
                    for e in &model.entities {
                        ui.selectable_value(&mut chosen, e.name.clone(), e.name.as_str());
                    }
                });
            name_widget(ui, &r.response, &format!("Entity {}", k + 1));
            if &chosen != name {
                let mut list = p.entities.clone();
                list[k] = chosen;
                panel
                    .actions
                    .edit(change(uid, PatternChange::Entities(list)));
            }
            if ui
                .small_button("✖")
                .on_hover_text(format!("Remove {name}"))
                .clicked()
            {
                let mut list = p.entities.clone();
                list.remove(k);
                panel
                    .actions
                    .edit(change(uid, PatternChange::Entities(list)));
            }
        }
        if let Some(first) = model.entities.first()
            && ui
                .small_button("➕")
                .on_hover_text("Add an entity")
                .clicked()
        {
            let mut list = p.entities.clone();
            list.push(first.name.clone());
            panel
                .actions
                .edit(change(uid, PatternChange::Entities(list)));
        }
    });
}

fn range_and_sort(ui: &mut Ui, panel: &mut PanelCtx, p: &AccessPattern, uid: Uid, attrs: &[&str]) {
    ui.horizontal(|ui| {
        ui.label("Range condition");
        let mut attr = p
            .range
            .as_ref()
            .map(|r| r.attribute.clone())
            .unwrap_or_default();
        let r = egui::ComboBox::from_id_salt(("ap-range", uid))
            .selected_text(if attr.is_empty() {
                "none"
            } else {
                attr.as_str()
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut attr, String::new(), "none");
                for a in attrs {
                    ui.selectable_value(&mut attr, a.to_string(), *a);
                }
            });
        name_widget(ui, &r.response, "Range attribute");
        let mut op = p.range.as_ref().map(|r| r.op).unwrap_or(RangeOp::Between);
        if !attr.is_empty() {
            let r = egui::ComboBox::from_id_salt(("ap-range-op", uid))
                .selected_text(op.as_str())
                .show_ui(ui, |ui| {
                    for o in RangeOp::ALL {
                        ui.selectable_value(&mut op, o, o.as_str());
                    }
                });
            name_widget(ui, &r.response, "Range operator");
        }
        let new = (!attr.is_empty()).then_some(RangeCondition {
            attribute: attr,
            op,
        });
        if new != p.range {
            panel.actions.edit(change(uid, PatternChange::Range(new)));
        }
        let mut sort = p.sort;
        ui.radio_value(&mut sort, SortOrder::Ascending, "ascending");
        ui.radio_value(&mut sort, SortOrder::Descending, "descending");
        if sort != p.sort {
            panel.actions.edit(change(uid, PatternChange::Sort(sort)));
        }
    });
}

fn rates(ui: &mut Ui, panel: &mut PanelCtx, p: &AccessPattern, uid: Uid) {
    ui.horizontal_wrapped(|ui| {
        if let Some(n) = number_row(ui, "Items returned", p.items, 1.0) {
            panel.actions.typing(change(uid, PatternChange::Items(n)));
        }
        if let Some(n) = number_row(ui, "Peak RPS", p.peak_rps, 1.0) {
            panel.actions.typing(change(uid, PatternChange::PeakRps(n)));
        }
        if let Some(n) = number_row(ui, "Average RPS", p.average_rps, 1.0) {
            panel
                .actions
                .typing(change(uid, PatternChange::AverageRps(n)));
        }
        let mut strong = p.consistency == Consistency::Strong;
        if ui.checkbox(&mut strong, "Strongly consistent").changed() {
            let consistency = if strong {
                Consistency::Strong
            } else {
                Consistency::Eventual
            };
            panel
                .actions
                .edit(change(uid, PatternChange::Consistency(consistency)));
        }
    });
}

/// The index the pattern is pinned to, or automatic.
fn pinned_index(ui: &mut Ui, panel: &mut PanelCtx, p: &AccessPattern, uid: Uid) {
    let model = panel.model;
    let table = p
        .primary_entity()
        .and_then(|e| model.entity(e))
        .and_then(|e| model.table(&e.table));
    ui.horizontal(|ui| {
        ui.label("Index");
        let mut pinned = p.index.clone().unwrap_or_default();
        let r = egui::ComboBox::from_id_salt(("ap-index", uid))
            .selected_text(if pinned.is_empty() {
                "automatic"
            } else {
                pinned.as_str()
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut pinned, String::new(), "automatic");
                if let Some(t) = table {
                    for v in t.indexes() {
                        ui.selectable_value(
                            &mut pinned,
                            v.display_name().to_string(),
                            v.display_name(),
                        );
                    }
                }
            });
        name_widget(ui, &r.response, "Pinned index");
        let new = (!pinned.is_empty()).then_some(pinned);
        if new != p.index {
            panel.actions.edit(change(uid, PatternChange::Index(new)));
        }
    });
}
