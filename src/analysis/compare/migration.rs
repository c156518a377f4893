//! The migration from one design to another, as DynamoDB would have to run it
//! on live tables: what UpdateTable can do in place (GSIs, time to live, streams,
//! billing), what needs a new table and a copy (key schema, LSIs, a rename), and
//! which items must be written again because their keys changed.
//!
//! Estimates, each checkable by hand: an item written costs one write unit per
//! started KB of the item, plus one per started KB of its entry in every index
//! of the design it is written under; a backfill writes each item that has the
//! new index's keys once into the index; time is write units over the write rate.

use serde::{Deserialize, Serialize};

use super::matching::Matching;
use crate::analysis::context::Context;
use crate::analysis::cost::WRITE_PRICE_PER_MILLION;
use crate::analysis::format;
use crate::analysis::resolve::WRITE_UNIT_BYTES;
use crate::model::schema::{IndexSpec, TableSpec, normalized};
use crate::model::{Billing, Entity, Model, Projection, StreamView};

/// The write rate a plan assumes unless told otherwise, in write units a second.
pub const DEFAULT_WRITE_RATE: f64 = 1000.0;

/// What one step does, as DynamoDB is asked for it.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "action", rename_all = "snake_case")]
pub enum Action {
    /// CreateTable: a table the old design does not have.
    CreateTable { table: String },
    /// A table whose key schema, LSIs or name changed: DynamoDB changes none of
    /// these in place, so a new table is created and the items copied into it.
    RebuildTable { table: String, reasons: Vec<String> },
    /// UpdateTable with a GSI Create; DynamoDB backfills it from the table.
    CreateGsi { table: String, index: String },
    /// UpdateTable with a GSI Delete.
    DeleteGsi { table: String, index: String },
    /// UpdateTable with a GSI's ProvisionedThroughput.
    UpdateGsiCapacity { table: String, index: String },
    /// UpdateTable BillingMode.
    UpdateBilling {
        table: String,
        from: String,
        to: String,
    },
    /// UpdateTimeToLive (a change of attribute is a disable, then an enable).
    UpdateTimeToLive {
        table: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// UpdateTable StreamSpecification (a change of view is a disable, then an enable).
    UpdateStream {
        table: String,
        from: Option<StreamView>,
        to: Option<StreamView>,
    },
    /// An entity's items read from one table and written into another.
    CopyItems {
        entity: String,
        from_table: String,
        to_table: String,
    },
    /// An entity's items written again in place because key values changed.
    RewriteItems {
        entity: String,
        table: String,
        keys: Vec<String>,
    },
    /// An entity the new design drops, in a table it keeps: its items deleted.
    DeleteItems { entity: String, table: String },
    /// DeleteTable, once nothing reads the old table.
    DeleteTable { table: String },
}

impl Action {
    /// Whether DynamoDB can take this step while the application serves traffic
    /// without a switch-over.
    pub fn online(&self) -> bool {
        !matches!(self, Action::RebuildTable { .. })
    }

    /// The table the step acts on (the new design's name where it has one).
    pub fn table(&self) -> &str {
        match self {
            Action::CreateTable { table }
            | Action::RebuildTable { table, .. }
            | Action::CreateGsi { table, .. }
            | Action::DeleteGsi { table, .. }
            | Action::UpdateGsiCapacity { table, .. }
            | Action::UpdateBilling { table, .. }
            | Action::UpdateTimeToLive { table, .. }
            | Action::UpdateStream { table, .. }
            | Action::RewriteItems { table, .. }
            | Action::DeleteItems { table, .. }
            | Action::DeleteTable { table } => table,
            Action::CopyItems { to_table, .. } => to_table,
        }
    }

