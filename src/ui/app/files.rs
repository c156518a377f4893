//! Files: open, save, import, export, and replacing the open document.

use std::path::Path;
use std::sync::Arc;

use super::Workbench;
use super::dialogs::{Dialog, PathPurpose};
use super::settings::Origin;
use crate::export::{self, ExportFormat, ExportOptions, ImportFormat};
use crate::model::{self, LoadError, Model};
use crate::ui::Tab;
use crate::ui::document::Document;
use crate::ui::panels::compare::{Comparing, Source};

impl Workbench {
    pub(super) fn replace_document(&mut self, doc: Document, origin: Option<Origin>) {
        self.doc = doc;
        if let Some(origin) = origin {
            self.origin = origin;
            self.settings.last = Some(self.origin.clone());
        }
        self.clear_recovery();
        self.autosaved_revision = 0;
        self.select_first();
        // The new document's revisions count from zero again.
        if let Some(comparing) = &mut self.comparing {
            comparing.invalidate();
        }
    }

    /// Compares the open model with `baseline` from now on, in the Compare tab.
    pub(super) fn start_comparing(
        &mut self,
        ctx: &egui::Context,
        source: Source,
        baseline: Arc<Model>,
    ) {
        self.flash(ctx, format!("Comparing with {}", source.describe()));
        self.comparing = Some(Comparing::new(source, baseline));
        self.settings.tab = Tab::Compare;
    }

    /// Compares the open model with the model in `path`: a model file, or
    /// anything File ▸ Import reads. On failure the comparison and the model
    /// stay as they were.
    pub fn compare_with_path(&mut self, ctx: &egui::Context, path: &Path) {
        match read_any(path) {
            Ok(m) => self.start_comparing(ctx, Source::File(path.to_path_buf()), Arc::new(m)),
            Err(message) => {
                self.dialog = Dialog::Error {
                    title: format!("Could not compare with {}", path.display()),
                    message: format!("{message}\n\nThe open model is unchanged."),
                };
            }
        }
    }

    /// Opens a model file; on failure the open model stays as it was.
    pub fn open_path(&mut self, ctx: &egui::Context, path: &Path) {
        match model::load(path) {
            Ok(m) => {
                self.replace_document(
                    Document::new(m, Some(path.to_path_buf())),
                    Some(Origin::File(path.to_path_buf())),
                );
                self.remember_recent(path.to_path_buf());
                self.flash(ctx, format!("Opened {}", path.display()));
            }
            Err(e) => {
                self.dialog = Dialog::Error {
                    title: format!("Could not open {}", path.display()),
                    message: format!("{e}\n\nThe model that was open stays open, unchanged."),
                };
            }
        }
    }

    /// Saves atomically; on failure the file on disk and the model stay as they were.
    pub fn save_to(&mut self, ctx: &egui::Context, path: &Path) {
        match model::save(self.doc.model(), path) {
            Ok(()) => {
                self.doc.mark_saved(path.to_path_buf());
                self.origin = Origin::File(path.to_path_buf());
                self.settings.last = Some(self.origin.clone());
                self.remember_recent(path.to_path_buf());
                self.clear_recovery();
                self.flash(ctx, format!("Saved {}", path.display()));
                if let Some(then) = self.after_save.take() {
                    self.run_confirmed(ctx, then);
                }
            }
            Err(e) => {
                self.after_save = None;
                self.dialog = Dialog::Error {
                    title: format!("Could not save {}", path.display()),
                    message: format!("{e}\n\nYour model is still open, with all its changes."),
                };
            }
        }
    }

    pub(super) fn ask_path(&mut self, purpose: PathPurpose, text: String) {
        self.dialog = Dialog::Path {
            purpose,
            text,
            yaml: false,
        };
    }

    /// Shows what an import or export dropped, kept elsewhere or inferred, if anything.
    pub(super) fn show_notes(&mut self, title: String, report: &export::Report) {
        if !report.is_empty() {
            self.dialog = Dialog::Notes {
                title,
                notes: report.notes.iter().map(ToString::to_string).collect(),
            };
        }
    }

    /// Writes an export atomically and says what the format could not carry.
    pub fn export_to(
        &mut self,
        ctx: &egui::Context,
        format: ExportFormat,
        path: &Path,
        yaml: bool,
    ) {
        let options = ExportOptions {
            yaml,
            live_run: self.live_run.clone(),
            ..ExportOptions::default()
        };
        let exported = export::export(self.doc.model(), format, &options);
        match model::write_atomically(path, exported.text.as_bytes()) {
            Ok(()) => {
                self.flash(ctx, format!("Exported {}", path.display()));
                self.show_notes(format!("Exported {}", path.display()), &exported.report);
            }
            Err(e) => {
                self.dialog = Dialog::Error {
                    title: format!("Could not export to {}", path.display()),
                    message: format!("{e}\n\nNothing was written; the model is unchanged."),
                };
            }
        }
    }

    /// Opens an imported model as a new, unsaved document, and shows what the
    /// import inferred or could not carry.
    pub fn import_from(&mut self, ctx: &egui::Context, format: ImportFormat, path: &Path) {
        match export::import(path, format) {
            Ok(imported) => {
                let mut doc = Document::new(imported.model, None);
                doc.mark_unsaved();
                self.replace_document(doc, None);
                self.flash(ctx, format!("Imported {}", path.display()));
                self.show_notes(format!("Imported {}", path.display()), &imported.report);
            }
            Err(e) => {
                self.dialog = Dialog::Error {
                    title: format!("Could not import {}", path.display()),
                    message: format!("{e}\n\nThe model that was open stays open, unchanged."),
                };
            }
        }
    }
}

/// A model from a model file or, when the file is not one (it has no
/// `format_version`), from any format File ▸ Import reads.
fn read_any(path: &Path) -> Result<Model, String> {
    let error = match model::load(path) {
        Ok(m) => return Ok(m),
        Err(e @ LoadError::MissingVersion { .. }) => e,
        Err(e) => return Err(e.to_string()),
    };
    let mut tried = vec![error.to_string()];
    for format in ImportFormat::ALL {
        match export::import(path, format) {
            Ok(imported) => return Ok(imported.model),
            Err(e) => tried.push(format!("Not a {}: {e}", format.label())),
        }
    }
    Err(tried.join("\n"))
}

/// A file name for a model called `name`.
pub(super) fn file_stem(name: &str) -> String {
    let stem: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '-' {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    // "Online shop (workshop)" is online-shop-workshop, not online-shop--workshop-.
    let mut collapsed = String::with_capacity(stem.len());
    for c in stem.chars() {
        if !(c == '-' && collapsed.ends_with('-')) {
            collapsed.push(c);
        }
    }
    let stem = collapsed.trim_matches('-').to_string();
    if stem.is_empty() {
        "model".into()
    } else {
        stem
    }
}

#[cfg(test)]
mod tests {
    use super::file_stem;

    #[test]
    fn file_names_have_single_dashes() {
        assert_eq!(
            file_stem("Online shop (Modernizr workshop redesign)"),
            "online-shop-modernizr-workshop-redesign"
        );
        assert_eq!(file_stem("  "), "model");
    }
}
