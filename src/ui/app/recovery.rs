//! Autosave: a recovery file written while there are unsaved changes, offered
//! back on the next start.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::Workbench;
use super::dialogs::Dialog;
use crate::model;

const RECOVERY_FILE: &str = "recovery.dynamodel.json";
const RECOVERY_INFO: &str = "recovery.json";

/// What the recovery file was recovered from.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub(super) struct RecoveryInfo {
    pub path: Option<PathBuf>,
    pub model: String,
}

impl Workbench {
    pub(super) fn recovery_paths(&self) -> Option<(PathBuf, PathBuf)> {
        let dir = self.recovery_dir.as_ref()?;
        Some((dir.join(RECOVERY_FILE), dir.join(RECOVERY_INFO)))
    }

    pub(super) fn autosave(&mut self, ctx: &egui::Context) {
        let now = ctx.input(|i| i.time);
        if self.autosave_every <= 0.0 || now - self.last_autosave < self.autosave_every {
            return;
        }
        self.last_autosave = now;
        if !self.doc.is_dirty() || self.doc.revision() == self.autosaved_revision {
            return;
        }
        self.write_recovery();
    }

    /// Writes the recovery file now (the periodic autosave calls this).
    pub fn write_recovery(&mut self) {
        let Some((file, info_file)) = self.recovery_paths() else {
            return;
        };
        let info = RecoveryInfo {
            path: self.doc.path.clone(),
            model: self.doc.model().name.clone(),
        };
        let written = std::fs::create_dir_all(file.parent().unwrap_or(Path::new(".")))
            .ok()
            .and_then(|_| model::save(self.doc.model(), &file).ok())
            .and_then(|_| serde_json::to_string_pretty(&info).ok())
            .and_then(|text| model::write_atomically(&info_file, text.as_bytes()).ok());
        if written.is_some() {
            self.autosaved_revision = self.doc.revision();
        }
    }

    pub(super) fn clear_recovery(&mut self) {
        if let Some((file, info)) = self.recovery_paths() {
            let _ = std::fs::remove_file(file);
            let _ = std::fs::remove_file(info);
        }
    }

    pub(super) fn offer_recovery(&mut self) {
        let Some((file, info_file)) = self.recovery_paths() else {
            return;
        };
        if !file.exists() {
            return;
        }
        let info: RecoveryInfo = std::fs::read_to_string(&info_file)
            .ok()
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or(RecoveryInfo {
                path: None,
                model: "an unsaved model".into(),
            });
        match model::load(&file) {
            Ok(m) => {
                self.dialog = Dialog::Recovery {
                    info,
                    model: Box::new(m),
                }
            }
            Err(_) => self.clear_recovery(),
        }
    }
}