    /// One line: `create GSI GSI1 on Orders`.
    pub fn describe(&self) -> String {
        let or_off = |v: &Option<String>| v.clone().unwrap_or_else(|| "off".into());
        let view = |v: &Option<StreamView>| v.map_or("off", |v| v.as_str()).to_string();
        match self {
            Action::CreateTable { table } => format!("create table {table}"),
            Action::RebuildTable { table, reasons } => {
                format!("rebuild table {table} ({})", reasons.join("; "))
            }
            Action::CreateGsi { table, index } => format!("create GSI {index} on {table}"),
            Action::DeleteGsi { table, index } => format!("delete GSI {index} of {table}"),
            Action::UpdateGsiCapacity { table, index } => {
                format!("update the capacity of GSI {index} of {table}")
            }
            Action::UpdateBilling { table, from, to } => {
                format!("switch {table} from {from} to {to}")
            }
            Action::UpdateTimeToLive { table, from, to } => {
                format!("time to live on {table}: {} → {}", or_off(from), or_off(to))
            }
            Action::UpdateStream { table, from, to } => {
                format!("stream on {table}: {} → {}", view(from), view(to))
            }
            Action::CopyItems {
                entity,
                from_table,
                to_table,
            } if from_table == to_table => {
                format!("copy {entity} items from the old {from_table} into the new one")
            }
            Action::CopyItems {
                entity,
                from_table,
                to_table,
            } => format!("copy {entity} items from {from_table} to {to_table}"),
            Action::RewriteItems {
                entity,
                table,
                keys,
            } => format!(
                "rewrite {entity} items in {table} (new {})",
                keys.join(", ")
            ),
            Action::DeleteItems { entity, table } => format!("delete {entity} items from {table}"),
            Action::DeleteTable { table } => format!("delete table {table}"),
        }
    }
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Step {
    #[serde(flatten)]
    pub action: Action,
    pub online: bool,
    /// Items written (copied, rewritten, backfilled or deleted).
    pub items: u64,
    /// Write units the step consumes.
    pub write_units: f64,
    /// On-demand price of those write units.
    pub cost: f64,
    /// Time at the plan's write rate.
    pub seconds: f64,
    /// How the figures were reached, or what to watch for.
    pub note: String,
}

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct MigrationPlan {
    /// Write units a second the times assume.
    pub write_rate: f64,
    pub steps: Vec<Step>,
}

impl MigrationPlan {
    pub fn write_units(&self) -> f64 {
        self.steps.iter().map(|s| s.write_units).sum()
    }

    pub fn cost(&self) -> f64 {
        self.steps.iter().map(|s| s.cost).sum()
    }

