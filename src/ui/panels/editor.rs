//! The editor for the selected table, index, entity or access pattern.

use egui::{RichText, Ui};

use crate::analysis::{Plan, Status};
use crate::model::template::Template;
use crate::model::{
    AccessPattern, AttrType, Attribute, Billing, Consistency, Entity, Generator, Gsi, KeyAttribute,
    KeyType, Lsi, Model, Operation, Projection, RangeCondition, RangeOp, SortOrder, StreamView,
    TimestampFormat,
};
use crate::ui::widgets::{name_widget, number_row, status_badge, text_cell, text_row};
use crate::ui::{PanelCtx, Selection};

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    egui::ScrollArea::vertical()
        .id_salt("editor")
        .auto_shrink([false, false])
        .show(ui, |ui| match panel.selection.clone() {
            Selection::None => {
                ui.label("Select a table, index, entity or access pattern in the model tree.");
            }
            Selection::Table(name) => {
                match panel.model.tables.iter().position(|t| t.name == name) {
                    Some(i) => table_editor(ui, panel, i),
                    None => gone(ui),
                }
            }
            Selection::Index { table, index } => {
                let Some(t) = panel.model.tables.iter().position(|x| x.name == table) else {
                    return gone(ui);
                };
                let tab = &panel.model.tables[t];
                if let Some(g) = tab.gsis.iter().position(|x| x.name == index) {
                    gsi_editor(ui, panel, t, g);
                } else if let Some(l) = tab.lsis.iter().position(|x| x.name == index) {
                    lsi_editor(ui, panel, t, l);
                } else {
                    gone(ui);
                }
            }
            Selection::Entity(name) => {
                match panel.model.entities.iter().position(|e| e.name == name) {
                    Some(i) => entity_editor(ui, panel, i),
                    None => gone(ui),
                }
            }
            Selection::Pattern(id) => {
                match panel.model.access_patterns.iter().position(|p| p.id == id) {
                    Some(i) => pattern_editor(ui, panel, i),
                    None => gone(ui),
                }
            }
        });
}

fn gone(ui: &mut Ui) {
    ui.label("The selected element no longer exists.");
}

fn key_type_combo(
    ui: &mut Ui,
    id: impl std::hash::Hash + std::fmt::Debug,
    name: &str,
    value: KeyType,
) -> Option<KeyType> {
    let mut v = value;
    let r = egui::ComboBox::from_id_salt(id)
        .selected_text(v.as_str())
        .width(48.0)
        .show_ui(ui, |ui| {
            for t in KeyType::ALL {
                ui.selectable_value(&mut v, t, t.as_str());
            }
        });
    name_widget(ui, &r.response, name);
    (v != value).then_some(v)
}

// ---- tables ----

