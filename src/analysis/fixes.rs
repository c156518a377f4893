//! Applying the findings' quick fixes to a model, one at a time, re-checking
//! after each: what `dynamodel fix` runs. A fix that would leave any access
//! pattern served worse than before (a filter, a scan, or not at all) is not
//! applied.

use super::resolve::{Resolution, Status};
use super::{Counts, Finding, analyze};
use crate::model::{Edit, Model};

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
    /// The edit that was applied: replaying the run's edits in order on the
    /// model it started from gives the fixed model (`FixRun::as_edit`).
    pub edit: Edit,
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

/// How well a pattern is served: lower is better. A fix never raises it.
pub fn rank(status: Status) -> u8 {
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

/// Applies the selected fixes until none is left, in rounds: each round applies
/// every selected fix of the current findings (in their order; one that no
/// longer applies after an earlier one waits for the next round) and checks the
/// model once. Should the round serve any pattern worse, its fixes are tried one
/// at a time instead, and those that do are left out. A fix can make another
/// moot (a removed index needs no rename): the next round's findings say.
pub fn apply_fixes(model: &Model, selection: &FixSelection) -> FixRun {
    let mut current = model.clone();
    let mut analysis = analyze(&current);
    let before = analysis.counts;
    let mut applied: Vec<FixApplied> = Vec::new();
    let mut skipped: Vec<FixSkipped> = Vec::new();
    let is_skipped = |skipped: &[FixSkipped], f: &Finding| {
        skipped
            .iter()
            .any(|s| s.rule == f.rule && f.fix.as_ref().is_some_and(|x| x.label == s.label))
    };
    // Every round applies or skips at least one fix, or ends the run.
    for _ in 0..=analysis.findings.len() {
        let round: Vec<&Finding> = analysis
            .findings
            .iter()
            .filter(|f| selection.wants(f) && !is_skipped(&skipped, f))
            .collect();
        if round.is_empty() {
            break;
        }
        let mut candidate = current.clone();
        let mut taken: Vec<&Finding> = Vec::new();
        for f in &round {
            let Some(fix) = f.fix.as_deref() else {
                continue;
            };
            // Two findings of one mistake carry one fix: it is applied once.
            if taken
                .iter()
                .any(|t| t.fix.as_ref().is_some_and(|x| x.edit == fix.edit))
            {
                continue;
            }
            if candidate.apply(&fix.edit).is_ok() {
                taken.push(f);
            }
        }
        let checked = analyze(&candidate);
        if !taken.is_empty() && worse(&analysis.resolutions, &checked.resolutions).is_empty() {
            applied.extend(taken.iter().map(|f| record(f)));
            current = candidate;
            analysis = checked;
            continue;
        }
        // One at a time: the first that applies and serves nothing worse goes in.
        let mut progressed = false;
        for f in round {
            let Some(fix) = f.fix.as_deref() else {
                continue;
            };
            let mut one = current.clone();
            let reason = match one.apply(&fix.edit) {
                Err(err) => err.to_string(),
                Ok(_) => {
                    let checked = analyze(&one);
                    let lost = worse(&analysis.resolutions, &checked.resolutions);
                    if lost.is_empty() {
                        applied.push(record(f));
                        current = one;
                        analysis = checked;
                        progressed = true;
                        break;
                    }
                    format!("it would serve {} worse", lost.join(", "))
                }
            };
            skipped.push(FixSkipped {
                rule: f.rule,
                label: fix.label.clone(),
                reason,
            });
            progressed = true;
            break;
        }
        if !progressed {
            break;
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

fn record(f: &Finding) -> FixApplied {
    let fix = f.fix.as_deref();
    FixApplied {
        rule: f.rule,
        location: f.location.path(),
        label: fix.map(|x| x.label.clone()).unwrap_or_default(),
        changes: fix.map(|x| x.changes.clone()).unwrap_or_default(),
        edit: fix.map(|x| x.edit.clone()).unwrap_or(Edit::Batch {
            label: String::new(),
            edits: Vec::new(),
        }),
    }
}

impl FixRun {
    /// The whole run as one edit (one undo step), or `None` when it applied nothing.
    pub fn as_edit(&self) -> Option<Edit> {
        (!self.applied.is_empty()).then(|| Edit::Batch {
            label: format!("Apply {} fix(es)", self.applied.len()),
            edits: self.applied.iter().map(|f| f.edit.clone()).collect(),
        })
    }
}