    pub fn seconds(&self) -> f64 {
        self.steps.iter().map(|s| s.seconds).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.steps.is_empty()
    }
}

/// The steps that turn table `have` into table `want`, in the order DynamoDB
/// takes them, without estimates: what the deployer runs against an endpoint and
/// what [`plan`] estimates. A table renamed or with another key schema or other
/// LSIs is one `RebuildTable`.
pub fn table_steps(have: Option<&TableSpec>, want: Option<&TableSpec>) -> Vec<Action> {
    let (have, want) = match (have, want) {
        (None, None) => return Vec::new(),
        (None, Some(want)) => {
            return vec![Action::CreateTable {
                table: want.name.clone(),
            }];
        }
        (Some(have), None) => {
            return vec![Action::DeleteTable {
                table: have.name.clone(),
            }];
        }
        (Some(have), Some(want)) => (have, want),
    };
    let table = want.name.clone();
    let reasons = rebuild_reasons(have, want);
    if !reasons.is_empty() {
        return vec![Action::RebuildTable { table, reasons }];
    }
    let mut out = Vec::new();
    if have.billing != want.billing {
        out.push(Action::UpdateBilling {
            table: table.clone(),
            from: billing_name(&have.billing).into(),
            to: billing_name(&want.billing).into(),
        });
    }
    for w in &want.gsis {
        match have.gsi(&w.name) {
            None => out.push(Action::CreateGsi {
                table: table.clone(),
                index: w.name.clone(),
            }),
            Some(h) if gsi_reshaped(have, h, want, w) => {
                out.push(Action::DeleteGsi {
                    table: table.clone(),
                    index: w.name.clone(),
                });
                out.push(Action::CreateGsi {
                    table: table.clone(),
                    index: w.name.clone(),
                });
            }
            Some(h) if h.provisioned != w.provisioned && want.billing != Billing::OnDemand => out
                .push(Action::UpdateGsiCapacity {
                    table: table.clone(),
                    index: w.name.clone(),
                }),
            Some(_) => {}
        }
    }
    if have.ttl != want.ttl {
        out.push(Action::UpdateTimeToLive {
            table: table.clone(),
            from: have.ttl.clone(),
            to: want.ttl.clone(),
        });
    }
    if have.stream != want.stream {
        out.push(Action::UpdateStream {
            table: table.clone(),
            from: have.stream,
            to: want.stream,
        });
    }
    for h in &have.gsis {
        if want.gsi(&h.name).is_none() {
            out.push(Action::DeleteGsi {
                table: table.clone(),
                index: h.name.clone(),
            });
        }
    }
    out
}

fn billing_name(billing: &Billing) -> &'static str {
    match billing {
        Billing::OnDemand => "on-demand",
        Billing::Provisioned { .. } => "provisioned",
    }
}

/// Why a table cannot become the other in place; empty when it can.
fn rebuild_reasons(have: &TableSpec, want: &TableSpec) -> Vec<String> {
    let mut out = Vec::new();
    if have.name != want.name {
        out.push(format!("renamed from {}", have.name));
    }
    let key_type = |spec: &TableSpec, name: &str| {
        spec.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.key_type)
    };
    let keys = |spec: &TableSpec| {
        let mut text = format!(
            "{} ({})",
            spec.partition_key,
            key_type(spec, &spec.partition_key).map_or("?", |t| t.as_str())
        );
        if let Some(sk) = &spec.sort_key {
            text.push_str(&format!(
                ", {sk} ({})",
                key_type(spec, sk).map_or("?", |t| t.as_str())
            ));
        }
        text
    };
    if keys(have) != keys(want) {
        out.push(format!("key schema {} → {}", keys(have), keys(want)));
    }
    let lsis = |spec: &TableSpec| -> Vec<(String, Vec<String>, Projection)> {
        let mut v: Vec<_> = spec
            .lsis
            .iter()
            .map(|l| {
                (
                    l.name.clone(),
                    l.sort_key.clone(),
                    normalized(&l.projection),
                )
            })
            .collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v
    };
    if lsis(have) != lsis(want) {
        out.push("local secondary indexes changed (only CreateTable makes them)".into());
    }
    out
}

/// A GSI whose keys (names or types) or projection changed: DynamoDB makes it again.
fn gsi_reshaped(
    have_table: &TableSpec,
    have: &IndexSpec,
    want_table: &TableSpec,
    want: &IndexSpec,
) -> bool {
    let key_type = |spec: &TableSpec, name: &str| {
        spec.attributes
            .iter()
            .find(|a| a.name == name)
            .map(|a| a.key_type)
    };
    have.partition_key != want.partition_key
        || have.sort_key != want.sort_key
        || want
            .partition_key
            .iter()
            .chain(&want.sort_key)
            .any(|k| key_type(have_table, k) != key_type(want_table, k))
        || normalized(&have.projection) != normalized(&want.projection)
}