fn table_editor(ui: &mut Ui, panel: &mut PanelCtx, t: usize) {
    let table = &panel.model.tables[t];
    let actions = &mut *panel.actions;
    ui.heading(format!("Table {}", table.name));
    let mut left = false;
    if let Some(new) = text_row(ui, "Table name", &table.name, &mut left) {
        let old = table.name.clone();
        let n = new.clone();
        actions.edit_merging(format!("table-name-{t}"), "Rename table", move |m| {
            m.rename_table(&old, &n)
        });
        actions.select(Selection::Table(new));
    }
    ui.horizontal(|ui| {
        ui.label("Partition key");
        if let Some(new) = text_cell(
            ui,
            "Partition key attribute",
            &table.partition_key.name,
            160.0,
            &mut left,
            false,
        ) {
            let (old, name) = (table.name.clone(), table.partition_key.name.clone());
            actions.edit_merging(format!("table-pk-{t}"), "Rename partition key", move |m| {
                m.rename_key_attribute(&old, &name, &new)
            });
        }
        if let Some(kt) = key_type_combo(
            ui,
            ("pk-type", t),
            "Partition key type",
            table.partition_key.key_type,
        ) {
            actions.edit("Change partition key type", move |m| {
                m.tables[t].partition_key.key_type = kt
            });
        }
    });
    ui.horizontal(|ui| {
        let mut has_sk = table.sort_key.is_some();
        if ui.checkbox(&mut has_sk, "Sort key").changed() {
            actions.edit(
                if has_sk {
                    "Add sort key"
                } else {
                    "Remove sort key"
                },
                move |m| {
                    m.tables[t].sort_key = has_sk.then(|| KeyAttribute::string("SK"));
                },
            );
        }
        if let Some(sk) = &table.sort_key {
            if let Some(new) =
                text_cell(ui, "Sort key attribute", &sk.name, 160.0, &mut left, false)
            {
                let (old, name) = (table.name.clone(), sk.name.clone());
                actions.edit_merging(format!("table-sk-{t}"), "Rename sort key", move |m| {
                    m.rename_key_attribute(&old, &name, &new)
                });
            }
            if let Some(kt) = key_type_combo(ui, ("sk-type", t), "Sort key type", sk.key_type) {
                actions.edit("Change sort key type", move |m| {
                    if let Some(sk) = &mut m.tables[t].sort_key {
                        sk.key_type = kt;
                    }
                });
            }
        }
    });
    billing_row(ui, panel, t);
    left |= ttl_and_stream_rows(ui, panel, t);
    let table = &panel.model.tables[t];
    let actions = &mut *panel.actions;
    let mut desc = table.description.clone();
    ui.label("Description");
    let r = ui.add(
        egui::TextEdit::multiline(&mut desc)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    name_widget(ui, &r, "Table description");
    if r.changed() {
        actions.edit_merging(
            format!("table-desc-{t}"),
            "Edit table description",
            move |m| m.tables[t].description = desc,
        );
    }
    left |= r.lost_focus();
    ui.separator();
    ui.horizontal(|ui| {
        ui.strong("Indexes");
        if ui.button("Add GSI").clicked() {
            let name = table.name.clone();
            let next = (1..)
                .find(|n| table.gsi(&format!("GSI{n}")).is_none())
                .unwrap_or(1);
            actions.edit(format!("Add GSI to {name}"), move |m| {
                m.add_gsi(&name);
            });
            actions.select(Selection::Index {
                table: table.name.clone(),
                index: format!("GSI{next}"),
            });
        }
        if ui.button("Add LSI").clicked() {
            let name =
                crate::model::unique_name("LSI1", |n| table.lsis.iter().any(|l| l.name == n));
            let n = name.clone();
            actions.edit(format!("Add LSI to {}", table.name), move |m| {
                m.tables[t].lsis.push(Lsi {
                    name: n.clone(),
                    sort_key: KeyAttribute::string(format!("{n}SK")),
                    projection: Projection::All,
                });
            });
            actions.select(Selection::Index {
                table: table.name.clone(),
                index: name,
            });
        }
    });
    for v in table.indexes().iter().skip(1) {
        let keys: Vec<&str> = v.key_attributes().map(|k| k.name.as_str()).collect();
        if ui
            .link(format!("{} ({})", v.display_name(), keys.join(", ")))
            .clicked()
        {
            actions.select(Selection::Index {
                table: table.name.clone(),
                index: v.display_name().to_string(),
            });
        }
    }
    ui.separator();
    served_by(ui, panel, &panel.model.tables[t].name.clone(), None);
    if left {
        panel.actions.seal = true;
    }
}

fn billing_row(ui: &mut Ui, panel: &mut PanelCtx, t: usize) {
    let billing = panel.model.tables[t].billing.clone();
    let actions = &mut *panel.actions;
    ui.horizontal(|ui| {
        ui.label("Billing");
        let mut provisioned = matches!(billing, Billing::Provisioned { .. });
        let before = provisioned;
        ui.radio_value(&mut provisioned, false, "On demand");
        ui.radio_value(&mut provisioned, true, "Provisioned");
        if provisioned != before {
            actions.edit("Change billing mode", move |m| {
                m.tables[t].billing = if provisioned {
                    Billing::Provisioned {
                        read_capacity: 5,
                        write_capacity: 5,
                    }
                } else {
                    Billing::OnDemand
                };
            });
        }
        if let Billing::Provisioned {
            read_capacity,
            write_capacity,
        } = billing
        {
            if let Some(r) = number_row(ui, "RCU", read_capacity, 1.0) {
                actions.edit_merging(format!("rcu-{t}"), "Change read capacity", move |m| {
                    if let Billing::Provisioned { read_capacity, .. } = &mut m.tables[t].billing {
                        *read_capacity = r;
                    }
                });
            }
            if let Some(w) = number_row(ui, "WCU", write_capacity, 1.0) {
                actions.edit_merging(format!("wcu-{t}"), "Change write capacity", move |m| {
                    if let Billing::Provisioned { write_capacity, .. } = &mut m.tables[t].billing {
                        *write_capacity = w;
                    }
                });
            }
        }
    });
}

/// Time to live (its attribute) and the table's stream (its view type). Returns
/// whether a text field lost the focus.
fn ttl_and_stream_rows(ui: &mut Ui, panel: &mut PanelCtx, t: usize) -> bool {
    let table = &panel.model.tables[t];
    let actions = &mut *panel.actions;
    let mut left = false;
    ui.horizontal(|ui| {
        let mut on = table.ttl.is_some();
        if ui.checkbox(&mut on, "Time to live").changed() {
            actions.edit(
                if on {
                    "Turn time to live on"
                } else {
                    "Turn time to live off"
                },
                move |m| {
                    m.tables[t].ttl = on.then(|| crate::model::TimeToLive {
                        attribute: "expires_at".into(),
                    });
                },
            );
        }
        if let Some(ttl) = &table.ttl {
            ui.label("attribute");
            if let Some(new) = text_cell(
                ui,
                "Time-to-live attribute",
                &ttl.attribute,
                160.0,
                &mut left,
                ttl.attribute.is_empty(),
            ) {
                actions.edit_merging(
                    format!("table-ttl-{t}"),
                    "Rename time-to-live attribute",
                    move |m| {
                        if let Some(ttl) = &mut m.tables[t].ttl {
                            ttl.attribute = new;
                        }
                    },
                );
            }
            ui.label(RichText::new("a Number of epoch seconds").weak());
        }
    });
    ui.horizontal(|ui| {
        let mut on = table.stream.is_some();
        if ui.checkbox(&mut on, "Stream").changed() {
            actions.edit(
                if on {
                    "Turn the stream on"
                } else {
                    "Turn the stream off"
                },
                move |m| m.tables[t].stream = on.then_some(StreamView::default()),
            );
        }
        if let Some(view) = table.stream {
            let mut v = view;
            let r = egui::ComboBox::from_id_salt(("stream-view", t))
                .selected_text(v.as_str())
                .show_ui(ui, |ui| {
                    for option in StreamView::ALL {
                        ui.selectable_value(&mut v, option, option.as_str());
                    }
                });
            name_widget(ui, &r.response, "Stream view type");
            if v != view {
                actions.edit("Change the stream's view type", move |m| {
                    m.tables[t].stream = Some(v);
                });
            }
        }
    });
    left
}

/// The patterns an index serves, with their key conditions.
fn served_by(ui: &mut Ui, panel: &mut PanelCtx, table: &str, index: Option<&str>) {
    let usage = panel
        .analysis
        .index_usage
        .iter()
        .find(|u| &*u.table == table && u.index.as_deref() == index);
    let Some(usage) = usage else { return };
    ui.strong(format!("Serves {} access pattern(s)", usage.reads.len()));
    for id in &usage.reads {
        let Some(r) = panel.analysis.resolution(id) else {
            continue;
        };
        let plan = r.plan.as_ref();
        ui.horizontal_wrapped(|ui| {
            if ui.link(&**id).clicked() {
                panel.actions.select(Selection::Pattern(id.to_string()));
            }
            if let Some(p) = plan {
                ui.label(
                    RichText::new(format!(
                        "{} {}",
                        p.call.as_str(),
                        p.key_condition.expression()
                    ))
                    .monospace(),
                );
            }
        });
    }
    if !usage.writes.is_empty() {
        ui.label(RichText::new(format!("Written by {}", usage.writes.join(", "))).weak());
    }
}

// ---- indexes ----

fn key_list(ui: &mut Ui, panel: &mut PanelCtx, t: usize, g: usize, sort: bool, left: &mut bool) {
    let gsi = &panel.model.tables[t].gsis[g];
    let keys = if sort {
        &gsi.sort_key
    } else {
        &gsi.partition_key
    };
    let what = if sort { "Sort key" } else { "Partition key" };
    let actions = &mut *panel.actions;
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
            actions.edit(format!("Add {what} attribute"), move |m| {
                let gsi = &mut m.tables[t].gsis[g];
                let list = if sort {
                    &mut gsi.sort_key
                } else {
                    &mut gsi.partition_key
                };
                list.push(KeyAttribute::string(name));
            });
        }
    });
    for (k, key) in keys.iter().enumerate() {
        ui.horizontal(|ui| {
            let label = format!("{} {what} attribute {}", gsi.name, k + 1);
            if let Some(new) = text_cell(ui, &label, &key.name, 160.0, left, false) {
                let (table, old) = (panel.model.tables[t].name.clone(), key.name.clone());
                actions.edit_merging(
                    format!("gsi-key-{t}-{g}-{sort}-{k}"),
                    format!("Rename {what} attribute"),
                    move |m| m.rename_key_attribute(&table, &old, &new),
                );
            }
            if let Some(kt) = key_type_combo(
                ui,
                ("gsi-key-type", t, g, sort, k),
                &format!("{label} type"),
                key.key_type,
            ) {
                actions.edit("Change key type", move |m| {
                    let gsi = &mut m.tables[t].gsis[g];
                    let list = if sort {
                        &mut gsi.sort_key
                    } else {
                        &mut gsi.partition_key
                    };
                    list[k].key_type = kt;
                });
            }
            if (sort || keys.len() > 1)
                && ui
                    .small_button("✖")
                    .on_hover_text("Remove this key attribute")
                    .clicked()
            {
                actions.edit(format!("Remove {what} attribute"), move |m| {
                    let gsi = &mut m.tables[t].gsis[g];
                    let list = if sort {
                        &mut gsi.sort_key
                    } else {
                        &mut gsi.partition_key
                    };
                    list.remove(k);
                });
            }
        });
    }
}

