//! Partition-key distribution: load per partition against DynamoDB's 3,000 RCU and
//! 1,000 WCU, constant partition keys, and keys with few distinct values.

use std::cell::OnceCell;

use crate::analysis::fxhash::FxHashMap as HashMap;

use super::{Input, Message, finding, index_label, thousands};
use crate::analysis::findings::{Finding, Location, Severity};
use crate::analysis::partitions::{LoadKind, PartitionGroup, PartitionReport};

/// A partition key with at most this many values over many items is low-cardinality.
const LOW_CARDINALITY: f64 = 10.0;
const LOW_CARDINALITY_MIN_ITEMS: f64 = 1000.0;

pub fn check(input: &Input, partitions: &PartitionReport, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    for group in &partitions.groups {
        for kind in [LoadKind::Read, LoadKind::Write] {
            let units = match kind {
                LoadKind::Read => group.read_units,
                LoadKind::Write => group.write_units,
            };
            let share = units / kind.limit();
            let severity = if share > 1.0 {
                Severity::Error
            } else if share > 0.5 {
                Severity::Warning
            } else {
                continue;
            };
            out.push(finding(
                "partition.hot",
                severity,
                group_location(group),
                format!(
                    "{} partitions keyed {} take ~{} {}/s at peak ({}), {:.0}% of the {} a partition serves",
                    group.label(),
                    group.key,
                    thousands(units),
                    kind.unit(),
                    group.patterns.join(", "),
                    share * 100.0,
                    thousands(kind.limit())
                ),
                "spread the key: add a higher-cardinality attribute or a shard suffix, or cache the reads",
            ));
        }
    }

    shared_partitions(partitions, out);

    // Looked up only to word a finding: built the first time one needs it.
    let groups: OnceCell<HashMap<(usize, usize, &str), &PartitionGroup>> = OnceCell::new();
    let group_of = |t: usize, ix: usize, key: &str| {
        groups
            .get_or_init(|| {
                partitions
                    .groups
                    .iter()
                    .map(|g| ((g.table_pos, g.index_pos, g.key.as_str()), g))
                    .collect()
            })
            .get(&(t, ix, key))
            .copied()
    };
    for (e, info) in ctx.entities.iter().enumerate() {
        let Some(t) = info.table else { continue };
        for (ix, view) in ctx.tables[t].indexes.iter().enumerate() {
            if !info.in_index[ix] || (ix > 0 && view.kind == crate::model::IndexKind::Lsi) {
                continue;
            }
            let templates = || {
                view.partition_key
                    .iter()
                    .filter_map(|k| ctx.template(e, &k.name).map(|t| (k.name.as_str(), t)))
            };
            let Some((key_attr, _)) = templates().next() else {
                continue;
            };
            let items = info.entity.item_count as f64;
            let load_text = || {
                group_of(t, ix, &ctx.partition_key_text(e, ix))
                    .map(|g| {
                        format!(
                            "; peak load ~{} RCU/s and ~{} WCU/s",
                            thousands(g.read_units),
                            thousands(g.write_units)
                        )
                    })
                    .unwrap_or_default()
            };
            if templates().all(|(_, t)| t.is_constant()) {
                out.push(finding(
                    "partition.constant-key",
                    Severity::Warning,
                    Location::template(&info.entity.name, key_attr),
                    format!(
                        "all {} {} items share the partition `{}` in {}: together they get at most 3,000 RCU and 1,000 WCU{}",
                        thousands(items),
                        info.entity.name,
                        ctx.partition_key_text(e, ix),
                        index_label(view),
                        load_text()
                    ),
                    "fine for a small, read-mostly set the app caches; otherwise key it on an attribute with many values",
                ));
                continue;
            }
            let partitions = ctx.partitions(e, ix);
            if partitions <= LOW_CARDINALITY && items >= LOW_CARDINALITY_MIN_ITEMS {
                out.push(finding(
                    "partition.low-cardinality",
                    Severity::Warning,
                    Location::template(&info.name, ctx.key_name(t, key_attr)),
                    Message::new()
                        .s(&ctx.partition_key_text(e, ix))
                        .s(" takes ~")
                        .n(partitions)
                        .s(" values across ")
                        .n(items)
                        .s(" ")
                        .s(&info.entity.name)
                        .s(" items in ")
                        .s(&index_label(view))
                        .s(": ~")
                        .n(items / partitions)
                        .s(" items and every write behind each value")
                        .s(&load_text()),
                    "add a high-cardinality attribute to the key (e.g. {status}#{shard}), or make the index sparse",
                ));
            }
        }
    }
}

/// Keys of one shape in one index (`{category_id}` and `{parent_id}` both hold
/// category ids) can land on the same partitions: their loads add up there. One
/// finding per shape whose sum is hot when none of its keys is on its own.
fn shared_partitions(partitions: &PartitionReport, out: &mut Vec<Finding>) {
    let mut shapes: HashMap<(usize, usize, u32), Vec<&PartitionGroup>> = HashMap::default();
    for g in &partitions.groups {
        if let Some(shape) = g.shape {
            shapes
                .entry((g.table_pos, g.index_pos, shape))
                .or_default()
                .push(g);
        }
    }
    let mut shared: Vec<_> = shapes.into_iter().filter(|(_, g)| g.len() > 1).collect();
    shared.sort_unstable_by_key(|(key, _)| *key);
    for (_, groups) in shared {
        for kind in [LoadKind::Read, LoadKind::Write] {
            let units_of = |g: &PartitionGroup| match kind {
                LoadKind::Read => g.read_units,
                LoadKind::Write => g.write_units,
            };
            let units: f64 = groups.iter().map(|g| units_of(g)).sum();
            let share = units / kind.limit();
            let level = |share: f64| {
                if share > 1.0 {
                    Some(Severity::Error)
                } else if share > 0.5 {
                    Some(Severity::Warning)
                } else {
                    None
                }
            };
            let Some(severity) = level(share) else {
                continue;
            };
            let alone = groups
                .iter()
                .map(|g| units_of(g) / kind.limit())
                .fold(0.0, f64::max);
            if level(alone) == Some(severity) {
                continue; // a key's own finding already says as much
            }
            let keys: Vec<&str> = groups.iter().map(|g| g.key.as_str()).collect();
            let mut patterns: Vec<&str> = groups
                .iter()
                .flat_map(|g| g.patterns.iter().map(|p| &**p))
                .collect();
            patterns.dedup();
            out.push(finding(
                "partition.hot",
                severity,
                group_location(groups[0]),
                format!(
                    "{} partitions keyed {} hold values of one kind, so a partition can take both loads: ~{} {}/s at peak together ({}), {:.0}% of the {} a partition serves",
                    groups[0].label(),
                    keys.join(" and "),
                    thousands(units),
                    kind.unit(),
                    patterns.join(", "),
                    share * 100.0,
                    thousands(kind.limit())
                ),
                "spread one of the keys (a prefix or shard suffix keeps their partitions apart), or cache the reads",
            ));
        }
    }
}

fn group_location(group: &PartitionGroup) -> Location {
    match &group.index {
        Some(i) => Location::index(&group.table, i),
        None => Location::table(&group.table),
    }
}
