//! The open model: its file, its undo history, whether it is saved, and the
//! analysis derived from it (recomputed only when the model changes).

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use super::history::History;
use crate::analysis::{self, Analysis};
use crate::model::{Applied, Edit, EditError, Model};

pub struct Document {
    /// Shared with the undo history and a running re-check: an edit copies the
    /// model once (`Arc::make_mut`), undo and redo and handing it to the checker
    /// copy nothing.
    model: Arc<Model>,
    pub path: Option<PathBuf>,
    /// The model as last saved, or as opened: what "compare with the last saved
    /// version" compares with. The same `Arc` the model was, so its elements keep
    /// their identities and pair with the open model's by them.
    saved: Arc<Model>,
    /// Bumped on every change, undo and redo included: derived data keys on it.
    revision: u64,
    /// Identifies the model's content: undoing back to the saved state makes it clean again.
    state_id: u64,
    next_state_id: u64,
    saved_state_id: u64,
    history: History,
    analysis: Analysis,
    analysis_revision: u64,
    /// A re-check of a large model running off the UI thread: its revision and result.
    pending: Option<(u64, Receiver<Analysis>)>,
}

/// Models with more access patterns than this are re-checked on a worker thread,
/// so an edit never stalls a frame; smaller ones are checked at once (well under a
/// millisecond), so what is on screen always matches the model.
const BACKGROUND_PATTERNS: usize = 400;

impl Document {
    pub fn new(model: Model, path: Option<PathBuf>) -> Self {
        let analysis = analysis::analyze(&model);
        let model = Arc::new(model);
        Document {
            saved: Arc::clone(&model),
            model,
            path,
            revision: 0,
            state_id: 0,
            next_state_id: 1,
            saved_state_id: 0,
            history: History::default(),
            analysis,
            analysis_revision: 0,
            pending: None,
        }
    }

    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The model as last saved (or as opened, when never saved since).
    pub fn saved_model(&self) -> &Arc<Model> {
        &self.saved
    }

    pub fn revision(&self) -> u64 {
        self.revision
    }

    /// The analysis of the current model, recomputed if the model changed.
    /// Always current: waits for a background re-check if one is running.
    pub fn analysis(&mut self) -> &Analysis {
        if self.analysis_revision != self.revision {
            self.analysis = analysis::analyze(&self.model);
            self.analysis_revision = self.revision;
            self.pending = None;
        }
        &self.analysis
    }

