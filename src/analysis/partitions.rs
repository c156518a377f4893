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

/// All load on the partitions of one index keyed as the entities write it
/// (`{email}`), whichever of them writes it.
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct PartitionGroup {
    pub table: Name,
    pub index: Option<Name>,
    #[serde(skip)]
    pub table_pos: usize,
    #[serde(skip)]
    pub index_pos: usize,
    /// The key's shape: groups of one shape in one index can land on the same
    /// partitions (a category id is some products' `{category_id}` and other
    /// categories' `{parent_id}`), so the hot-partition check adds them up.
    #[serde(skip)]
    pub shape: Option<u32>,
    /// The partition key as the entities write it, e.g. `{email}` or `CATEGORIES`.
    pub key: String,
    /// Distinct values of the key: the most any entity writing it spreads over
    /// (entities writing the same key draw on one set of values, as every cart's
    /// email is a user's).
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
    /// Per index and partition key, in model order.
    pub groups: Vec<PartitionGroup>,
}

/// A partition group's table, index, partition-key shape and key text. Entities
/// of one shape can write different keys (Category's `{parent_id}` and
/// Product's `{category_id}`): each key is a group of its own, so its label,
/// partitions and load belong to the same key.
type GroupKey = (usize, usize, Option<u32>, String);

pub fn analyze(ctx: &Context, resolutions: &[Resolution]) -> PartitionReport {
    let mut loads = Vec::with_capacity(
        resolutions
            .iter()
            .map(|r| usize::from(r.plan.is_some()) + r.writes.len())
            .sum(),
    );
    // Groups by (table, index, key shape, key), listed in that order at the end;
    // an entity's group in an index is found once.
    let mut group_at: HashMap<GroupKey, usize> = HashMap::default();
    let mut entity_group: HashMap<(usize, usize), usize> = HashMap::default();
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
            let at = *entity_group.entry((e, ix)).or_insert_with(|| {
                let shape = ctx.entities[e].pk_shapes.get(ix).copied().flatten();
                let key = ctx.partition_key_text(e, ix);
                *group_at
                    .entry((t, ix, shape, key.clone()))
                    .or_insert_with(|| {
                        groups.push((
                            (t, ix, shape, key.clone()),
                            PartitionGroup {
                                table: table.name.clone(),
                                index: table.index_names[ix].clone(),
                                table_pos: t,
                                index_pos: ix,
                                shape,
                                key,
                                partitions,
                                read_units: 0.0,
                                write_units: 0.0,
                                patterns: Vec::new(),
                            },
                        ));
                        groups.len() - 1
                    })
            });
            let group = &mut groups[at].1;
            group.partitions = group.partitions.max(partitions);
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
            groups.sort_unstable_by(|(a, _), (b, _)| a.cmp(b));
            groups.into_iter().map(|(_, g)| g).collect()
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::analysis::analyze;
    use crate::model::samples;

    /// (label, key, partitions, patterns) of each group.
    fn groups() -> Vec<(String, String, f64, Vec<String>)> {
        let model = samples::sample("ecommerce").unwrap().load().unwrap();
        analyze(&model)
            .partitions
            .groups
            .iter()
            .map(|g| {
                (
                    g.label(),
                    g.key.clone(),
                    g.partitions,
                    g.patterns.iter().map(|p| p.to_string()).collect(),
                )
            })
            .collect()
    }

    fn group<'a>(
        groups: &'a [(String, String, f64, Vec<String>)],
        label: &str,
        key: &str,
    ) -> &'a (String, String, f64, Vec<String>) {
        groups
            .iter()
            .find(|(l, k, _, _)| l == label && k == key)
            .unwrap_or_else(|| panic!("no group {label} {key} in {groups:?}"))
    }

    /// A group is one partition-key template as the entities write it, and its
    /// partition count is that key's, as the per-pattern loads give it.
    #[test]
    fn a_group_counts_the_partitions_of_the_key_it_names() {
        let groups = groups();
        // Users PK `{email}` is written by User (1,000,000 items, one email
        // each: 1,000,000 partitions), CartItem (email references User.email,
        // 500,000 distinct) and SellerProfile (references User.email, 20,000
        // items). They all land in the users' email partitions, so the key has
        // 1,000,000 partitions; the smallest writer's 20,000 was shown before.
        assert_eq!(group(&groups, "Users", "{email}").2, 1_000_000.0);
        // Products/GSI1PK: Product writes `{category_id}` (150 distinct
        // values), Category writes `{parent_id}` (25 distinct values). They were
        // one row labelled `{category_id}` with Category's 25 partitions.
        let products = group(&groups, "Products/GSI1", "{category_id}");
        assert_eq!(products.2, 150.0);
        assert_eq!(
            products.3,
            ["AP8", "AP10", "AP12", "AP13", "AP14", "AP16", "AP29"]
        );
        let categories = group(&groups, "Products/GSI1", "{parent_id}");
        assert_eq!(categories.2, 25.0);
        assert_eq!(categories.3, ["AP21", "AP22", "AP26", "AP27", "AP28"]);
    }

    #[test]
    fn every_load_finds_its_key_with_at_least_its_partitions() {
        let model = samples::sample("ecommerce").unwrap().load().unwrap();
        let analysis = analyze(&model);
        let ctx = crate::analysis::context::Context::new(&model);
        for load in &analysis.partitions.loads {
            let e = ctx.entity_index(&load.entity).unwrap();
            let t = ctx.table_index(&load.table).unwrap();
            let ix = ctx.tables[t]
                .index_names
                .iter()
                .position(|n| n.as_deref() == load.index.as_deref())
                .unwrap();
            let key = ctx.partition_key_text(e, ix);
            let group = analysis
                .partitions
                .groups
                .iter()
                .find(|g| g.table_pos == t && g.index_pos == ix && g.key == key)
                .unwrap_or_else(|| panic!("{} on {key}: no group", load.pattern));
            assert!(group.partitions >= load.partitions, "{}", load.pattern);
            assert!(group.patterns.contains(&load.pattern), "{}", load.pattern);
        }
    }
}
