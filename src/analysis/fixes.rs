//! Applying the findings' quick fixes to a model, one at a time, re-checking
//! after each: what `dynamodel fix` runs. A fix that would leave any access
//! pattern served worse than before (a filter, a scan, or not at all) is not
//! applied.

use super::resolve::{Resolution, Status};
use super::{Counts, Finding, analyze};
use crate::model::{Edit, Element, Model, Uid};

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
    for _ in 0..=analysis.findings.len() * 2 {
        let round: Vec<&Finding> = analysis
            .findings
            .iter()
            .filter(|f| selection.wants(f) && !is_skipped(&skipped, f))
            .collect();
        if round.is_empty() {
            break;
        }
        // Each element is changed by one fix per round: a fix computed before
        // another changed the same element could undo it (two prefix fixes of one
        // entity each rewrite its example items). The rest wait for the next
        // round's findings.
        let mut candidate = current.clone();
        let mut taken: Vec<&Finding> = Vec::new();
        let mut touched: Vec<Uid> = Vec::new();
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
            let targets = targets(&current, &fix.edit);
            if targets.iter().any(|t| touched.contains(t)) {
                continue;
            }
            match candidate.apply(&fix.edit) {
                Ok(_) => {
                    touched.extend(targets);
                    taken.push(f);
                }
                Err(err) => skipped.push(FixSkipped {
                    rule: f.rule,
                    label: fix.label.clone(),
                    reason: err.to_string(),
                }),
            }
        }
        if taken.is_empty() {
            // Every fix of the round was refused (and is now skipped), or none is left.
            continue;
        }
        let checked = analyze(&candidate);
        if worse(&analysis.resolutions, &checked.resolutions).is_empty() {
            applied.extend(taken.iter().map(|f| record(f)));
            current = candidate;
            analysis = checked;
            continue;
        }
        // The round as a whole serves a pattern worse: its fixes one at a time,
        // each against the findings it was made for; those that serve a pattern
        // worse (or no longer apply) are left out.
        for f in taken {
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
                        // Later fixes of this round were made for the model before
                        // this one: the next round recomputes them.
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

/// The tables, entities and patterns an edit changes (coarsely: an index edit
/// changes its table, a pin its pattern and the pattern's table).
fn targets(model: &Model, edit: &Edit) -> Vec<Uid> {
    let table_of_entity = |entity: Uid| {
        model
            .entity_by_uid(entity)
            .and_then(|e| model.table_uid(&e.table))
    };
    let of_element = |element: &Element| -> Vec<Uid> {
        match *element {
            Element::Table(t) | Element::Index { table: t, .. } => vec![t],
            Element::Entity(e) => std::iter::once(e).chain(table_of_entity(e)).collect(),
            Element::Attribute { entity, .. } => vec![entity],
            Element::Pattern(p) => vec![p],
        }
    };
    match edit {
        Edit::Batch { edits, .. } => edits.iter().flat_map(|e| targets(model, e)).collect(),
        Edit::Remove(element) | Edit::Rename { element, .. } | Edit::Duplicate(element) => {
            of_element(element)
        }
        Edit::AddIndex { table, .. }
        | Edit::RenameKeyAttribute { table, .. }
        | Edit::Table { table, .. }
        | Edit::Index { table, .. } => vec![*table],
        Edit::MoveEntity { entity, table } => vec![*entity, *table],
        Edit::SetTemplate { entity, .. }
        | Edit::Entity { entity, .. }
        | Edit::Attribute { entity, .. }
        | Edit::AddAttribute { entity, .. } => vec![*entity],
        Edit::Pattern { pattern, .. } => {
            let table = model
                .pattern_by_uid(*pattern)
                .and_then(|p| p.entities.first())
                .and_then(|e| model.entity(e))
                .and_then(|e| model.table_uid(&e.table));
            std::iter::once(*pattern).chain(table).collect()
        }
        Edit::AddEntity(entity) => model.table_uid(&entity.table).into_iter().collect(),
        Edit::AddTable(_) | Edit::AddPattern(_) | Edit::Model(_) => Vec::new(),
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
