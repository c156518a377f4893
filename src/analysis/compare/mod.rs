//! Two versions of a design compared by what they do: the structure that
//! changed, every access pattern's plan before and after, the findings fixed and
//! introduced, the cost, the partitions that crossed a limit, and the migration
//! from one to the other.

pub mod matching;
pub mod migration;
mod review;
mod structure;
#[cfg(test)]
mod tests;

use serde::Serialize;

pub use matching::{Matching, Pair};
pub use migration::{Action, DEFAULT_WRITE_RATE, MigrationPlan, Step, table_steps};
pub use review::{
    CostChanges, CostRow, FindingChanges, FindingRef, PartitionChange, PatternChange, PlanSummary,
    Tone, Verdict,
};
pub use structure::{ChangeKind, ElementKind, StructuralChange};

use super::{Analysis, Context};
use crate::model::Model;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct Comparison {
    /// The two designs' names.
    pub old_name: String,
    pub new_name: String,
    pub structure: Vec<StructuralChange>,
    /// Every pattern of either design: the new design's order, then the removed.
    pub patterns: Vec<PatternChange>,
    pub findings: FindingChanges,
    pub cost: CostChanges,
    pub partitions: Vec<PartitionChange>,
    pub migration: MigrationPlan,
}

impl Comparison {
    /// The designs do the same: nothing changed in structure, plans, findings,
    /// cost or data.
    pub fn is_equivalent(&self) -> bool {
        self.structure.is_empty()
            && self
                .patterns
                .iter()
                .all(|p| p.verdict == Verdict::Same && !p.plan_changed && p.definition.is_empty())
            && self.findings.fixed.is_empty()
            && self.findings.introduced.is_empty()
            && self.partitions.is_empty()
            && self.migration.is_empty()
            && (self.cost.after - self.cost.before).abs() <= 1e-9 * self.cost.before.abs().max(1.0)
    }

    /// How many patterns got each verdict, in [`Verdict::ALL`] order, leaving out
    /// verdicts no pattern got.
    pub fn verdict_counts(&self) -> Vec<(Verdict, usize)> {
        Verdict::ALL
            .into_iter()
            .map(|v| (v, self.patterns.iter().filter(|p| p.verdict == v).count()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }
}

/// What the comparison assumes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Options {
    /// Write units a second the migration's times assume.
    pub write_rate: f64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            write_rate: DEFAULT_WRITE_RATE,
        }
    }
}

/// Compares `old` with `new`, given each one's analysis.
pub fn compare(
    old: &Model,
    old_analysis: &Analysis,
    new: &Model,
    new_analysis: &Analysis,
    options: Options,
) -> Comparison {
    let matching = Matching::new(old, old_analysis, new, new_analysis);
    let renames = review::Renames::new(old, new, &matching);
    let (old_ctx, new_ctx) = (Context::new(old), Context::new(new));
    Comparison {
        old_name: old.name.clone(),
        new_name: new.name.clone(),
        structure: structure::changes(old, new, &matching),
        patterns: review::pattern_changes(old, old_analysis, new, new_analysis, &matching),
        findings: review::finding_changes(old_analysis, new_analysis, &renames),
        cost: review::cost_changes(old_analysis, new_analysis, &renames),
        partitions: review::partition_changes(old_analysis, new_analysis, &renames),
        migration: migration::plan(&old_ctx, &new_ctx, &matching, options.write_rate),
    }
}
