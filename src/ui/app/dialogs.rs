//! The modal dialogs: unsaved changes, errors, paths, notes, recovery, remote
//! deploy confirmation, shortcuts, about.

use std::path::PathBuf;

use egui::RichText;

use super::Workbench;
use super::recovery::RecoveryInfo;
use super::settings::Origin;
use crate::export::{ExportFormat, ImportFormat};
use crate::model::Model;
use crate::ui::commands::Command;
use crate::ui::document::Document;
use crate::ui::panels::deploy::JobKind;

pub(super) enum Dialog {
    None,
    /// Unsaved changes: save, discard or cancel before `then`.
    Unsaved {
        then: Command,
    },
    Error {
        title: String,
        message: String,
    },
    /// A path field (with a Browse… button) for Open, Save As, Export and Import.
    Path {
        purpose: PathPurpose,
        text: String,
        /// CloudFormation as YAML rather than JSON.
        yaml: bool,
    },
    /// What an export or import dropped, kept elsewhere or inferred.
    Notes {
        title: String,
        notes: Vec<String>,
    },
    Recovery {
        info: RecoveryInfo,
        model: Box<Model>,
    },
    /// A deploy job on a non-local endpoint: the user confirms it by name.
    ConfirmRemote {
        kind: JobKind,
        endpoint: String,
    },
    Shortcuts,
    About,
}

/// What a path dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Export(ExportFormat),
    Import(ImportFormat),
    /// A model to compare the open one with.
    Compare,
}

impl PathPurpose {
    pub(super) fn title(self) -> String {
        match self {
            PathPurpose::Open => "Open".into(),
            PathPurpose::SaveAs => "Save As".into(),
            PathPurpose::Export(f) => format!("Export {}", f.label()),
            PathPurpose::Import(f) => format!("Import {}", f.label()),
            PathPurpose::Compare => "Compare with".into(),
        }
    }

    pub(super) fn field_label(self) -> &'static str {
        match self {
            PathPurpose::Open | PathPurpose::SaveAs => "Model file path",
            PathPurpose::Export(_) => "Export file path",
            PathPurpose::Import(_) => "Import file path",
            PathPurpose::Compare => "File to compare with",
        }
    }

    pub(super) fn action(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Export(_) => "Export",
            PathPurpose::Import(_) => "Import",
            PathPurpose::Compare => "Compare",
        }
    }

    pub(super) fn writes(self) -> bool {
        matches!(self, PathPurpose::SaveAs | PathPurpose::Export(_))
    }

    /// The Browse dialog's filter: a name and the extensions of the files the
    /// purpose reads or writes (`sql` for a MySQL schema, `md` for the document).
    pub(super) fn filter(self) -> (&'static str, Vec<String>) {
        match self {
            PathPurpose::Open | PathPurpose::SaveAs | PathPurpose::Compare => {
                ("dynamodel model", vec!["json".to_string()])
            }
            PathPurpose::Import(f) => (f.label(), vec![f.file_extension().to_string()]),
            PathPurpose::Export(ExportFormat::CloudFormation) => (
                ExportFormat::CloudFormation.label(),
                ["json", "yaml", "yml"].map(String::from).to_vec(),
            ),
            PathPurpose::Export(f) => {
                // The extension of the file name the format proposes.
                let name = f.default_file_name(&Model::default(), false);
                let extension = std::path::Path::new(&name)
                    .extension()
                    .map(|e| e.to_string_lossy().into_owned())
                    .unwrap_or_default();
                (f.label(), vec![extension])
            }
        }
    }
}

impl Workbench {
    /// Whether a modal dialog is open, and its title (for tests and the status bar).
    pub fn dialog_title(&self) -> Option<String> {
        match &self.dialog {
            Dialog::None => None,
            Dialog::Unsaved { .. } => Some("Unsaved changes".into()),
            Dialog::Error { title, .. } => Some(title.clone()),
            Dialog::Path { purpose, .. } => Some(purpose.title()),
            Dialog::Notes { title, .. } => Some(title.clone()),
            Dialog::Recovery { .. } => Some("Recover unsaved changes".into()),
            Dialog::Shortcuts => Some("Keyboard shortcuts".into()),
            Dialog::ConfirmRemote { .. } => Some("Deploy to a non-local endpoint".into()),
            Dialog::About => Some("About dynamodel".into()),
        }
    }