fn projection_editor(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    t: usize,
    current: &Projection,
    set: fn(&mut Model, usize, usize, Projection),
    i: usize,
) {
    let actions = &mut *panel.actions;
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
                actions.edit(format!("Project {label}"), move |m| set(m, t, i, p));
            }
        }
    });
    if let Projection::Include { attributes } = current {
        let table = &panel.model.tables[t].name;
        let mut names: Vec<&str> = panel
            .model
            .entities_of(table)
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
                    actions.edit("Change projected attributes", move |m| {
                        set(m, t, i, Projection::Include { attributes: list })
                    });
                }
            }
        });
    }
}

fn gsi_editor(ui: &mut Ui, panel: &mut PanelCtx, t: usize, g: usize) {
    let table = panel.model.tables[t].name.clone();
    let gsi: Gsi = panel.model.tables[t].gsis[g].clone();
    ui.heading(format!("GSI {} of {table}", gsi.name));
    let mut left = false;
    if let Some(new) = text_row(ui, "Index name", &gsi.name, &mut left) {
        let (tb, old, n) = (table.clone(), gsi.name.clone(), new.clone());
        panel
            .actions
            .edit_merging(format!("gsi-name-{t}-{g}"), "Rename index", move |m| {
                m.rename_index(&tb, &old, &n)
            });
        panel.actions.select(Selection::Index {
            table: table.clone(),
            index: new,
        });
    }
    key_list(ui, panel, t, g, false, &mut left);
    key_list(ui, panel, t, g, true, &mut left);
    projection_editor(
        ui,
        panel,
        t,
        &gsi.projection,
        |m, t, g, p| m.tables[t].gsis[g].projection = p,
        g,
    );
    ui.separator();
    let holders: Vec<&str> = panel
        .model
        .entities_of(&table)
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
    served_by(ui, panel, &table, Some(&gsi.name));
    if left {
        panel.actions.seal = true;
    }
}

