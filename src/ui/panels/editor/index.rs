//! The GSI and LSI editors: name, key attributes (a GSI has 1–4 partition and
//! 0–4 sort key attributes), projection, and which entities and patterns use it.

use egui::{RichText, Ui};

use super::{gone, key_attribute_cell, key_type_combo, served_by};
use crate::model::{Edit, Element, Gsi, IndexChange, KeyAttribute, Lsi, Projection, Table, Uid};
use crate::ui::widgets::draft::{DraftField, name_row, problem_label};
use crate::ui::{PanelCtx, Selection};

pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, table: Uid, index: Uid) {
    let Some(t) = panel.model.table_by_uid(table) else {
        return gone(ui);
    };
    if let Some(gsi) = t.gsis.iter().find(|g| g.uid.get() == index) {
        gsi_editor(ui, panel, t, gsi);
    } else if let Some(lsi) = t.lsis.iter().find(|l| l.uid.get() == index) {
        lsi_editor(ui, panel, t, lsi);
    } else {
        gone(ui);
    }
}

fn change(table: &Table, index: Uid, change: IndexChange) -> Edit {
    Edit::Index {
        table: table.uid.get(),
        index,
        change,
    }
}

fn name(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, index: Uid, current: &str) {
    let element = Element::Index {
        table: table.uid.get(),
        index,
    };
    let selection = Selection::Index {
        table: table.uid.get(),
        index,
    };
    let field = DraftField::name(selection, "Index name", current);
    name_row(ui, panel, field, |name| {
        Ok(Edit::Rename {
            element,
            name: name.to_string(),
        })
    });
}

fn gsi_editor(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, gsi: &Gsi) {
    let uid = gsi.uid.get();
    ui.heading(format!("GSI {} of {}", gsi.name, table.name));
    name(ui, panel, table, uid, &gsi.name);
    key_list(ui, panel, table, gsi, false);
    key_list(ui, panel, table, gsi, true);
    projection_editor(ui, panel, table, uid, &gsi.projection);
    ui.separator();
    let holders: Vec<&str> = panel
        .model
        .entities_of(&table.name)
        .filter(|e| {
            gsi.partition_key
                .iter()
                .chain(&gsi.sort_key)
                .all(|k| e.key_template(&k.name).is_some())
        })
        .map(|e| e.name.as_str())
        .collect();
    ui.label(if holders.is_empty() {
        "No entity writes this index's keys: it is empty.".to_string()
    } else {
        format!(
            "Holds {} (sparse: only entities that write its keys)",
            holders.join(", ")
        )
    });
    served_by(ui, panel, &table.name, Some(&gsi.name));
}

/// A GSI's partition or sort key attributes: add, rename, retype, remove. Each
/// change sends the whole new list.
fn key_list(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, gsi: &Gsi, sort: bool) {
    let uid = gsi.uid.get();
    let keys = if sort {
        &gsi.sort_key
    } else {
        &gsi.partition_key
    };
    let what = if sort { "Sort key" } else { "Partition key" };
    let set = |keys: Vec<KeyAttribute>| {
        let keys = if sort {
            IndexChange::SortKey(keys)
        } else {
            IndexChange::PartitionKey(keys)
        };
        change(table, uid, keys)
    };
    ui.horizontal(|ui| {
        ui.label(format!(
            "{what} ({} of {})",
            keys.len(),
            if sort { "0–4" } else { "1–4" }
        ));
        if keys.len() < 4
            && ui
                .small_button("➕")
                .on_hover_text(format!("Add a {what} attribute"))
                .clicked()
        {
            let name = format!(
                "{}{}{}",
                gsi.name,
                if sort { "SK" } else { "PK" },
                keys.len() + 1
            );
            let mut list = keys.clone();
            list.push(KeyAttribute::string(name));
            panel.actions.edit(set(list));
        }
    });
    for (k, key) in keys.iter().enumerate() {
        ui.horizontal(|ui| {
            let label = format!("{} {what} attribute {}", gsi.name, k + 1);
            let slot = (uid, sort, k);
            let problem = key_attribute_cell(ui, panel, table.uid.get(), slot, &label, &key.name);
            if let Some(kt) = key_type_combo(
                ui,
                ("gsi-key-type", slot),
                &format!("{label} type"),
                key.key_type,
            ) {
                let mut list = keys.clone();
                list[k].key_type = kt;
                panel.actions.edit(set(list));
            }
            if (sort || keys.len() > 1)
                && ui
                    .small_button("✖")
                    .on_hover_text("Remove this key attribute")
                    .clicked()
            {
                let mut list = keys.clone();
                list.remove(k);
                panel.actions.edit(set(list));
            }
            problem_label(ui, problem.as_deref());
        });
    }
}

fn projection_editor(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    table: &Table,
    index: Uid,
    current: &Projection,
) {
    ui.horizontal(|ui| {
        ui.label("Projection");
        for (label, p) in [
            ("ALL", Projection::All),
            ("KEYS_ONLY", Projection::KeysOnly),
            (
                "INCLUDE",
                Projection::Include {
                    attributes: Vec::new(),
                },
            ),
        ] {
            if ui
                .selectable_label(current.label() == label, label)
                .clicked()
                && current.label() != label
            {
                panel
                    .actions
                    .edit(change(table, index, IndexChange::Projection(p)));
            }
        }
    });
    if let Projection::Include { attributes } = current {
        let mut names: Vec<&str> = panel
            .model
            .entities_of(&table.name)
            .flat_map(|e| e.attributes.iter().map(|a| a.name.as_str()))
            .collect();
        names.sort_unstable();
        names.dedup();
        ui.label(RichText::new("Attributes copied into the index:").weak());
        ui.horizontal_wrapped(|ui| {
            for name in names {
                let mut on = attributes.iter().any(|a| a == name);
                if ui.checkbox(&mut on, name).changed() {
                    let mut list = attributes.clone();
                    if on {
                        list.push(name.to_string());
                        list.sort();
                    } else {
                        list.retain(|a| a != name);
                    }
                    let projection = Projection::Include { attributes: list };
                    panel
                        .actions
                        .edit(change(table, index, IndexChange::Projection(projection)));
                }
            }
        });
    }
}

fn lsi_editor(ui: &mut Ui, panel: &mut PanelCtx, table: &Table, lsi: &Lsi) {
    let uid = lsi.uid.get();
    ui.heading(format!("LSI {} of {}", lsi.name, table.name));
    name(ui, panel, table, uid, &lsi.name);
    ui.horizontal(|ui| {
        ui.label("Sort key");
        let sk = &lsi.sort_key;
        let problem = key_attribute_cell(
            ui,
            panel,
            table.uid.get(),
            (uid, "sk"),
            "LSI sort key attribute",
            &sk.name,
        );
        if let Some(kt) = key_type_combo(ui, ("lsi-type", uid), "LSI sort key type", sk.key_type) {
            let keys = vec![KeyAttribute::new(sk.name.clone(), kt)];
            panel
                .actions
                .edit(change(table, uid, IndexChange::SortKey(keys)));
        }
        problem_label(ui, problem.as_deref());
    });
    projection_editor(ui, panel, table, uid, &lsi.projection);
    ui.separator();
    served_by(ui, panel, &table.name, Some(&lsi.name));
}