    pub(super) fn dialogs(&mut self, ctx: &egui::Context) {
        let mut close = false;
        let mut then: Option<Command> = None;
        let mut chosen_path: Option<(PathPurpose, PathBuf, bool)> = None;
        let mut confirmed_job: Option<JobKind> = None;
        let mut restore = false;
        match &mut self.dialog {
            Dialog::None => return,
            Dialog::Unsaved { then: after } => {
                let name = self.doc.title();
                egui::Modal::new(egui::Id::unique("unsaved")).show(ctx, |ui| {
                    ui.heading("Unsaved changes");
                    ui.label(format!("Save the changes to {name} first?"));
                    ui.horizontal(|ui| {
                        if ui.button("Save").clicked() {
                            self.after_save = Some(after.clone());
                            then = Some(Command::Save);
                            close = true;
                        }
                        if ui.button("Discard changes").clicked() {
                            if *after == Command::Quit {
                                self.quitting = true;
                            }
                            self.force_next = true;
                            then = Some(after.clone());
                            close = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::Error { title, message } => {
                egui::Modal::new(egui::Id::unique("error")).show(ctx, |ui| {
                    ui.set_max_width(560.0);
                    ui.heading(title.as_str());
                    ui.label(message.as_str());
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                });
            }
            Dialog::Path {
                purpose,
                text,
                yaml,
            } => {
                let purpose = *purpose;
                egui::Modal::new(egui::Id::unique("path")).show(ctx, |ui| {
                    ui.set_min_width(560.0);
                    ui.heading(purpose.title());
                    let l = ui.label(purpose.field_label());
                    let field = ui
                        .add(egui::TextEdit::singleline(text).desired_width(f32::INFINITY))
                        .labelled_by(l.id);
                    // The path is what the dialog asks for: typing goes there at once.
                    if ui.memory(|m| m.focused().is_none()) {
                        field.request_focus();
                    }
                    if purpose == PathPurpose::Export(ExportFormat::CloudFormation)
                        && ui.checkbox(yaml, "YAML instead of JSON").changed()
                    {
                        let (from, to) = if *yaml {
                            (".cfn.json", ".cfn.yaml")
                        } else {
                            (".cfn.yaml", ".cfn.json")
                        };
                        if let Some(stem) = text.strip_suffix(from) {
                            *text = format!("{stem}{to}");
                        }
                    }
                    let enter = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
                    ui.horizontal(|ui| {
                        if ui.button("Browse…").clicked() {
                            let (name, extensions) = purpose.filter();
                            let dialog = rfd::FileDialog::new().add_filter(name, &extensions);
                            let picked = if purpose.writes() {
                                dialog.set_file_name(text.as_str()).save_file()
                            } else {
                                dialog.pick_file()
                            };
                            if let Some(p) = picked {
                                *text = p.display().to_string();
                            }
                        }
                        let ok = ui.add_enabled(
                            !text.trim().is_empty(),
                            egui::Button::new(purpose.action()),
                        );
                        if ok.clicked() || (enter && !text.trim().is_empty()) {
                            chosen_path = Some((purpose, PathBuf::from(text.trim()), *yaml));
                            close = true;
                        }
                        if ui.button("Cancel").clicked() {
                            self.after_save = None;
                            close = true;
                        }
                    });
                });
            }
            Dialog::Notes { title, notes } => {
                egui::Modal::new(egui::Id::unique("notes")).show(ctx, |ui| {
                    ui.set_max_width(720.0);
                    ui.heading(title.as_str());
                    egui::ScrollArea::vertical()
                        .max_height(360.0)
                        .show(ui, |ui| {
                            for note in notes.iter() {
                                ui.label(RichText::new(note).monospace());
                            }
                        });
                    if ui.button("OK").clicked() {
                        close = true;
                    }
                });
            }
            Dialog::Recovery { info, .. } => {
                let from = info
                    .path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| "a model that was never saved".into());
                egui::Modal::new(egui::Id::unique("recovery")).show(ctx, |ui| {
                    ui.heading("Recover unsaved changes");
                    ui.label(format!(
                        "dynamodel stopped with unsaved changes to “{}” ({from}). Restore them?",
                        info.model
                    ));
                    ui.horizontal(|ui| {
                        if ui.button("Restore").clicked() {
                            restore = true;
                            close = true;
                        }
                        if ui.button("Discard").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::ConfirmRemote { kind, endpoint } => {
                let kind = *kind;
                egui::Modal::new(egui::Id::unique("confirm-remote")).show(ctx, |ui| {
                    ui.set_max_width(560.0);
                    ui.heading("Deploy to a non-local endpoint");
                    ui.label(format!(
                        "{} will run against {endpoint} with your standard AWS credentials (the account of your default profile or environment). Tables there are never deleted or replaced: missing ones are created, and differing ones only changed in place (a new GSI, billing, time to live, stream).",
                        kind.label()
                    ));
                    ui.horizontal(|ui| {
                        if ui.button(format!("{} on {endpoint}", kind.label())).clicked() {
                            confirmed_job = Some(kind);
                            close = true;
                        }
                        if ui.button("Cancel").clicked() {
                            close = true;
                        }
                    });
                });
            }
            Dialog::Shortcuts => {
                egui::Modal::new(egui::Id::unique("shortcuts")).show(ctx, |ui| {
                    ui.heading("Keyboard shortcuts");
                    egui::Grid::new("shortcut-grid")
                        .striped(true)
                        .show(ui, |ui| {
                            for command in Command::with_shortcuts() {
                                ui.label(command.label());
                                let mut keys: Vec<String> = command
                                    .shortcut()
                                    .iter()
                                    .map(|s| ctx.format_shortcut(s))
                                    .collect();
                                keys.extend(
                                    command
                                        .alternative_shortcuts()
                                        .iter()
                                        .map(|s| ctx.format_shortcut(s)),
                                );
                                ui.label(keys.join("  or  "));
                                ui.end_row();
                            }
                        });
                    if ui.button("Close").clicked() {
                        close = true;
                    }
                });
            }
            Dialog::About => {
                egui::Modal::new(egui::Id::unique("about")).show(ctx, |ui| {
                    ui.heading("dynamodel");
                    ui.label(format!("Version {}", env!("CARGO_PKG_VERSION")));
                    ui.label("A workbench for designing Amazon DynamoDB data models: keys, indexes, access patterns, live design checks.");
                    if ui.button("Close").clicked() {
                        close = true;
                    }
                });
            }
        }
        if close {
            let dialog = std::mem::replace(&mut self.dialog, Dialog::None);
            if restore && let Dialog::Recovery { info, model } = dialog {
                let mut doc = Document::new(*model, info.path.clone());
                doc.mark_unsaved();
                self.replace_document(doc, info.path.map(Origin::File));
                self.flash(ctx, "Restored the unsaved changes");
            }
        }
        if let Some(kind) = confirmed_job {
            self.start_job(ctx, kind, true);
        }
        if let Some((purpose, path, yaml)) = chosen_path {
            match purpose {
                PathPurpose::Open => self.open_path(ctx, &path),
                PathPurpose::SaveAs => self.save_to(ctx, &path),
                PathPurpose::Export(format) => self.export_to(ctx, format, &path, yaml),
                PathPurpose::Import(format) => self.import_from(ctx, format, &path),
                PathPurpose::Compare => self.compare_with_path(ctx, &path),
            }
        }
        if let Some(command) = then {
            if std::mem::take(&mut self.force_next) {
                self.run_confirmed(ctx, command);
            } else {
                self.run_command(ctx, command);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn browse_filters_use_each_format_s_extension() {
        let extensions = |purpose: PathPurpose| purpose.filter().1;
        assert_eq!(
            extensions(PathPurpose::Import(ImportFormat::Mysql)),
            ["sql"]
        );
        assert_eq!(
            extensions(PathPurpose::Import(ImportFormat::MigrationContract)),
            ["json"]
        );
        assert_eq!(
            extensions(PathPurpose::Export(ExportFormat::Markdown)),
            ["md"]
        );
        assert_eq!(extensions(PathPurpose::Export(ExportFormat::Svg)), ["svg"]);
        assert_eq!(
            extensions(PathPurpose::Export(ExportFormat::MigrationContract)),
            ["json"]
        );
        assert_eq!(
            extensions(PathPurpose::Export(ExportFormat::CloudFormation)),
            ["json", "yaml", "yml"]
        );
    }
}
