//! Pure functions of a model: pattern resolution, the design checks, partition
//! load and cost. Nothing here touches a UI, a runtime or the network.

mod checks;
pub mod compare;
pub mod context;
pub mod cost;
pub mod diagram;
pub mod findings;
pub mod fixes;
pub mod format;
mod fxhash;
pub mod partitions;
pub mod query_items;
pub mod resolve;
pub mod sample_items;
#[cfg(test)]
pub(crate) mod test_support;

use serde::Serialize;

pub use checks::{RULES, RuleInfo};
pub use context::Context;
pub use cost::{CostReport, IndexCost};
pub use findings::{Counts, Finding, Fix, Location, Severity};
pub use partitions::{LoadKind, PartitionGroup, PartitionLoad, PartitionReport};
pub use resolve::{KeyCondition, KeyOp, KeyPart, KeyValue, Plan, Resolution, Status, WriteTarget};

use crate::model::{IndexKind, Model};

/// A model element's name as the analysis hands it out: shared, so the thousands
/// of plans, loads and findings about one table or pattern copy a pointer, not text.
pub type Name = std::sync::Arc<str>;

/// Text or a shared name, made into a shared name (text is copied once).
pub trait IntoName {
    fn into_name(self) -> Name;
}

impl IntoName for Name {
    fn into_name(self) -> Name {
        self
    }
}

impl IntoName for &Name {
    fn into_name(self) -> Name {
        self.clone()
    }
}

impl IntoName for &str {
    fn into_name(self) -> Name {
        Name::from(self)
    }
}

impl IntoName for &&str {
    fn into_name(self) -> Name {
        Name::from(*self)
    }
}

impl IntoName for &String {
    fn into_name(self) -> Name {
        Name::from(self.as_str())
    }
}

/// Which patterns one index serves (reads) and updates (writes).
#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct IndexUsage {
    pub table: Name,
    /// `None` for the base table.
    pub index: Option<Name>,
    pub kind: IndexKind,
    pub reads: Vec<Name>,
    pub writes: Vec<Name>,
}

impl IndexUsage {
    pub fn label(&self) -> &str {
        self.index.as_deref().unwrap_or(&self.table)
    }
}

/// Everything derived from one revision of a model.
#[derive(Serialize, Clone, Debug)]
pub struct Analysis {
    /// One per access pattern, in model order.
    pub resolutions: Vec<Resolution>,
    /// One per index (base tables included), tables in model order.
    pub index_usage: Vec<IndexUsage>,
    pub partitions: PartitionReport,
    pub costs: CostReport,
    /// Sorted by severity, then by where the element stands in the model.
    pub findings: Vec<Finding>,
    pub counts: Counts,
}

impl Analysis {
    pub fn resolution(&self, pattern: &str) -> Option<&Resolution> {
        self.resolutions.iter().find(|r| &*r.pattern == pattern)
    }

    /// The resolution of the pattern at `position` with id `pattern`: by position
    /// when it matches (the usual case), else by id (an analysis a revision behind).
    pub fn resolution_at(&self, position: usize, pattern: &str) -> Option<&Resolution> {
        match self.resolutions.get(position) {
            Some(r) if &*r.pattern == pattern => Some(r),
            _ => self.resolution(pattern),
        }
    }

    pub fn has_errors(&self) -> bool {
        self.counts.errors > 0
    }
}

/// Models with at least this many access patterns are analysed on two threads
/// (the thread start-up costs more than it saves on smaller ones).
const PARALLEL_FROM_PATTERNS: usize = 400;

/// Runs `here` on this thread while `elsewhere` runs on another, and returns both
/// results. A panic on the other thread surfaces as itself.
fn on_two_threads<A: Send, B>(
    elsewhere: impl FnOnce() -> A + Send,
    here: impl FnOnce() -> B,
) -> (B, A) {
    std::thread::scope(|s| {
        let other = s.spawn(elsewhere);
        let mine = here();
        let theirs = other
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (mine, theirs)
    })
}

/// `f` over the positions `0..n`, the second half on another thread; the results
/// in position order.
fn in_two_halves<T: Send>(n: usize, f: impl Fn(std::ops::Range<usize>) -> Vec<T> + Sync) -> Vec<T> {
    let (mut first, second) = on_two_threads(|| f(n / 2..n), || f(0..n / 2));
    first.extend(second);
    first
}

/// Runs resolution, every check and the cost and partition estimates.
pub fn analyze(model: &Model) -> Analysis {
    let parallel = model.access_patterns.len() >= PARALLEL_FROM_PATTERNS
        && std::thread::available_parallelism().is_ok_and(|n| n.get() > 1);
    analyze_with(model, parallel)
}