fn lsi_editor(ui: &mut Ui, panel: &mut PanelCtx, t: usize, l: usize) {
    let table = panel.model.tables[t].name.clone();
    let lsi = panel.model.tables[t].lsis[l].clone();
    ui.heading(format!("LSI {} of {table}", lsi.name));
    let mut left = false;
    if let Some(new) = text_row(ui, "Index name", &lsi.name, &mut left) {
        let (tb, old, n) = (table.clone(), lsi.name.clone(), new.clone());
        panel
            .actions
            .edit_merging(format!("lsi-name-{t}-{l}"), "Rename index", move |m| {
                m.rename_index(&tb, &old, &n)
            });
        panel.actions.select(Selection::Index {
            table: table.clone(),
            index: new,
        });
    }
    ui.horizontal(|ui| {
        ui.label("Sort key");
        if let Some(new) = text_cell(
            ui,
            "LSI sort key attribute",
            &lsi.sort_key.name,
            160.0,
            &mut left,
            false,
        ) {
            let (tb, old) = (table.clone(), lsi.sort_key.name.clone());
            panel
                .actions
                .edit_merging(format!("lsi-sk-{t}-{l}"), "Rename sort key", move |m| {
                    m.rename_key_attribute(&tb, &old, &new)
                });
        }
        if let Some(kt) = key_type_combo(
            ui,
            ("lsi-type", t, l),
            "LSI sort key type",
            lsi.sort_key.key_type,
        ) {
            panel.actions.edit("Change key type", move |m| {
                m.tables[t].lsis[l].sort_key.key_type = kt
            });
        }
    });
    projection_editor(
        ui,
        panel,
        t,
        &lsi.projection,
        |m, t, l, p| m.tables[t].lsis[l].projection = p,
        l,
    );
    ui.separator();
    served_by(ui, panel, &table, Some(&lsi.name));
    if left {
        panel.actions.seal = true;
    }
}

// ---- entities ----

fn entity_editor(ui: &mut Ui, panel: &mut PanelCtx, e: usize) {
    let entity: Entity = panel.model.entities[e].clone();
    ui.heading(format!("Entity {}", entity.name));
    let mut left = false;
    if let Some(new) = text_row(ui, "Entity name", &entity.name, &mut left) {
        let (old, n) = (entity.name.clone(), new.clone());
        panel
            .actions
            .edit_merging(format!("entity-name-{e}"), "Rename entity", move |m| {
                m.rename_entity(&old, &n)
            });
        panel.actions.select(Selection::Entity(new));
    }
    ui.horizontal(|ui| {
        ui.label("Table");
        let mut table = entity.table.clone();
        let r = egui::ComboBox::from_id_salt(("entity-table", e))
            .selected_text(table.as_str())
            .show_ui(ui, |ui| {
                for t in &panel.model.tables {
                    ui.selectable_value(&mut table, t.name.clone(), t.name.as_str());
                }
            });
        name_widget(ui, &r.response, "Entity table");
        if table != entity.table {
            panel
                .actions
                .edit("Move entity to another table", move |m| {
                    m.entities[e].table = table
                });
        }
    });
    if let Some(n) = number_row(ui, "Estimated items", entity.item_count, 1000.0) {
        panel
            .actions
            .edit_merging(format!("entity-count-{e}"), "Change item count", move |m| {
                m.entities[e].item_count = n
            });
    }

    // Key templates, one per key attribute of the table and its indexes.
    ui.separator();
    ui.strong("Key templates");
    ui.label(RichText::new("Literals and {attribute} placeholders; {n:08} zero-pads. Leave an index's keys empty to keep the entity out of that sparse index.").weak());
    if let Some(table) = panel.model.table(&entity.table) {
        egui::Grid::new(("templates", e))
            .num_columns(3)
            .striped(true)
            .show(ui, |ui| {
                for key in table.key_attribute_names() {
                    let current = entity.keys.get(key).cloned().unwrap_or_default();
                    ui.label(key);
                    let error = template_error(&entity, &current);
                    let label = format!("{} {key} template", entity.name);
                    if let Some(new) =
                        text_cell(ui, &label, &current, 280.0, &mut left, error.is_some())
                    {
                        panel.actions.set_template(e, key, new);
                    }
                    match error {
                        Some(msg) => {
                            ui.label(RichText::new(msg).color(ui.visuals().error_fg_color))
                        }
                        None if current.is_empty() && entity.attribute(key).is_some() => {
                            ui.label(RichText::new(format!("= {{{key}}}")).weak())
                        }
                        None => ui.label(""),
                    };
                    ui.end_row();
                }
            });
    }

    ui.separator();
    attributes_editor(ui, panel, e, &entity, &mut left);
    ui.separator();
    let users: Vec<&AccessPattern> = panel
        .model
        .access_patterns
        .iter()
        .filter(|p| p.entities.contains(&entity.name))
        .collect();
    ui.strong(format!("Used by {} access pattern(s)", users.len()));
    ui.horizontal_wrapped(|ui| {
        for p in users {
            if ui.link(&p.id).on_hover_text(&p.description).clicked() {
                panel.actions.select(Selection::Pattern(p.id.clone()));
            }
        }
    });
    if left {
        panel.actions.seal = true;
    }
}

