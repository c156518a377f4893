//! The table editor: name, keys, billing, time to live, stream, description and
//! the list of indexes.

use egui::{RichText, Ui};

use super::{gone, key_attribute_cell, key_type_combo, served_by};
use crate::model::{
    Billing, Edit, Element, KeyAttribute, NewIndex, Table, TableChange, TimeToLive, Uid,
};
use crate::ui::widgets::draft::{DraftField, name_row, problem_label};
use crate::ui::widgets::{name_widget, number_row, text_cell};
use crate::ui::{PanelCtx, Selection};

fn change(table: Uid, change: TableChange) -> Edit {
    Edit::Table { table, change }
}

pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, uid: Uid) {
    let model = panel.model;
    let Some(table) = model.table_by_uid(uid) else {
        return gone(ui);
    };
    ui.heading(format!("Table {}", table.name));
    let name = DraftField::name(Selection::Table(uid), "Table name", &table.name);
    name_row(ui, panel, name, |name| {
        Ok(Edit::Rename {
            element: Element::Table(uid),
            name: name.to_string(),
        })
    });
    keys(ui, panel, table, uid);
    billing_row(ui, panel, table, uid);
    let mut left = ttl_and_stream_rows(ui, panel, table, uid);
    let mut desc = table.description.clone();
    ui.label("Description");
    let r = ui.add(
        egui::TextEdit::multiline(&mut desc)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    name_widget(ui, &r, "Table description");
    if r.changed() {
        panel
            .actions
            .typing(change(uid, TableChange::Description(desc)));
    }
    left |= r.lost_focus();
    ui.separator();
    indexes(ui, panel, table, uid);
    ui.separator();
    served_by(ui, panel, &table.name, None);
    if left {
        panel.actions.seal = true;
    }
}

fn keys(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, uid: Uid) {
    ui.horizontal(|ui| {
        ui.label("Partition key");
        let pk = &table.partition_key;
        let problem = key_attribute_cell(ui, panel, uid, "pk", "Partition key attribute", &pk.name);
        if let Some(kt) = key_type_combo(ui, ("pk-type", uid), "Partition key type", pk.key_type) {
            panel
                .actions
                .edit(change(uid, TableChange::PartitionKeyType(kt)));
        }
        problem_label(ui, problem.as_deref());
    });
    ui.horizontal(|ui| {
        let mut has_sk = table.sort_key.is_some();
        if ui.checkbox(&mut has_sk, "Sort key").changed() {
            let sort_key = has_sk.then(|| KeyAttribute::string("SK"));
            panel
                .actions
                .edit(change(uid, TableChange::SortKey(sort_key)));
        }
        if let Some(sk) = &table.sort_key {
            let problem = key_attribute_cell(ui, panel, uid, "sk", "Sort key attribute", &sk.name);
            if let Some(kt) = key_type_combo(ui, ("sk-type", uid), "Sort key type", sk.key_type) {
                let sort_key = KeyAttribute::new(sk.name.clone(), kt);
                panel
                    .actions
                    .edit(change(uid, TableChange::SortKey(Some(sort_key))));
            }
            problem_label(ui, problem.as_deref());
        }
    });
}

fn billing_row(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, uid: Uid) {
    let billing = &table.billing;
    ui.horizontal(|ui| {
        ui.label("Billing");
        let mut provisioned = matches!(billing, Billing::Provisioned { .. });
        let before = provisioned;
        ui.radio_value(&mut provisioned, false, "On demand");
        ui.radio_value(&mut provisioned, true, "Provisioned");
        if provisioned != before {
            let billing = if provisioned {
                Billing::Provisioned {
                    read_capacity: 5,
                    write_capacity: 5,
                }
            } else {
                Billing::OnDemand
            };
            panel
                .actions
                .edit(change(uid, TableChange::Billing(billing)));
        }
        if let Billing::Provisioned {
            read_capacity,
            write_capacity,
        } = *billing
        {
            let read = number_row(ui, "RCU", read_capacity, 1.0);
            let write = number_row(ui, "WCU", write_capacity, 1.0);
            if read.is_some() || write.is_some() {
                let billing = Billing::Provisioned {
                    read_capacity: read.unwrap_or(read_capacity),
                    write_capacity: write.unwrap_or(write_capacity),
                };
                panel
                    .actions
                    .typing(change(uid, TableChange::Billing(billing)));
            }
        }
    });
}

/// Time to live (its attribute) and the table's stream (its view type). Returns
/// whether a text field lost the focus.
fn ttl_and_stream_rows(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, uid: Uid) -> bool {
    let mut left = false;
    ui.horizontal(|ui| {
        let mut on = table.ttl.is_some();
        if ui.checkbox(&mut on, "Time to live").changed() {
            let ttl = on.then(|| TimeToLive {
                attribute: "expires_at".into(),
            });
            panel.actions.edit(change(uid, TableChange::Ttl(ttl)));
        }
        if let Some(ttl) = &table.ttl {
            ui.label("attribute");
            let width = crate::ui::widgets::fit_width(ui, &ttl.attribute, 160.0);
            if let Some(attribute) = text_cell(
                ui,
                "Time-to-live attribute",
                &ttl.attribute,
                width,
                &mut left,
                ttl.attribute.is_empty(),
            ) {
                let ttl = Some(TimeToLive { attribute });
                panel.actions.typing(change(uid, TableChange::Ttl(ttl)));
            }
            ui.label(RichText::new("a Number of epoch seconds").weak());
        }
    });
    ui.horizontal(|ui| {
        let mut on = table.stream.is_some();
        if ui.checkbox(&mut on, "Stream").changed() {
            let stream = on.then_some(crate::model::StreamView::default());
            panel.actions.edit(change(uid, TableChange::Stream(stream)));
        }
        if let Some(view) = table.stream {
            let mut v = view;
            let r = egui::ComboBox::from_id_salt(("stream-view", uid))
                .selected_text(v.as_str())
                .show_ui(ui, |ui| {
                    for option in crate::model::StreamView::ALL {
                        ui.selectable_value(&mut v, option, option.as_str());
                    }
                });
            name_widget(ui, &r.response, "Stream view type");
            if v != view {
                panel
                    .actions
                    .edit(change(uid, TableChange::Stream(Some(v))));
            }
        }
    });
    left
}

/// "Add GSI", "Add LSI" and a link to each index.
fn indexes(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, uid: Uid) {
    let model = panel.model;
    ui.horizontal(|ui| {
        ui.strong("Indexes");
        if ui.button("Add GSI").clicked()
            && let Some(gsi) = model.new_gsi(uid)
        {
            panel.actions.edit(Edit::AddIndex {
                table: uid,
                index: NewIndex::Gsi(gsi),
            });
        }
        if ui.button("Add LSI").clicked()
            && let Some(lsi) = model.new_lsi(uid)
        {
            panel.actions.edit(Edit::AddIndex {
                table: uid,
                index: NewIndex::Lsi(lsi),
            });
        }
    });
    for v in table.indexes().iter().skip(1) {
        let keys: Vec<&str> = v.key_attributes().map(|k| k.name.as_str()).collect();
        if ui
            .link(format!("{} ({})", v.display_name(), keys.join(", ")))
            .clicked()
        {
            panel
                .actions
                .select(Selection::index(model, &table.name, v.display_name()));
        }
    }
}
