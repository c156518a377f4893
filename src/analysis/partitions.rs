//! Partition load: how much of DynamoDB's per-partition throughput each pattern
//! and each partition-key shape takes (3,000 RCU and 1,000 WCU per partition).

use serde::Serialize;

use super::Name;
use super::context::Context;
use super::fxhash::FxHashMap as HashMap;
use super::resolve::Resolution;
use crate::model::Operation;

pub const PARTITION_READ_LIMIT: f64 = 3000.0;
pub const PARTITION_WRITE_LIMIT: f64 = 1000.0;

#[derive(Serialize, Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "snake_case")]
pub enum LoadKind {
    Read,
    Write,
}

impl LoadKind {
    pub fn limit(self) -> f64 {
        match self {
            LoadKind::Read => PARTITION_READ_LIMIT,
            LoadKind::Write => PARTITION_WRITE_LIMIT,
        }
    }

    pub fn unit(self) -> &'static str {
        match self {
            LoadKind::Read => "RCU",
            LoadKind::Write => "WCU",
        }
    }
}

/// One pattern's load on one index.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PartitionLoad {
    pub pattern: Name,
    pub entity: Name,
    pub table: Name,
    pub index: Option<Name>,
    pub kind: LoadKind,
    pub peak_rps: f64,
    /// Estimated distinct partition-key values the pattern spreads over.
    pub partitions: f64,
    pub rps_per_partition: f64,
    /// Capacity units per second on one partition.
    pub units_per_partition: f64,
    /// `units_per_partition` as a share of the partition limit.
    pub share: f64,
}

/// All load that lands on partitions of one key shape of one index.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PartitionGroup {
    pub table: Name,
    pub index: Option<Name>,
    #[serde(skip)]
    pub table_pos: usize,
    #[serde(skip)]
    pub index_pos: usize,
    /// The partition key as the entities write it, e.g. `{email}` or `CATEGORIES`.
    pub key: String,
    pub partitions: f64,
    pub read_units: f64,
    pub write_units: f64,
    pub patterns: Vec<Name>,
}

impl PartitionGroup {
    pub fn read_share(&self) -> f64 {
        self.read_units / PARTITION_READ_LIMIT
    }

    pub fn write_share(&self) -> f64 {
        self.write_units / PARTITION_WRITE_LIMIT
    }

    pub fn label(&self) -> String {
        match &self.index {
            Some(i) => format!("{}/{i}", self.table),
            None => self.table.to_string(),
        }
    }
}

#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct PartitionReport {
    /// Per pattern and index, in pattern order.
    pub loads: Vec<PartitionLoad>,
    /// Per index and partition-key shape, in model order.
    pub groups: Vec<PartitionGroup>,
}

/// A partition group's table, index and partition-key shape.
type GroupKey = (usize, usize, Option<u32>);

pub fn analyze(ctx: &Context, resolutions: &[Resolution]) -> PartitionReport {
    let mut loads = Vec::with_capacity(
        resolutions
            .iter()
            .map(|r| usize::from(r.plan.is_some()) + r.writes.len())
            .sum(),
    );
    // Groups by (table, index, key shape), listed in that order at the end.
    let mut group_at: HashMap<GroupKey, usize> = HashMap::default();
    let mut groups: Vec<(GroupKey, PartitionGroup)> = Vec::new();
    for (p, ((r, pattern), id)) in resolutions
        .iter()
        .zip(&ctx.model.access_patterns)
        .zip(&ctx.pattern_ids)
        .enumerate()
    {
        let peak = pattern.peak_rps.max(0.0);
        let read = r
            .plan
            .as_ref()
            .filter(|plan| plan.call != Operation::Scan)
            .and_then(|plan| {
                let e = ctx.primary_entity(p)?;
                Some((
                    e,
                    plan.table_pos,
                    plan.index_pos,
                    LoadKind::Read,
                    plan.read_units,
                ))
            });
        let writes = r.writes.iter().map(|w| {
            (
                w.entity_pos,
                w.table_pos,
                w.index_pos,
                LoadKind::Write,
                w.write_units,
            )
        });
        for (e, t, ix, kind, units) in read.into_iter().chain(writes) {
            let partitions = ctx.partitions(e, ix);
            let rps_per_partition = peak / partitions;
            let units_per_partition = rps_per_partition * units;
            let table = &ctx.tables[t];
            loads.push(PartitionLoad {
                pattern: id.clone(),
                entity: ctx.entities[e].name.clone(),
                table: table.name.clone(),
                index: table.index_names[ix].clone(),
                kind,
                peak_rps: peak,
                partitions,
                rps_per_partition,
                units_per_partition,
                share: units_per_partition / kind.limit(),
            });
            let shape = ctx.entities[e].pk_shapes.get(ix).copied().flatten();
            let at = *group_at.entry((t, ix, shape)).or_insert_with(|| {
                groups.push((
                    (t, ix, shape),
                    PartitionGroup {
                        table: table.name.clone(),
                        index: table.index_names[ix].clone(),
                        table_pos: t,
                        index_pos: ix,
                        key: ctx.partition_key_text(e, ix),
                        partitions,
                        read_units: 0.0,
                        write_units: 0.0,
                        patterns: Vec::new(),
                    },
                ));
                groups.len() - 1
            });
            let group = &mut groups[at].1;
            group.partitions = group.partitions.min(partitions);
            match kind {
                LoadKind::Read => group.read_units += units_per_partition,
                LoadKind::Write => group.write_units += units_per_partition,
            }
            // Patterns come in model order, so a pattern's loads on one group are
            // consecutive: comparing with the last one listed is enough.
            if !group.patterns.last().is_some_and(|l| Name::ptr_eq(l, id)) {
                group.patterns.push(id.clone());
            }
        }
    }
    PartitionReport {
        loads,
        groups: {
            // Keys are unique, so an unstable sort gives one order.
            groups.sort_unstable_by_key(|(key, _)| *key);
            groups.into_iter().map(|(_, g)| g).collect()
        },
    }
}
