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
        if self.undo.len() > LIMIT {
            self.undo.remove(0);
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
