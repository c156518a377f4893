//! Carrying out commands (menus, shortcuts, buttons) and what the panels asked
//! for during a frame: edits, selection, tab.

use std::path::PathBuf;
use std::sync::Arc;

use super::Workbench;
use super::dialogs::{Dialog, PathPurpose};
use super::files::file_stem;
use super::settings::Origin;
use crate::model::{self, Model, samples};
use crate::ui::commands::Command;
use crate::ui::document::Document;
use crate::ui::panels;
use crate::ui::panels::compare::{Source, sample_label};
use crate::ui::widgets::draft;
use crate::ui::{Actions, Requested, Selection, Tab};

impl Workbench {
    pub fn run_command(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::New | Command::Open | Command::OpenSample(_) | Command::OpenRecent(_)
                if self.doc.is_dirty() =>
            {
                self.dialog = Dialog::Unsaved { then: command };
            }
            Command::Quit if self.doc.is_dirty() && !self.quitting => {
                self.dialog = Dialog::Unsaved { then: command };
            }
            command => self.run_confirmed(ctx, command),
        }
    }

    /// Runs a command once unsaved changes are dealt with.
    pub(super) fn run_confirmed(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::New => {
                self.replace_document(Document::new(Model::new("Untitled"), None), None);
                self.doc.mark_unsaved();
                self.flash(ctx, "New model");
            }
            Command::Open => self.ask_path(PathPurpose::Open, String::new()),
            Command::Import(format) => self.ask_path(PathPurpose::Import(format), String::new()),
            Command::Export(format) => {
                let name = format.default_file_name(self.doc.model(), false);
                let text = match self.doc.path.as_ref().and_then(|p| p.parent()) {
                    Some(dir) if !dir.as_os_str().is_empty() => {
                        dir.join(name).display().to_string()
                    }
                    _ => name,
                };
                self.ask_path(PathPurpose::Export(format), text);
            }
            Command::OpenSample(id) => {
                if let Some(Ok(m)) = samples::sample(id).map(|s| s.load()) {
                    self.replace_document(Document::new(m, None), Some(Origin::Sample(id.into())));
                    self.flash(ctx, format!("Opened the {id} sample"));
                }
            }
            Command::OpenRecent(path) => self.open_path(ctx, &path),
            Command::Save => match self.doc.path.clone() {
                Some(path) => self.save_to(ctx, &path),
                None => self.run_confirmed(ctx, Command::SaveAs),
            },
            Command::SaveAs => {
                let text = self
                    .doc
                    .path
                    .as_ref()
                    .map(|p| p.display().to_string())
                    .unwrap_or_else(|| {
                        format!(
                            "{}.{}",
                            file_stem(&self.doc.model().name),
                            model::FILE_EXTENSION
                        )
                    });
                self.ask_path(PathPurpose::SaveAs, text);
            }
            Command::CompareWithFile => self.ask_path(PathPurpose::Compare, String::new()),
            Command::CompareWithSaved => {
                let saved = std::sync::Arc::clone(self.doc.saved_model());
                self.start_comparing(ctx, Source::Saved, saved);
            }
            Command::CompareWithSample(id) => match samples::sample(id).map(|s| s.load()) {
                Some(Ok(m)) => self.start_comparing(ctx, Source::Sample(id), Arc::new(m)),
                Some(Err(e)) => {
                    self.dialog = Dialog::Error {
                        title: format!("Could not compare with {}", sample_label(id)),
                        message: format!("{e}\n\nThe open model is unchanged."),
                    };
                }
                None => {}
            },
            Command::StopComparing => {
                self.comparing = None;
                if self.settings.tab == Tab::Compare {
                    self.settings.tab = Tab::Editor;
                }
                self.flash(ctx, "Stopped comparing");
            }
            Command::Quit => {
                self.quitting = true;
                self.clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Undo => {
                // What a field holds as a draft was typed over the model undone.
                draft::forget_all(ctx);
                match self.doc.undo() {
                    Some(label) => self.flash(ctx, format!("Undid: {label}")),
                    None => self.flash(ctx, "Nothing to undo"),
                }
            }
            Command::Redo => {
                draft::forget_all(ctx);
                match self.doc.redo() {
                    Some(label) => self.flash(ctx, format!("Redid: {label}")),
                    None => self.flash(ctx, "Nothing to redo"),
                }
            }
            Command::Delete => self.delete_selection(ctx),
            Command::AddTable | Command::AddGsi | Command::AddEntity | Command::AddPattern => {
                let mut actions = Actions::default();
                let model = self.doc.model();
                // To the selected element's table, else the first.
                let table = self
                    .selection
                    .table_of(model)
                    .or_else(|| model.tables.first().map(|t| t.uid.get()));
                match (command, table) {
                    (Command::AddTable, _) => panels::tree::add_table(&mut actions, model),
                    (Command::AddGsi, Some(t)) => panels::tree::add_gsi(&mut actions, model, t),
                    (Command::AddEntity, Some(t)) => {
                        panels::tree::add_entity(&mut actions, model, t)
                    }
                    (Command::AddPattern, _) => {
                        let entity = self.selection.entity_name(model);
                        panels::tree::add_pattern(&mut actions, model, entity)
                    }
                    _ => {}
                }
                if actions.edits.is_empty() {
                    self.flash(ctx, "Add a table first");
                }
                self.apply_actions(ctx, actions);
            }
            Command::ZoomIn => self.settings.zoom = (self.settings.zoom + 0.1).min(3.0),
            Command::ZoomOut => self.settings.zoom = (self.settings.zoom - 0.1).max(0.5),
            Command::ZoomReset => self.settings.zoom = 1.0,
            Command::ToggleTheme => self.settings.dark = !self.settings.dark,
            Command::TogglePresentation => {
                self.settings.presentation = !self.settings.presentation;
                self.flash(
                    ctx,
                    if self.settings.presentation {
                        "Presentation mode: F5 leaves it"
                    } else {
                        "Presentation mode off"
                    },
                );
            }
            Command::ToggleTree => {
                self.settings.presentation = false;
                self.settings.show_tree = !self.settings.show_tree;
            }
            Command::ToggleChecks => {
                self.settings.presentation = false;
                self.settings.show_checks = !self.settings.show_checks;
            }
            Command::ShowTab(tab) => self.settings.tab = tab,
            Command::RunJob(kind) => {
                self.settings.tab = Tab::Deploy;
                self.start_job(ctx, kind, false);
            }
            Command::Shortcuts => self.dialog = Dialog::Shortcuts,
            Command::About => self.dialog = Dialog::About,
        }
    }

    pub(super) fn delete_selection(&mut self, ctx: &egui::Context) {
        let mut actions = Actions::default();
        panels::tree::delete(&mut actions, self.selection);
        self.selection = Selection::None;
        self.apply_actions(ctx, actions);
    }

    pub(super) fn apply_actions(&mut self, ctx: &egui::Context, actions: Actions) {
        if actions.seal {
            self.doc.seal();
        }
        if let Some(selection) = actions.select {
            self.selection = selection;
        }
        for Requested { edit, typing } in actions.edits {
            let applied = if typing {
                self.doc.apply_typing(&edit)
            } else {
                self.doc.apply(&edit)
            };
            match applied {
                Ok(applied) => {
                    if let Some(created) = applied.created {
                        self.selection = created.into();
                    }
                }
                Err(refused) => self.flash(ctx, format!("Not changed: {refused}")),
            }
        }
        if let Some(tab) = actions.tab {
            self.settings.tab = tab;
        }
        for command in actions.commands {
            self.run_command(ctx, command);
        }
    }

    pub(super) fn handle_input(&mut self, ctx: &egui::Context) {
        let typing = ctx.egui_wants_keyboard_input();
        let mut fired = Vec::new();
        ctx.input_mut(|i| {
            for command in Command::with_shortcuts() {
                // Delete belongs to the text field while one has focus.
                if typing && command == Command::Delete {
                    continue;
                }
                let mut shortcuts = command.shortcut().into_iter().collect::<Vec<_>>();
                shortcuts.extend(command.alternative_shortcuts());
                if shortcuts.iter().any(|s| i.consume_shortcut(s)) {
                    fired.push(command);
                }
            }
        });
        for command in fired {
            if matches!(self.dialog, Dialog::None) {
                self.run_command(ctx, command);
            }
        }
        let dropped: Vec<PathBuf> = ctx.input(|i| {
            i.raw
                .dropped_files
                .iter()
                .map(|f| f.path().to_path_buf())
                .collect()
        });
        if let Some(path) = dropped.into_iter().next() {
            self.run_command(ctx, Command::OpenRecent(path));
        }
        if ctx.input(|i| i.viewport().close_requested()) && !self.quitting {
            if self.doc.is_dirty() {
                ctx.send_viewport_cmd(egui::ViewportCommand::CancelClose);
                self.dialog = Dialog::Unsaved {
                    then: Command::Quit,
                };
            } else {
                self.clear_recovery();
            }
        }
    }
}