    /// Brings the analysis up to date without blocking on large models: starts a
    /// re-check on a worker thread (calling `wake` when it is done) and keeps
    /// showing the previous result until then.
    pub fn refresh_analysis(&mut self, wake: impl Fn() + Send + 'static) {
        if let Some((revision, rx)) = &self.pending {
            match rx.try_recv() {
                Ok(result) => {
                    if *revision == self.revision {
                        let old = std::mem::replace(&mut self.analysis, result);
                        // A large analysis takes a millisecond or more to free: not on
                        // the UI thread (freed right here if no thread can start).
                        let _ = std::thread::Builder::new()
                            .name("dynamodel-free".into())
                            .spawn(move || drop(old));
                        self.analysis_revision = *revision;
                    }
                    self.pending = None;
                }
                Err(TryRecvError::Empty) if *revision == self.revision => return,
                Err(_) => self.pending = None,
            }
        }
        if self.analysis_revision == self.revision {
            return;
        }
        if self.model.access_patterns.len() <= BACKGROUND_PATTERNS {
            self.analysis();
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        let model = Arc::clone(&self.model);
        let spawned = std::thread::Builder::new()
            .name("dynamodel-checks".into())
            .spawn(move || {
                let _ = tx.send(analysis::analyze(&model));
                wake();
            });
        match spawned {
            Ok(_) => self.pending = Some((self.revision, rx)),
            Err(_) => {
                self.analysis();
            }
        }
    }

    /// Whether the analysis on screen is older than the model (a re-check is running).
    pub fn is_checking(&self) -> bool {
        self.analysis_revision != self.revision
    }

    /// The model and the analysis on screen (possibly a revision behind while a
    /// large model is re-checked: panels match results to patterns by id).
    pub fn view(&self) -> (&Model, &Analysis) {
        (&self.model, &self.analysis)
    }

    pub fn is_dirty(&self) -> bool {
        self.state_id != self.saved_state_id
    }

    pub fn mark_saved(&mut self, path: PathBuf) {
        self.path = Some(path);
        self.saved_state_id = self.state_id;
        self.saved = Arc::clone(&self.model);
    }

    /// Marks the document as never saved (a recovered or imported model).
    pub fn mark_unsaved(&mut self) {
        self.saved_state_id = u64::MAX;
    }

    /// Applies an edit as its own undo step. A refused edit leaves the model as
    /// it was, and an edit that changes nothing leaves no undo step.
    pub fn apply(&mut self, edit: &Edit) -> Result<Applied, EditError> {
        self.apply_merging(edit, None)
    }

    /// Applies an edit typed (or dragged) in one field: it joins the open undo
    /// step when that step holds edits with the same merge key.
    pub fn apply_typing(&mut self, edit: &Edit) -> Result<Applied, EditError> {
        self.apply_merging(edit, edit.merge_key())
    }

    fn apply_merging(&mut self, edit: &Edit, merge: Option<String>) -> Result<Applied, EditError> {
        let before = Arc::clone(&self.model);
        let result = Arc::make_mut(&mut self.model).apply(edit);
        match &result {
            Ok(applied) if *self.model != *before => {
                self.history
                    .record(&applied.label, merge.as_deref(), before, self.state_id);
                // A merged edit keeps extending the same step, but its content is new.
                self.state_id = self.next_state_id;
                self.next_state_id += 1;
                self.revision += 1;
            }
            // Refused, or nothing changed: keep sharing the model as it was; the
            // copy the edit worked on goes.
            _ => self.model = before,
        }
        result
    }

    /// Ends the open undo step (a text field was left).
    pub fn seal(&mut self) {
        self.history.seal();
    }

    pub fn undo(&mut self) -> Option<String> {
        let current = Arc::clone(&self.model);
        let (model, id, label) = self.history.undo(current, self.state_id)?;
        self.restore(model, id);
        Some(label)
    }

    pub fn redo(&mut self) -> Option<String> {
        let current = Arc::clone(&self.model);
        let (model, id, label) = self.history.redo(current, self.state_id)?;
        self.restore(model, id);
        Some(label)
    }

    fn restore(&mut self, model: Arc<Model>, id: u64) {
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
        assert!(d.apply(&rename_model("b")).is_ok());
        assert!(d.is_dirty());
        d.undo().unwrap();
        assert!(!d.is_dirty());
        d.redo().unwrap();
        assert!(d.is_dirty());
    }

    fn rename_model(name: &str) -> Edit {
        Edit::Model(crate::model::ModelChange::Name(name.into()))
    }

    fn shop() -> Model {
        crate::model::samples::sample("ecommerce")
            .unwrap()
            .load()
            .unwrap()
    }

    #[test]
    fn the_saved_version_keeps_identities_and_moves_on_save() {
        let mut d = Document::new(shop(), None);
        let opened = Arc::clone(d.saved_model());
        let orders = d.model().table_uid("Orders").unwrap();
        d.apply(&Edit::Rename {
            element: crate::model::Element::Table(orders),
            name: "Purchases".into(),
        })
        .unwrap();
        assert!(Arc::ptr_eq(d.saved_model(), &opened), "an edit leaves it");
        assert_eq!(d.saved_model().table_uid("Orders"), Some(orders));
        d.mark_saved(PathBuf::from("shop.dynamodel.json"));
        assert_eq!(d.saved_model().table_uid("Purchases"), Some(orders));
    }

    #[test]
    fn no_op_edits_leave_no_step() {
        let mut d = Document::new(Model::new("a"), None);
        assert!(d.apply(&rename_model("a")).is_ok());
        assert!(d.undo_label().is_none());
        assert_eq!(d.revision(), 0);
    }

    #[test]
    fn a_refused_edit_leaves_the_model_and_the_history_alone() {
        let mut d = Document::new(shop(), None);
        let before = d.model().clone();
        let orders = d.model().table_uid("Orders").unwrap();
        let refused = d.apply_typing(&Edit::Rename {
            element: crate::model::Element::Table(orders),
            name: "Users".into(),
        });
        assert_eq!(
            refused.unwrap_err().to_string(),
            "table `Users` already exists"
        );
        assert_eq!(d.model(), &before);
        assert!(d.undo_label().is_none());
        assert!(!d.is_dirty());
    }

    #[test]
    fn typing_in_one_field_is_one_step_labelled_by_the_model() {
        let mut d = Document::new(shop(), None);
        let before = d.model().clone();
        let orders = crate::model::Element::Table(d.model().table_uid("Orders").unwrap());
        for name in ["O", "Or", "Ord"] {
            d.apply_typing(&Edit::Rename {
                element: orders,
                name: name.into(),
            })
            .unwrap();
        }
        assert_eq!(d.undo_label(), Some("Rename table Orders to O"));
        d.undo().unwrap();
        assert_eq!(d.model(), &before);
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
        let users = d.model().table_uid("Users").unwrap();
        d.apply(&Edit::Remove(crate::model::Element::Table(users)))
            .unwrap();
        assert_ne!(d.analysis().counts.errors, before);
    }

    fn model_entity(d: &Document, i: usize) -> crate::model::Uid {
        d.model().entities[i].uid.get()
    }

    #[test]
    fn large_models_are_rechecked_off_the_ui_thread() {
        let mut model = crate::model::samples::sample("ecommerce")
            .unwrap()
            .load()
            .unwrap();
        let base = model.access_patterns.clone();
        for round in 0..10 {
            for p in &base {
                let mut p = p.clone();
                p.id = format!("{}-{round}", p.id);
                model.access_patterns.push(p);
            }
        }
        assert!(model.access_patterns.len() > BACKGROUND_PATTERNS);
        let mut d = Document::new(model, None);
        let errors = d.view().1.counts.errors;
        let first = model_entity(&d, 0);
        d.apply(&Edit::SetTemplate {
            entity: first,
            key: "PK".into(),
            template: Some("USER#{email}".into()),
        })
        .unwrap();
        d.refresh_analysis(|| {});
        assert!(d.is_checking(), "the re-check runs in the background");
        assert_eq!(
            d.view().1.counts.errors,
            errors,
            "the old result stays on screen meanwhile"
        );
        let start = std::time::Instant::now();
        while d.is_checking() && start.elapsed() < std::time::Duration::from_secs(30) {
            std::thread::sleep(std::time::Duration::from_millis(5));
            d.refresh_analysis(|| {});
        }
        assert!(!d.is_checking());
        assert!(
            d.view().1.counts.errors > errors,
            "the prefix finding arrived"
        );
    }
}