/// A template's parse error, or a placeholder naming no attribute, in words.
pub(crate) fn template_error(entity: &Entity, text: &str) -> Option<String> {
    if text.is_empty() {
        return None;
    }
    match Template::parse(text) {
        Err(e) => Some(e.to_string()),
        Ok(t) => t
            .unknown_attributes(|a| entity.attribute(a).is_some())
            .first()
            .map(|u| format!("column {}: no attribute `{}`", u.column, u.attribute)),
    }
}

fn generator_kind(g: &Option<Generator>) -> &'static str {
    match g {
        None => "none",
        Some(Generator::Uuid) => "uuid",
        Some(Generator::Sequence { .. }) => "sequence",
        Some(Generator::Email) => "email",
        Some(Generator::Username) => "username",
        Some(Generator::FirstName) => "first name",
        Some(Generator::LastName) => "last name",
        Some(Generator::FullName) => "full name",
        Some(Generator::Words { .. }) => "words",
        Some(Generator::Integer { .. }) => "integer",
        Some(Generator::Decimal { .. }) => "decimal",
        Some(Generator::Boolean { .. }) => "boolean",
        Some(Generator::Timestamp { .. }) => "timestamp",
        Some(Generator::Choice { .. }) => "choice",
        Some(Generator::Constant { .. }) => "constant",
        Some(Generator::Reference { .. }) => "reference",
        Some(Generator::Url { .. }) => "url",
    }
}

fn generator_of_kind(kind: &str) -> Option<Generator> {
    Some(match kind {
        "uuid" => Generator::Uuid,
        "sequence" => Generator::Sequence {
            prefix: String::new(),
            width: 6,
        },
        "email" => Generator::Email,
        "username" => Generator::Username,
        "first name" => Generator::FirstName,
        "last name" => Generator::LastName,
        "full name" => Generator::FullName,
        "words" => Generator::Words { min: 2, max: 6 },
        "integer" => Generator::Integer { min: 0, max: 100 },
        "decimal" => Generator::Decimal {
            min: 1.0,
            max: 100.0,
            scale: 2,
        },
        "boolean" => Generator::Boolean { true_ratio: 0.5 },
        "timestamp" => Generator::Timestamp {
            from: "2024-01-01".into(),
            to: "2025-12-31".into(),
            format: TimestampFormat::Iso8601,
        },
        "choice" => Generator::Choice {
            values: vec!["a".into(), "b".into()],
            weights: Vec::new(),
        },
        "constant" => Generator::Constant {
            value: String::new(),
        },
        "reference" => Generator::Reference {
            entity: String::new(),
            attribute: String::new(),
        },
        "url" => Generator::Url {
            prefix: "https://example.com/".into(),
        },
        _ => return None,
    })
}

const GENERATOR_KINDS: [&str; 17] = [
    "none",
    "uuid",
    "sequence",
    "email",
    "username",
    "first name",
    "last name",
    "full name",
    "words",
    "integer",
    "decimal",
    "boolean",
    "timestamp",
    "choice",
    "constant",
    "reference",
    "url",
];

fn attributes_editor(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    e: usize,
    entity: &Entity,
    left: &mut bool,
) {
    ui.horizontal(|ui| {
        ui.strong("Attributes");
        if ui.button("Add attribute").clicked() {
            let name = crate::model::unique_name("attribute", |n| entity.attribute(n).is_some());
            panel.actions.edit("Add attribute", move |m| {
                m.entities[e]
                    .attributes
                    .push(Attribute::new(name, AttrType::S))
            });
        }
    });
    egui::Grid::new(("attributes", e))
        .num_columns(7)
        .striped(true)
        .show(ui, |ui| {
            for h in [
                "Name",
                "Type",
                "Size (B)",
                "Distinct values",
                "Sample values",
                "",
                "",
            ] {
                ui.label(RichText::new(h).weak());
            }
            ui.end_row();
            for (a, attr) in entity.attributes.iter().enumerate() {
                if let Some(new) = text_cell(
                    ui,
                    &format!("Attribute {} name", attr.name),
                    &attr.name,
                    140.0,
                    left,
                    false,
                ) {
                    let (en, old) = (entity.name.clone(), attr.name.clone());
                    panel.actions.edit_merging(
                        format!("attr-name-{e}-{a}"),
                        "Rename attribute",
                        move |m| m.rename_attribute(&en, &old, &new),
                    );
                }
                let mut ty = attr.attr_type;
                let r = egui::ComboBox::from_id_salt(("attr-type", e, a))
                    .selected_text(ty.as_str())
                    .width(60.0)
                    .show_ui(ui, |ui| {
                        for t in AttrType::ALL {
                            ui.selectable_value(&mut ty, t, t.as_str());
                        }
                    });
                name_widget(ui, &r.response, &format!("Attribute {} type", attr.name));
                if ty != attr.attr_type {
                    panel.actions.edit("Change attribute type", move |m| {
                        m.entities[e].attributes[a].attr_type = ty
                    });
                }
                let mut size = attr.value_size();
                let r = ui.add(egui::DragValue::new(&mut size).speed(1.0));
                name_widget(ui, &r, &format!("Attribute {} size", attr.name));
                if r.changed() {
                    panel.actions.edit_merging(
                        format!("attr-size-{e}-{a}"),
                        "Change attribute size",
                        move |m| m.entities[e].attributes[a].size = Some(size),
                    );
                }
                let mut distinct = attr.distinct_values.unwrap_or(entity.item_count);
                let r = ui.add(egui::DragValue::new(&mut distinct).speed(10.0));
                name_widget(ui, &r, &format!("Attribute {} distinct values", attr.name));
                if r.changed() {
                    panel.actions.edit_merging(
                        format!("attr-distinct-{e}-{a}"),
                        "Change distinct values",
                        move |m| m.entities[e].attributes[a].distinct_values = Some(distinct),
                    );
                }
                let kind = generator_kind(&attr.generator);
                let mut chosen = kind;
                let r = egui::ComboBox::from_id_salt(("attr-gen", e, a))
                    .selected_text(kind)
                    .width(100.0)
                    .show_ui(ui, |ui| {
                        for k in GENERATOR_KINDS {
                            ui.selectable_value(&mut chosen, k, k);
                        }
                    });
                name_widget(
                    ui,
                    &r.response,
                    &format!("Attribute {} sample values", attr.name),
                );
                if chosen != kind {
                    let g = generator_of_kind(chosen);
                    panel.actions.edit("Change sample values", move |m| {
                        m.entities[e].attributes[a].generator = g
                    });
                }
                generator_params(ui, panel, e, a, attr, left);
                if ui
                    .small_button("✖")
                    .on_hover_text(format!("Remove attribute {}", attr.name))
                    .clicked()
                {
                    panel.actions.edit("Remove attribute", move |m| {
                        m.entities[e].attributes.remove(a);
                    });
                }
                ui.end_row();
            }
        });
}

