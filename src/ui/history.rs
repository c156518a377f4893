//! Undo and redo of model edits: each step keeps the model as it was before.
//! Consecutive edits with the same merge key (keystrokes in one text field)
//! make one step, until the field is left.

use std::sync::Arc;

use crate::model::Model;

struct Step {
    label: String,
    /// Shared with the document (and with the next step, until one of them is edited).
    before: Arc<Model>,
    before_id: u64,
}

#[derive(Default)]
pub struct History {
    undo: Vec<Step>,
    redo: Vec<Step>,
    /// The merge key of the newest step, while further edits may join it.
    open_merge: Option<String>,
}

/// At most this many undo steps are kept.
const LIMIT: usize = 500;
/// Each step keeps a whole model: on large models fewer steps are kept, so that
/// steps × (tables + entities + patterns) stays within this (81 steps, ~375 MB, for a
/// model of 100 tables, 1,000 entities and 5,000 patterns), but never fewer than
/// `MIN_STEPS`.
const ELEMENT_BUDGET: usize = 500_000;
const MIN_STEPS: usize = 20;

/// How many undo steps to keep for models the size of `model`.
fn step_limit(model: &Model) -> usize {
    let elements = model.tables.len() + model.entities.len() + model.access_patterns.len() + 1;
    (ELEMENT_BUDGET / elements).clamp(MIN_STEPS, LIMIT)
}

impl History {
    /// Records an edit that turned `before` (state `before_id`) into the current model.
    pub fn record(&mut self, label: &str, merge: Option<&str>, before: Arc<Model>, before_id: u64) {
        self.redo.clear();
        if merge.is_some() && merge == self.open_merge.as_deref() {
            return; // joins the open step, whose `before` is older
        }
        self.undo.push(Step {
            label: label.to_string(),
            before,
            before_id,
        });
        let limit = step_limit(&self.undo[self.undo.len() - 1].before);
        if self.undo.len() > limit {
            self.undo.drain(..self.undo.len() - limit);
        }
        self.open_merge = merge.map(str::to_string);
    }

    /// Closes the open step: the next edit starts a new one.
    pub fn seal(&mut self) {
        self.open_merge = None;
    }

    /// Takes back the newest step: returns the model and state id to restore, and
    /// stores `current` for redo.
    pub fn undo(
        &mut self,
        current: Arc<Model>,
        current_id: u64,
    ) -> Option<(Arc<Model>, u64, String)> {
        self.open_merge = None;
        let step = self.undo.pop()?;
        self.redo.push(Step {
            label: step.label.clone(),
            before: current,
            before_id: current_id,
        });
        Some((step.before, step.before_id, step.label))
    }

    pub fn redo(
        &mut self,
        current: Arc<Model>,
        current_id: u64,
    ) -> Option<(Arc<Model>, u64, String)> {
        self.open_merge = None;
        let step = self.redo.pop()?;
        self.undo.push(Step {
            label: step.label.clone(),
            before: current,
            before_id: current_id,
        });
        Some((step.before, step.before_id, step.label))
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.undo.last().map(|s| s.label.as_str())
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.redo.last().map(|s| s.label.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn named(name: &str) -> Arc<Model> {
        Arc::new(Model::new(name))
    }

    #[test]
    fn merged_keystrokes_undo_in_one_step() {
        let mut h = History::default();
        h.record("Rename", Some("name"), named("a"), 0);
        h.record("Rename", Some("name"), named("ab"), 1);
        h.record("Rename", Some("name"), named("abc"), 2);
        let (m, id, _) = h.undo(named("abcd"), 3).unwrap();
        assert_eq!((m.name.as_str(), id), ("a", 0));
        assert!(h.undo(m, id).is_none());
    }

    #[test]
    fn sealing_starts_a_new_step() {
        let mut h = History::default();
        h.record("Rename", Some("name"), named("a"), 0);
        h.seal();
        h.record("Rename", Some("name"), named("b"), 1);
        let (m, _, _) = h.undo(named("c"), 2).unwrap();
        assert_eq!(m.name, "b");
    }

    #[test]
    fn large_models_keep_fewer_steps() {
        let small = Model::new("small");
        assert_eq!(step_limit(&small), LIMIT);
        let mut large = Model::new("large");
        large.access_patterns = (0..6000)
            .map(|i| {
                crate::model::AccessPattern::new(
                    format!("AP{i}"),
                    "p",
                    crate::model::Operation::Query,
                )
            })
            .collect();
        let limit = step_limit(&large);
        assert_eq!(limit, ELEMENT_BUDGET / 6001);
        let large = Arc::new(large);
        let mut h = History::default();
        for id in 0..(limit as u64 + 10) {
            h.record("Edit", None, Arc::clone(&large), id);
        }
        assert_eq!(h.undo.len(), limit, "the oldest steps are dropped");
        assert_eq!(h.undo[0].before_id, 10);
    }

    #[test]
    fn redo_replays_and_new_edits_clear_it() {
        let mut h = History::default();
        h.record("Add GSI", None, named("a"), 0);
        let (m, id, label) = h.undo(named("b"), 1).unwrap();
        assert_eq!(label, "Add GSI");
        assert_eq!(h.redo_label(), Some("Add GSI"));
        let (m2, id2, _) = h.redo(m, id).unwrap();
        assert_eq!((m2.name.as_str(), id2), ("b", 1));
        h.undo(m2, id2).unwrap();
        h.record("Other", None, named("x"), 5);
        assert!(h.redo_label().is_none());
    }
}