/// The plan from `old` to `new`, with every step's items, write units, price and
/// time at `write_rate` write units a second.
pub fn plan<'m>(
    old: &Context<'m>,
    new: &Context<'m>,
    matching: &Matching,
    write_rate: f64,
) -> MigrationPlan {
    let write_rate = if write_rate > 0.0 {
        write_rate
    } else {
        DEFAULT_WRITE_RATE
    };
    // Whether each new table is rebuilt (or new): every item it holds is then copied.
    let mut rebuilt = vec![true; new.model.tables.len()];
    for (o, n) in matching.tables.iter().filter_map(|p| p.both()) {
        rebuilt[n] = !rebuild_reasons(
            &TableSpec::from_model(&old.model.tables[o]),
            &TableSpec::from_model(&new.model.tables[n]),
        )
        .is_empty();
    }
    let mut planner = Planner {
        old,
        new,
        matching,
        write_rate,
        rebuilt,
        creates: Vec::new(),
        moves: Vec::new(),
        deletes: Vec::new(),
    };
    planner.tables();
    planner.entities();
    let mut steps = planner.creates;
    steps.extend(planner.moves);
    steps.extend(planner.deletes);
    MigrationPlan { write_rate, steps }
}

struct Planner<'a, 'm> {
    old: &'a Context<'m>,
    new: &'a Context<'m>,
    matching: &'a Matching,
    write_rate: f64,
    /// For each new table: whether it is rebuilt or new.
    rebuilt: Vec<bool>,
    /// Tables, indexes and settings, before any item moves.
    creates: Vec<Step>,
    /// Items copied, rewritten and deleted.
    moves: Vec<Step>,
    /// Indexes and tables removed once nothing uses them.
    deletes: Vec<Step>,
}

impl Planner<'_, '_> {
    fn step(&self, action: Action, items: u64, write_units: f64, note: String) -> Step {
        Step {
            online: action.online(),
            action,
            items,
            write_units,
            cost: write_units / 1e6 * WRITE_PRICE_PER_MILLION,
            seconds: write_units / self.write_rate,
            note,
        }
    }

    fn model_old(&self) -> &Model {
        self.old.model
    }

    fn model_new(&self) -> &Model {
        self.new.model
    }

    /// Whether the new design rebuilds (or newly creates) the table at new
    /// position `new_table`: every item it holds is then copied.
    fn rebuilt(&self, new_table: usize) -> bool {
        self.rebuilt[new_table]
    }

    fn tables(&mut self) {
        for pair in &self.matching.tables {
            let have = pair
                .old
                .map(|o| TableSpec::from_model(&self.model_old().tables[o]));
            let want = pair
                .new
                .map(|n| TableSpec::from_model(&self.model_new().tables[n]));
            for action in table_steps(have.as_ref(), want.as_ref()) {
                let step = match &action {
                    Action::CreateGsi { index, .. } => {
                        let (items, units) = self.backfill(pair.old, pair.new, index);
                        let note = format!(
                            "backfill: {} already {} its keys; {} (one per started KB of each \
                             index entry)",
                            format::plural(items as usize, "item", "items"),
                            if items == 1 { "carries" } else { "carry" },
                            units_text(units)
                        );
                        self.step(action, items, units, note)
                    }
                    Action::DeleteGsi { .. } => self.step(
                        action,
                        0,
                        0.0,
                        "once no pattern of the old design reads it".into(),
                    ),
                    Action::DeleteTable { .. } => self.step(
                        action,
                        0,
                        0.0,
                        "after its items are copied and the application has switched".into(),
                    ),
                    Action::RebuildTable { .. } => self.step(
                        action,
                        0,
                        0.0,
                        "DynamoDB changes none of this in place: create the new table beside \
                         the old one (under a temporary name, as a region holds one table of \
                         a name), copy the items below, switch the application, then delete \
                         the old table"
                            .into(),
                    ),
                    Action::UpdateTimeToLive { .. } | Action::UpdateStream { .. } => self.step(
                        action,
                        0,
                        0.0,
                        "a change of attribute or view is a disable, then an enable".into(),
                    ),
                    _ => self.step(action, 0, 0.0, String::new()),
                };
                match step.action {
                    Action::DeleteGsi { .. } | Action::DeleteTable { .. }
                        if !self.reshaped_gsi(&step.action) =>
                    {
                        self.deletes.push(step)
                    }
                    _ => self.creates.push(step),
                }
            }
            // A rebuilt or renamed table leaves the old one to delete.
            if let (Some(o), Some(n)) = (pair.old, pair.new)
                && self.rebuilt(n)
            {
                let table = self.model_old().tables[o].name.clone();
                let step = self.step(
                    Action::DeleteTable { table },
                    0,
                    0.0,
                    "the old version, once its items are copied into the rebuilt table and \
                     the application has switched"
                        .into(),
                );
                self.deletes.push(step);
            }
        }
    }

