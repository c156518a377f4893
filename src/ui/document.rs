//! The open model: its file, its undo history, whether it is saved, and the
//! analysis derived from it (recomputed only when the model changes).

use std::path::PathBuf;

use super::history::History;
use crate::analysis::{self, Analysis};
use crate::model::Model;

/// A change to the model, applied in one place (`Document::apply`).
pub struct Edit {
    pub label: String,
    /// Edits with the same key in a row (typing in one field) are one undo step.
    pub merge: Option<String>,
    pub apply: Box<dyn FnOnce(&mut Model)>,
}

impl Edit {
    pub fn new(label: impl Into<String>, apply: impl FnOnce(&mut Model) + 'static) -> Self {
        Edit {
            label: label.into(),
            merge: None,
            apply: Box::new(apply),
        }
    }

    pub fn merging(mut self, key: impl Into<String>) -> Self {
        self.merge = Some(key.into());
        self
    }
}

pub struct Document {
    model: Model,
    pub path: Option<PathBuf>,
    /// Bumped on every change, undo and redo included: derived data keys on it.
    revision: u64,
    /// Identifies the model's content: undoing back to the saved state makes it clean again.
    state_id: u64,
    next_state_id: u64,
    saved_state_id: u64,
    history: History,
    analysis: Analysis,
    analysis_revision: u64,
}

impl Document {
    pub fn new(model: Model, path: Option<PathBuf>) -> Self {
        let analysis = analysis::analyze(&model);
        Document {
            model,
            path,
            revision: 0,
            state_id: 0,
            next_state_id: 1,
            saved_state_id: 0,
            history: History::default(),
            analysis,
            analysis_revision: 0,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The analysis of the current model, recomputed if the model changed.
    pub fn analysis(&mut self) -> &Analysis {
        if self.analysis_revision != self.revision {
            self.analysis = analysis::analyze(&self.model);
            self.analysis_revision = self.revision;
        }
        &self.analysis
    }

    /// The model and its (up-to-date) analysis together, for panels.
    pub fn view(&mut self) -> (&Model, &Analysis) {
        self.analysis();
        (&self.model, &self.analysis)
    }

    pub fn is_dirty(&self) -> bool {
        self.state_id != self.saved_state_id
    }

    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved_state_id = self.state_id;
    }

    /// Marks the document as never saved (a recovered or imported model).
    pub fn mark_unsaved(&mut self) {
        self.saved_state_id = u64::MAX;
    }

    /// Applies an edit; an edit that changes nothing leaves no undo step.
    pub fn apply(&mut self, edit: Edit) -> bool {
        let before = self.model.clone();
        (edit.apply)(&mut self.model);
        if self.model == before {
            return false;
        }
        self.history
            .record(&edit.label, edit.merge.as_deref(), before, self.state_id);
        // A merged edit keeps extending the same step, but its content is new.
        self.state_id = self.next_state_id;
        self.next_state_id += 1;
        self.revision += 1;
        true
    }

    /// Ends the open undo step (a text field was left).
    pub fn seal(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Option<String> {
        let current = self.model.clone();
        let (model, id, label) = self.history.undo(current, self.state_id)?;
        self.restore(model, id);
        Some(label)
    }

    pub fn redo(&mut self) -> Option<String> {
        let current = self.model.clone();
        let (model, id, label) = self.history.redo(current, self.state_id)?;
        self.restore(model, id);
        Some(label)
    }

    fn restore(&mut self, model: Model, id: u64) {
        self.model = model;
        self.state_id = id;
        self.revision += 1;
    }

    pub fn undo_label(&self) -> Option<&str> {
        self.history.undo_label()
    }

    pub fn redo_label(&self) -> Option<&str> {
        self.history.redo_label()
    }

    /// The file name for titles and messages.
    pub fn title(&self) -> String {
        match &self.path {
            Some(p) => p
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| p.display().to_string()),
            None => format!("{} (not saved)", self.model.name),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn undo_back_to_the_saved_state_is_clean() {
        let mut d = Document::new(Model::new("a"), None);
        d.mark_saved(PathBuf::from("a.dynamodel.json"));
        assert!(!d.is_dirty());
        assert!(d.apply(Edit::new("Rename", |m| m.name = "b".into())));
        assert!(d.is_dirty());
        d.undo().unwrap();
        assert!(!d.is_dirty());
        d.redo().unwrap();
        assert!(d.is_dirty());
    }

    #[test]
    fn no_op_edits_leave_no_step() {
        let mut d = Document::new(Model::new("a"), None);
        assert!(!d.apply(Edit::new("Nothing", |_| {})));
        assert!(d.undo_label().is_none());
    }

    #[test]
    fn analysis_follows_the_revision() {
        let mut d = Document::new(
            crate::model::samples::sample("ecommerce-initial")
                .unwrap()
                .load()
                .unwrap(),
            None,
        );
        let before = d.analysis().counts.errors;
        assert!(before > 0);
        d.apply(Edit::new("Drop tables", |m| m.tables.clear()));
        assert_ne!(d.analysis().counts.errors, before);
    }
}