/// `analyze`, on one thread or split over two; both give the same analysis.
pub fn analyze_with(model: &Model, parallel: bool) -> Analysis {
    let ctx = Context::build(model, parallel);
    let resolutions = if parallel {
        resolve::resolve_all_on_two_threads(&ctx)
    } else {
        resolve::resolve_all(&ctx)
    };
    let input = checks::Input {
        ctx: &ctx,
        resolutions: &resolutions,
    };
    // Everything that needs index usage or partition load, on the calling thread.
    let on_load = || {
        let index_usage = usage(&ctx, &resolutions);
        let partitions = partitions::analyze(&ctx, &resolutions);
        let costs = cost::estimate(&ctx, &resolutions);
        let mut findings = Vec::new();
        checks::run_on_load(&input, &index_usage, &partitions, &mut findings);
        (index_usage, partitions, costs, findings)
    };
    let on_resolutions = || {
        let mut findings = Vec::new();
        checks::run_on_resolutions(&input, &mut findings);
        findings
    };
    // Each rule's findings come from one of the two lists, in the rule's own order,
    // and the sort is stable: the order the lists are joined in does not matter.
    let (index_usage, partitions, costs, findings) = if parallel {
        // Each thread sorts what it found; the two sorted lists are merged.
        let ((index_usage, partitions, costs, mine), theirs) = on_two_threads(
            || findings::sorted_with_keys(on_resolutions(), &ctx),
            || {
                let (index_usage, partitions, costs, found) = on_load();
                (
                    index_usage,
                    partitions,
                    costs,
                    findings::sorted_with_keys(found, &ctx),
                )
            },
        );
        let findings = findings::merge_sorted(mine, theirs);
        (index_usage, partitions, costs, findings)
    } else {
        let (index_usage, partitions, costs, mut findings) = on_load();
        findings.extend(on_resolutions());
        findings::sort_findings(&mut findings, &ctx);
        (index_usage, partitions, costs, findings)
    };
    let counts = Counts::of(&findings);
    Analysis {
        resolutions,
        index_usage,
        partitions,
        costs,
        findings,
        counts,
    }
}

fn usage(ctx: &Context, resolutions: &[Resolution]) -> Vec<IndexUsage> {
    let mut offsets = Vec::with_capacity(ctx.tables.len());
    let mut out = Vec::new();
    for table in &ctx.tables {
        offsets.push(out.len());
        for (view, name) in table.indexes.iter().zip(&table.index_names) {
            out.push(IndexUsage {
                table: table.name.clone(),
                index: name.clone(),
                kind: view.kind,
                reads: Vec::new(),
                writes: Vec::new(),
            });
        }
    }
    for r in resolutions {
        if let Some(plan) = &r.plan {
            out[offsets[plan.table_pos] + plan.index_pos]
                .reads
                .push(r.pattern.clone());
        }
        for w in &r.writes {
            let slot = &mut out[offsets[w.table_pos] + w.index_pos].writes;
            if !slot.contains(&r.pattern) {
                slot.push(r.pattern.clone());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::samples;

    fn same_on_one_and_two_threads(model: &Model) {
        let one = serde_json::to_string(&analyze_with(model, false)).expect("serialises");
        let two = serde_json::to_string(&analyze_with(model, true)).expect("serialises");
        assert_eq!(one, two);
    }

    #[test]
    fn two_threads_give_the_same_analysis() {
        for sample in samples::SAMPLES {
            let model = sample.load().expect("bundled model loads");
            same_on_one_and_two_threads(&model);
            // Past the threshold, with findings of every kind in the copies.
            let mut big = model.clone();
            for copy in 1..=10 {
                big.access_patterns
                    .extend(model.access_patterns.iter().map(|p| {
                        let mut p = p.clone();
                        p.id = format!("{}-{copy}", p.id);
                        p
                    }));
            }
            assert!(big.access_patterns.len() >= PARALLEL_FROM_PATTERNS);
            same_on_one_and_two_threads(&big);
            assert!(!analyze(&big).findings.is_empty());
        }
    }

    #[test]
    fn merging_two_sorted_lists_matches_sorting_them_joined() {
        let model = samples::sample(samples::DEFAULT_SAMPLE)
            .expect("bundled sample")
            .load()
            .expect("bundled model loads");
        let ctx = Context::new(&model);
        let f = |rule, message: &str| {
            Finding::new(rule, Severity::Warning, Location::Model, message, "")
        };
        let first = || vec![f("gsi.unused", "a1"), f("coverage.scan", "a2")];
        let second = || vec![f("gsi.unused", "b1"), f("coverage.filter", "b2")];
        let merged: Vec<String> = findings::merge_sorted(
            findings::sorted_with_keys(first(), &ctx),
            findings::sorted_with_keys(second(), &ctx),
        )
        .into_iter()
        .map(|f| f.message)
        .collect();
        // By rule; on equal keys the first list's finding comes first.
        assert_eq!(merged, ["b2", "a2", "a1", "b1"]);
        let mut joined = first();
        joined.extend(second());
        findings::sort_findings(&mut joined, &ctx);
        let joined: Vec<String> = joined.into_iter().map(|f| f.message).collect();
        assert_eq!(merged, joined);
    }
}