    /// A DeleteGsi that is the first half of making a GSI again (the new design
    /// has one of that name): it stays beside its CreateGsi.
    fn reshaped_gsi(&self, action: &Action) -> bool {
        let Action::DeleteGsi { table, index } = action else {
            return false;
        };
        self.model_new()
            .tables
            .iter()
            .any(|t| &t.name == table && t.gsis.iter().any(|g| &g.name == index))
    }

    /// Items a new GSI is backfilled with, and the write units: items of the old
    /// table whose old shape has every key attribute of the index, each written
    /// at its new entry size.
    fn backfill(
        &self,
        old_table: Option<usize>,
        new_table: Option<usize>,
        index: &str,
    ) -> (u64, f64) {
        let (Some(o), Some(n)) = (old_table, new_table) else {
            return (0, 0.0);
        };
        let table = &self.new.tables[n];
        let Some(ix) = table
            .index_names
            .iter()
            .position(|x| x.as_deref() == Some(index))
        else {
            return (0, 0.0);
        };
        let keys: Vec<&str> = {
            let view = &table.indexes[ix];
            view.partition_key
                .iter()
                .chain(&view.sort_key)
                .map(|k| k.name.as_str())
                .collect()
        };
        let mut items = 0u64;
        let mut units = 0.0;
        for &oe in &self.old.tables[o].entities {
            let old_entity = self.old.entities[oe].entity;
            if !keys.iter().all(|k| has_attribute(old_entity, k)) {
                continue;
            }
            let size = match self.matching.old_entity_to_new[oe] {
                Some(ne) if self.new.entities[ne].table == Some(n) => {
                    self.new.entities[ne].index_size[ix]
                }
                _ => self.old.entities[oe].item_size,
            };
            items += old_entity.item_count;
            units += old_entity.item_count as f64 * write_units(size);
        }
        (items, units)
    }

    fn entities(&mut self) {
        for pair in self.matching.entities.clone() {
            match (pair.old, pair.new) {
                (Some(o), Some(n)) => self.entity_moves(o, n),
                (Some(o), None) => self.dropped_entity(o),
                _ => {}
            }
        }
    }