/// The main parameter of a generator, as one compact text field.
fn generator_params(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    e: usize,
    a: usize,
    attr: &Attribute,
    left: &mut bool,
) {
    let text = match &attr.generator {
        Some(Generator::Choice { values, .. }) => values.join(", "),
        Some(Generator::Constant { value }) => value.clone(),
        Some(Generator::Reference { entity, attribute }) => format!("{entity}.{attribute}"),
        Some(Generator::Integer { min, max }) => format!("{min}..{max}"),
        Some(Generator::Decimal { min, max, .. }) => format!("{min}..{max}"),
        Some(Generator::Words { min, max }) => format!("{min}..{max}"),
        Some(Generator::Sequence { prefix, .. }) => prefix.clone(),
        Some(Generator::Url { prefix }) => prefix.clone(),
        Some(Generator::Timestamp { from, to, .. }) => format!("{from}..{to}"),
        _ => {
            ui.label("");
            return;
        }
    };
    let name = format!("Attribute {} sample parameters", attr.name);
    if let Some(new) = text_cell(ui, &name, &text, 150.0, left, false) {
        panel.actions.edit_merging(
            format!("attr-gen-{e}-{a}"),
            "Change sample values",
            move |m| {
                let g = &mut m.entities[e].attributes[a].generator;
                let range = |s: &str| {
                    s.split_once("..")
                        .map(|(x, y)| (x.trim().to_string(), y.trim().to_string()))
                };
                match g {
                    Some(Generator::Choice { values, weights }) => {
                        *values = new
                            .split(',')
                            .map(|v| v.trim().to_string())
                            .filter(|v| !v.is_empty())
                            .collect();
                        weights.clear();
                    }
                    Some(Generator::Constant { value }) => *value = new,
                    Some(Generator::Reference { entity, attribute }) => {
                        if let Some((en, at)) = new.split_once('.') {
                            *entity = en.trim().to_string();
                            *attribute = at.trim().to_string();
                        }
                    }
                    Some(Generator::Integer { min, max }) => {
                        if let Some((x, y)) = range(&new)
                            && let (Ok(x), Ok(y)) = (x.parse(), y.parse())
                        {
                            (*min, *max) = (x, y);
                        }
                    }
                    Some(Generator::Decimal { min, max, .. }) => {
                        if let Some((x, y)) = range(&new)
                            && let (Ok(x), Ok(y)) = (x.parse(), y.parse())
                        {
                            (*min, *max) = (x, y);
                        }
                    }
                    Some(Generator::Words { min, max }) => {
                        if let Some((x, y)) = range(&new)
                            && let (Ok(x), Ok(y)) = (x.parse(), y.parse())
                        {
                            (*min, *max) = (x, y);
                        }
                    }
                    Some(Generator::Sequence { prefix, .. }) | Some(Generator::Url { prefix }) => {
                        *prefix = new
                    }
                    Some(Generator::Timestamp { from, to, .. }) => {
                        if let Some((x, y)) = range(&new) {
                            (*from, *to) = (x, y);
                        }
                    }
                    _ => {}
                }
            },
        );
    }
}

// ---- access patterns ----

