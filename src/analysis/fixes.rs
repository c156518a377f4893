//! Applying the findings' quick fixes to a model, one at a time, re-checking
//! after each: what `dynamodel fix` runs. A fix that would leave any access
//! pattern served worse than before (a filter, a scan, or not at all) is not
//! applied.

use super::resolve::{Resolution, Status};
use super::{Counts, Finding, analyze};
use crate::model::Model;

/// Which fixes to apply.
#[derive(Clone, Debug, Default)]
pub struct FixSelection {
    /// Only these rules' fixes, safe or not; empty: every safe fix.
    pub rules: Vec<String>,
}

impl FixSelection {
    fn wants(&self, finding: &Finding) -> bool {
        let Some(fix) = &finding.fix else {
            return false;
        };
        if self.rules.is_empty() {
            fix.safe
        } else {
            self.rules.iter().any(|r| r == finding.rule)
        }
    }
}

/// A fix that was applied.
#[derive(Clone, Debug, PartialEq)]
pub struct FixApplied {
    pub rule: &'static str,
    /// Where the finding was: `index Users/EmailIndex`.
    pub location: String,
    pub label: String,
    pub changes: Vec<String>,
}

/// A fix that was left out, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct FixSkipped {
    pub rule: &'static str,
    pub label: String,
    pub reason: String,
}

pub struct FixRun {
    pub model: Model,
    pub applied: Vec<FixApplied>,
    pub skipped: Vec<FixSkipped>,
    pub before: Counts,
    pub after: Counts,
}

/// How well a pattern is served: lower is better.
fn rank(status: Status) -> u8 {
    match status {
        Status::Served | Status::Outside | Status::Write => 0,
        Status::NeedsFilter => 1,
        Status::NeedsScan => 2,
        Status::Unresolved => 3,
    }
}

/// The patterns `after` serves worse than `before` (matched by position: fixes
/// never add, remove or reorder patterns).
fn worse(before: &[Resolution], after: &[Resolution]) -> Vec<String> {
    before
        .iter()
        .zip(after)
        .filter(|(b, a)| rank(a.status) > rank(b.status))
        .map(|(_, a)| format!("{} ({})", a.pattern, a.status.label()))
        .collect()
}

/// Applies the selected fixes until none is left. Each round applies the first
/// fix in the findings' order, then checks the model again: a fix can make
/// another one moot (a removed index needs no rename).
pub fn apply_fixes(model: &Model, selection: &FixSelection) -> FixRun {
    let mut current = model.clone();
    let mut analysis = analyze(&current);
    let before = analysis.counts;
    let mut applied = Vec::new();
    let mut skipped: Vec<FixSkipped> = Vec::new();
    // Each round applies or skips one fix; a skipped fix is not tried again.
    let limit = analysis.findings.len() * 2 + 16;
    for _ in 0..limit {
        let next = analysis.findings.iter().find(|f| {
            selection.wants(f)
                && !skipped
                    .iter()
                    .any(|s| s.rule == f.rule && f.fix.as_ref().is_some_and(|x| x.label == s.label))
        });
        let Some(finding) = next else { break };
        let Some(fix) = finding.fix.as_deref() else {
            break;
        };
        let mut candidate = current.clone();
        let outcome = candidate.apply(&fix.edit);
        let result = match outcome {
            Err(err) => Err(err.to_string()),
            Ok(_) => {
                let checked = analyze(&candidate);
                let lost = worse(&analysis.resolutions, &checked.resolutions);
                if lost.is_empty() {
                    Ok(checked)
                } else {
                    Err(format!("it would serve {} worse", lost.join(", ")))
                }
            }
        };
        match result {
            Ok(checked) => {
                applied.push(FixApplied {
                    rule: finding.rule,
                    location: finding.location.path(),
                    label: fix.label.clone(),
                    changes: fix.changes.clone(),
                });
                current = candidate;
                analysis = checked;
            }
            Err(reason) => skipped.push(FixSkipped {
                rule: finding.rule,
                label: fix.label.clone(),
                reason,
            }),
        }
    }
    FixRun {
        model: current,
        applied,
        skipped,
        before,
        after: analysis.counts,
    }
}