    fn entity_moves(&mut self, o: usize, n: usize) {
        let (old_info, new_info) = (&self.old.entities[o], &self.new.entities[n]);
        let (Some(ot), Some(nt)) = (old_info.table, new_info.table) else {
            return;
        };
        let entity = new_info.entity;
        let items = entity.item_count;
        let put = self.put_units(n);
        let same_table = self.matching.old_table_to_new[ot] == Some(nt);
        if !same_table || self.rebuilt(nt) {
            let from_table = self.model_old().tables[ot].name.clone();
            let to_table = self.model_new().tables[nt].name.clone();
            // The old table stays: its items are deleted there too.
            let old_stays = self.matching.old_table_to_new[ot].is_some_and(|t| !self.rebuilt(t));
            let delete = if old_stays { self.delete_units(o) } else { 0.0 };
            let units = items as f64 * (put + delete);
            let note = if old_stays {
                format!(
                    "{} × ({} to write + {} to delete from {from_table})",
                    format::plural(items as usize, "item", "items"),
                    units_text(put),
                    units_text(delete)
                )
            } else {
                format!(
                    "{} × {} (the item and its index entries)",
                    format::plural(items as usize, "item", "items"),
                    units_text(put)
                )
            };
            let action = Action::CopyItems {
                entity: entity.name.clone(),
                from_table,
                to_table,
            };
            let step = self.step(action, items, units, note);
            self.moves.push(step);
            return;
        }
        // Same table, same key schema: items whose key values change are written again.
        let old_entity = old_info.entity;
        let table = &self.model_new().tables[nt];
        let primary: Vec<&str> = std::iter::once(table.partition_key.name.as_str())
            .chain(table.sort_key.iter().map(|k| k.name.as_str()))
            .collect();
        let mut changed: Vec<String> = entity
            .keys
            .iter()
            .filter(|(k, v)| old_entity.keys.get(*k) != Some(v))
            .map(|(k, _)| k.clone())
            .collect();
        changed.extend(
            old_entity
                .keys
                .keys()
                .filter(|k| !entity.keys.contains_key(*k))
                .cloned(),
        );
        changed.sort();
        changed.dedup();
        if changed.is_empty() {
            return;
        }
        let moves_item = changed.iter().any(|k| primary.contains(&k.as_str()));
        let (units, note) = if moves_item {
            let delete = self.delete_units(o);
            (
                items as f64 * (put + delete),
                format!(
                    "its primary key changes: {} × ({} to put + {} to delete)",
                    format::plural(items as usize, "item", "items"),
                    units_text(put),
                    units_text(delete)
                ),
            )
        } else {
            (
                items as f64 * put,
                format!(
                    "an UpdateItem each: {} × {} (the item and its index entries)",
                    format::plural(items as usize, "item", "items"),
                    units_text(put)
                ),
            )
        };
        let action = Action::RewriteItems {
            entity: entity.name.clone(),
            table: table.name.clone(),
            keys: changed,
        };
        let step = self.step(action, items, units, note);
        self.moves.push(step);
    }

    fn dropped_entity(&mut self, o: usize) {
        let info = &self.old.entities[o];
        let Some(ot) = info.table else { return };
        // A table that goes (or is rebuilt) takes its items with it.
        let Some(nt) = self.matching.old_table_to_new[ot] else {
            return;
        };
        if self.rebuilt(nt) {
            return;
        }
        let items = info.entity.item_count;
        let delete = self.delete_units(o);
        let action = Action::DeleteItems {
            entity: info.entity.name.clone(),
            table: self.model_new().tables[nt].name.clone(),
        };
        let note = format!(
            "{} × {}",
            format::plural(items as usize, "item", "items"),
            units_text(delete)
        );
        let step = self.step(action, items, items as f64 * delete, note);
        self.moves.push(step);
    }

    /// Write units of putting one item of new entity `n`: the item, plus its
    /// entry in each index of the new design it has one in.
    fn put_units(&self, n: usize) -> f64 {
        item_units(&self.new.entities[n])
    }

    /// Write units of deleting one item of old entity `o` from the old design.
    fn delete_units(&self, o: usize) -> f64 {
        item_units(&self.old.entities[o])
    }
}

/// Write units of writing (or deleting) one item of an entity: the item, plus
/// its entry in each index of its table it has one in.
fn item_units(info: &crate::analysis::context::EntityInfo) -> f64 {
    info.in_index
        .iter()
        .zip(&info.index_size)
        .filter(|(present, _)| **present)
        .map(|(_, &size)| write_units(size))
        .sum()
}

/// `3 write units`, `1 write unit`.
fn units_text(n: f64) -> String {
    if n == 1.0 {
        "1 write unit".to_string()
    } else {
        format!("{} write units", format::number(n))
    }
}

/// One write unit per started KB, at least one.
fn write_units(size: f64) -> f64 {
    (size / WRITE_UNIT_BYTES).ceil().max(1.0)
}

/// Whether the entity's items carry the attribute (a key it writes or an attribute).
fn has_attribute(entity: &Entity, name: &str) -> bool {
    entity.keys.contains_key(name) || entity.attributes.iter().any(|a| a.name == name)
}