fn pattern_editor(ui: &mut Ui, panel: &mut PanelCtx, i: usize) {
    let p: AccessPattern = panel.model.access_patterns[i].clone();
    let resolution = panel.analysis.resolution_at(i, &p.id).cloned();
    ui.horizontal(|ui| {
        if let Some(r) = &resolution {
            ui.label(status_badge(ui, r.status).size(20.0));
        }
        ui.heading(format!("{} — {}", p.id, p.description));
    });
    let mut left = false;
    if let Some(new) = text_row(ui, "Pattern id", &p.id, &mut left) {
        let n = new.clone();
        panel
            .actions
            .edit_merging(format!("ap-id-{i}"), "Rename pattern", move |m| {
                m.access_patterns[i].id = n
            });
        panel.actions.select(Selection::Pattern(new));
    }
    if let Some(new) = text_row(ui, "Description", &p.description, &mut left) {
        panel
            .actions
            .edit_merging(format!("ap-desc-{i}"), "Edit description", move |m| {
                m.access_patterns[i].description = new
            });
    }
    ui.horizontal(|ui| {
        ui.label("Operation");
        let mut op = p.operation;
        let r = egui::ComboBox::from_id_salt(("ap-op", i))
            .selected_text(op.as_str())
            .show_ui(ui, |ui| {
                for o in Operation::ALL {
                    ui.selectable_value(&mut op, o, o.as_str());
                }
            });
        name_widget(ui, &r.response, "Operation");
        if op != p.operation {
            panel.actions.edit("Change operation", move |m| {
                m.access_patterns[i].operation = op
            });
        }
    });
    // Entities: the first is the primary one.
    ui.horizontal_wrapped(|ui| {
        ui.label("Entities");
        for (k, name) in p.entities.iter().enumerate() {
            let mut chosen = name.clone();
            let r = egui::ComboBox::from_id_salt(("ap-entity", i, k))
                .selected_text(chosen.as_str())
                .show_ui(ui, |ui| {
                    for e in &panel.model.entities {
                        ui.selectable_value(&mut chosen, e.name.clone(), e.name.as_str());
                    }
                });
            name_widget(ui, &r.response, &format!("Entity {}", k + 1));
            if &chosen != name {
                panel.actions.edit("Change entity", move |m| {
                    m.access_patterns[i].entities[k] = chosen
                });
            }
            if ui
                .small_button("✖")
                .on_hover_text(format!("Remove {name}"))
                .clicked()
            {
                panel.actions.edit("Remove entity", move |m| {
                    m.access_patterns[i].entities.remove(k);
                });
            }
        }
        if let Some(first) = panel.model.entities.first()
            && ui
                .small_button("➕")
                .on_hover_text("Add an entity")
                .clicked()
        {
            let name = first.name.clone();
            panel.actions.edit("Add entity", move |m| {
                m.access_patterns[i].entities.push(name)
            });
        }
    });
    // Inputs: attributes of the pattern's entities known at call time.
    let mut attrs: Vec<&str> = p
        .entities
        .iter()
        .filter_map(|n| panel.model.entity(n))
        .flat_map(|e| e.attributes.iter().map(|a| a.name.as_str()))
        .collect();
    let mut seen = std::collections::BTreeSet::new();
    attrs.retain(|a| seen.insert(*a));
    ui.horizontal_wrapped(|ui| {
        ui.label("Known at call time");
        for a in &attrs {
            let mut on = p.inputs.iter().any(|x| x == a);
            if ui.checkbox(&mut on, *a).changed() {
                let a = a.to_string();
                panel
                    .actions
                    .edit(if on { "Add input" } else { "Remove input" }, move |m| {
                        let inputs = &mut m.access_patterns[i].inputs;
                        if on {
                            inputs.push(a);
                        } else {
                            inputs.retain(|x| *x != a);
                        }
                    });
            }
        }
    });
    ui.horizontal(|ui| {
        ui.label("Range condition");
        let mut attr = p
            .range
            .as_ref()
            .map(|r| r.attribute.clone())
            .unwrap_or_default();
        let r = egui::ComboBox::from_id_salt(("ap-range", i))
            .selected_text(if attr.is_empty() {
                "none"
            } else {
                attr.as_str()
            })
            .show_ui(ui, |ui| {
                ui.selectable_value(&mut attr, String::new(), "none");
                for a in &attrs {
                    ui.selectable_value(&mut attr, a.to_string(), *a);
                }
            });
        name_widget(ui, &r.response, "Range attribute");
        let mut op = p.range.as_ref().map(|r| r.op).unwrap_or(RangeOp::Between);
        if !attr.is_empty() {
            let r = egui::ComboBox::from_id_salt(("ap-range-op", i))
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
            panel.actions.edit("Change range condition", move |m| {
                m.access_patterns[i].range = new
            });
        }
        let mut sort = p.sort;
        ui.radio_value(&mut sort, SortOrder::Ascending, "ascending");
        ui.radio_value(&mut sort, SortOrder::Descending, "descending");
        if sort != p.sort {
            panel.actions.edit("Change sort order", move |m| {
                m.access_patterns[i].sort = sort
            });
        }
    });
    ui.horizontal(|ui| {
        if let Some(n) = number_row(ui, "Items returned", p.items, 1.0) {
            panel.actions.edit_merging(
                format!("ap-items-{i}"),
                "Change items returned",
                move |m| m.access_patterns[i].items = n,
            );
        }
        if let Some(n) = number_row(ui, "Peak RPS", p.peak_rps, 1.0) {
            panel
                .actions
                .edit_merging(format!("ap-peak-{i}"), "Change peak RPS", move |m| {
                    m.access_patterns[i].peak_rps = n
                });
        }
        if let Some(n) = number_row(ui, "Average RPS", p.average_rps, 1.0) {
            panel
                .actions
                .edit_merging(format!("ap-avg-{i}"), "Change average RPS", move |m| {
                    m.access_patterns[i].average_rps = n
                });
        }
        let mut strong = p.consistency == Consistency::Strong;
        if ui.checkbox(&mut strong, "Strongly consistent").changed() {
            panel.actions.edit("Change consistency", move |m| {
                m.access_patterns[i].consistency = if strong {
                    Consistency::Strong
                } else {
                    Consistency::Eventual
                }
            });
        }
    });
    ui.horizontal(|ui| {
        let mut outside = p.outside_dynamodb.is_some();
        if ui
            .checkbox(&mut outside, "Served outside DynamoDB")
            .changed()
        {
            panel
                .actions
                .edit("Change where the pattern is served", move |m| {
                    m.access_patterns[i].outside_dynamodb =
                        outside.then(|| "Served by another service".to_string())
                });
        }
        if let Some(reason) = &p.outside_dynamodb
            && let Some(new) = text_cell(
                ui,
                "Reason it is served outside DynamoDB",
                reason,
                360.0,
                &mut left,
                false,
            )
        {
            panel
                .actions
                .edit_merging(format!("ap-outside-{i}"), "Edit reason", move |m| {
                    m.access_patterns[i].outside_dynamodb = Some(new)
                });
        }
    });
    // The pinned index.
    let table = p
        .primary_entity()
        .and_then(|e| panel.model.entity(e))
        .and_then(|e| panel.model.table(&e.table));
    ui.horizontal(|ui| {
        ui.label("Index");
        let mut pinned = p.index.clone().unwrap_or_default();
        let r = egui::ComboBox::from_id_salt(("ap-index", i))
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
            panel
                .actions
                .edit("Pin index", move |m| m.access_patterns[i].index = new);
        }
    });
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
            .edit_merging(format!("ap-notes-{i}"), "Edit notes", move |m| {
                m.access_patterns[i].notes = notes
            });
    }
    left |= r.lost_focus();
    if let Some(source) = &p.source {
        imported_command(ui, panel.model, &p, source);
    }

    ui.separator();
    if let Some(r) = resolution {
        resolution_view(ui, panel, &p, &r);
    }
    if left {
        panel.actions.seal = true;
    }
}

/// The command an imported pattern came with, and whether the MCP export still
/// writes it back as it came.
fn imported_command(
    ui: &mut Ui,
    model: &crate::model::Model,
    pattern: &AccessPattern,
    source: &crate::model::SourceCall,
) {
    ui.add_space(4.0);
    let unchanged = crate::export::mcp_json::source_digest(model, pattern) == source.digest;
    ui.horizontal_wrapped(|ui| {
        ui.strong("Imported command");
        ui.label(
            RichText::new(if unchanged {
                "written back as it came by the MCP export"
            } else {
                "the pattern changed since: the MCP export writes a new command"
            })
            .weak(),
        );
    });
    let mut text = source.command.clone();
    let r = ui.add(
        egui::TextEdit::multiline(&mut text)
            .code_editor()
            .interactive(false)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    name_widget(ui, &r, "Imported command");
}

fn plan_line(ui: &mut Ui, plan: &Plan, pattern: &AccessPattern) {
    ui.label(RichText::new(format!("{} on {}", plan.call.as_str(), plan.index_label())).strong());
    if !plan.key_condition.is_empty() {
        ui.label(RichText::new(plan.key_condition.expression()).monospace());
        ui.label(
            RichText::new(plan.key_condition.values_text())
                .monospace()
                .weak(),
        );
    }
    let mut notes = Vec::new();
    if !plan.filters.is_empty() {
        notes.push(format!("filter on {}", plan.filters.join(", ")));
    }
    if !plan.selective {
        notes.push("other entities share the key condition".into());
    }
    notes.push(format!(
        "reads ~{:.0} items ({:.1}× what it returns), {} RCU per call",
        plan.items_read,
        plan.amplification(pattern.items),
        plan.read_units
    ));
    ui.label(RichText::new(notes.join(" · ")).weak());
}

fn resolution_view(
    ui: &mut Ui,
    panel: &mut PanelCtx,
    p: &AccessPattern,
    r: &crate::analysis::Resolution,
) {
    ui.horizontal(|ui| {
        ui.label(status_badge(ui, r.status));
        ui.strong(format!("Resolution: {}", r.status.label()));
    });
    match r.status {
        Status::Outside => {
            ui.label(p.outside_dynamodb.clone().unwrap_or_default());
        }
        Status::Write => {
            let targets: Vec<String> = r
                .writes
                .iter()
                .map(|w| {
                    format!(
                        "{} ({:.0} WCU)",
                        w.index.clone().unwrap_or_else(|| w.table.clone()),
                        w.write_units
                    )
                })
                .collect();
            ui.label(format!(
                "{} updates {}",
                p.operation.as_str(),
                targets.join(", ")
            ));
        }
        _ => {}
    }
    if let Some(problem) = &r.problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
    if let Some(note) = &r.note {
        ui.label(RichText::new(note).italics());
    }
    if let Some(plan) = &r.plan {
        egui::Frame::group(ui.style()).show(ui, |ui| plan_line(ui, plan, p));
    }
    if !r.alternatives.is_empty() {
        ui.label(RichText::new("Alternatives").weak());
        for alt in &r.alternatives {
            ui.horizontal(|ui| {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.vertical(|ui| plan_line(ui, alt, p));
                });
                if ui
                    .button("Pin")
                    .on_hover_text(format!("Serve {} from {}", p.id, alt.index_label()))
                    .clicked()
                {
                    let (i, name) = (
                        panel
                            .model
                            .access_patterns
                            .iter()
                            .position(|x| x.id == p.id)
                            .unwrap_or(0),
                        alt.index_label().to_string(),
                    );
                    panel.actions.edit(format!("Pin {}", name), move |m| {
                        m.access_patterns[i].index = Some(name)
                    });
                }
            });
        }
    }
}
