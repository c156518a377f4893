//! The menu bar and the status bar.

use egui::{Align, Layout, RichText};

use super::Workbench;
use crate::analysis::Severity;
use crate::export::{ExportFormat, ImportFormat};
use crate::model::samples;
use crate::ui::commands::Command;
use crate::ui::panels::compare::sample_label;
use crate::ui::panels::deploy::JobKind;
use crate::ui::widgets::severity_icon;
use crate::ui::{Selection, Tab};

impl Workbench {
    pub(super) fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let mut chosen: Option<Command> = None;
        let item =
            |ui: &mut egui::Ui, command: Command, enabled: bool, chosen: &mut Option<Command>| {
                let mut button = egui::Button::new(command.label());
                if let Some(s) = command.shortcut() {
                    button = button.shortcut_text(ui.ctx().format_shortcut(&s));
                }
                let mut response = ui.add_enabled(enabled, button);
                if let Some(tooltip) = command.tooltip() {
                    response = response.on_hover_text(tooltip);
                }
                if response.clicked() {
                    *chosen = Some(command);
                }
            };
        // A command that shows or hides something: a check mark says which.
        let toggle =
            |ui: &mut egui::Ui, command: Command, on: bool, chosen: &mut Option<Command>| {
                let mut button = egui::Button::selectable(on, command.label());
                if let Some(s) = command.shortcut() {
                    button = button.shortcut_text(ui.ctx().format_shortcut(&s));
                }
                if ui.add(button).clicked() {
                    *chosen = Some(command);
                }
            };
        egui::MenuBar::new().ui(ui, |ui| {
            ui.menu_button("File", |ui| {
                item(ui, Command::New, true, &mut chosen);
                item(ui, Command::Open, true, &mut chosen);
                ui.menu_button("Open sample", |ui| {
                    for s in samples::SAMPLES {
                        if ui.button(s.title).clicked() {
                            chosen = Some(Command::OpenSample(s.id));
                        }
                    }
                });
                ui.add_enabled_ui(!self.settings.recent.is_empty(), |ui| {
                    ui.menu_button("Open recent", |ui| {
                        for path in &self.settings.recent {
                            if ui.button(path.display().to_string()).clicked() {
                                chosen = Some(Command::OpenRecent(path.clone()));
                            }
                        }
                    });
                });
                ui.separator();
                ui.menu_button("Import", |ui| {
                    for format in ImportFormat::ALL {
                        item(ui, Command::Import(format), true, &mut chosen);
                    }
                });
                ui.menu_button("Export", |ui| {
                    for format in ExportFormat::ALL {
                        item(ui, Command::Export(format), true, &mut chosen);
                    }
                });
                ui.separator();
                item(ui, Command::CompareWithFile, true, &mut chosen);
                item(ui, Command::CompareWithSaved, true, &mut chosen);
                ui.menu_button(Command::CompareWithSample("").label(), |ui| {
                    for s in samples::SAMPLES {
                        if ui.button(sample_label(s.id)).clicked() {
                            chosen = Some(Command::CompareWithSample(s.id));
                        }
                    }
                });
                item(
                    ui,
                    Command::StopComparing,
                    self.comparing.is_some(),
                    &mut chosen,
                );
                ui.separator();
                item(ui, Command::Save, true, &mut chosen);
                item(ui, Command::SaveAs, true, &mut chosen);
                ui.separator();
                item(ui, Command::Quit, true, &mut chosen);
            });
            ui.menu_button("Edit", |ui| {
                let undo = self.doc.undo_label().map(|l| format!("Undo {l}"));
                let redo = self.doc.redo_label().map(|l| format!("Redo {l}"));
                item(ui, Command::Undo, undo.is_some(), &mut chosen);
                item(ui, Command::Redo, redo.is_some(), &mut chosen);
                ui.separator();
                item(ui, Command::AddTable, true, &mut chosen);
                item(ui, Command::AddGsi, true, &mut chosen);
                item(ui, Command::AddEntity, true, &mut chosen);
                item(ui, Command::AddPattern, true, &mut chosen);
                ui.separator();
                item(
                    ui,
                    Command::Delete,
                    self.selection != Selection::None,
                    &mut chosen,
                );
            });
            ui.menu_button("View", |ui| {
                for tab in Tab::ALL {
                    item(ui, Command::ShowTab(tab), true, &mut chosen);
                }
                ui.separator();
                item(ui, Command::ZoomIn, true, &mut chosen);
                item(ui, Command::ZoomOut, true, &mut chosen);
                item(ui, Command::ZoomReset, true, &mut chosen);
                item(ui, Command::ToggleTheme, true, &mut chosen);
                ui.separator();
                let presenting = self.settings.presentation;
                toggle(ui, Command::TogglePresentation, presenting, &mut chosen);
                toggle(
                    ui,
                    Command::ToggleTree,
                    !presenting && self.settings.show_tree,
                    &mut chosen,
                );
                toggle(
                    ui,
                    Command::ToggleChecks,
                    !presenting && self.settings.show_checks,
                    &mut chosen,
                );
            });
            ui.menu_button("Deploy", |ui| {
                item(ui, Command::ShowTab(Tab::Deploy), true, &mut chosen);
                ui.separator();
                for kind in JobKind::ALL {
                    item(
                        ui,
                        Command::RunJob(kind),
                        !self.deploy.is_running(),
                        &mut chosen,
                    );
                }
            });
            ui.menu_button("Help", |ui| {
                item(ui, Command::Shortcuts, true, &mut chosen);
                item(ui, Command::About, true, &mut chosen);
            });
        });
        if let Some(command) = chosen {
            let ctx = ui.ctx().clone();
            self.run_command(&ctx, command);
        }
    }

    pub(super) fn status_bar(&mut self, ui: &mut egui::Ui) {
        let now = ui.ctx().input(|i| i.time);
        let dirty = self.doc.is_dirty();
        let title = self.doc.title();
        let counts = self.doc.view().1.counts;
        let checking = self.doc.is_checking();
        ui.horizontal(|ui| {
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    severity_icon(Severity::Error),
                    counts.errors
                ))
                .color(ui.visuals().error_fg_color),
            )
            .on_hover_text("errors");
            ui.label(
                RichText::new(format!(
                    "{} {}",
                    severity_icon(Severity::Warning),
                    counts.warnings
                ))
                .color(ui.visuals().warn_fg_color),
            )
            .on_hover_text("warnings");
            if checking {
                ui.spinner();
                ui.label(RichText::new("checking…").weak());
            }
            ui.separator();
            ui.label(if dirty {
                format!("{title} — unsaved changes")
            } else {
                title
            });
            if let Some((message, at)) = &self.status
                && now - at < 6.0
            {
                ui.separator();
                ui.label(RichText::new(message).weak());
            }
            ui.with_layout(Layout::right_to_left(Align::Center), |ui| {
                ui.label(format!("zoom {:.0}%", self.settings.zoom * 100.0));
            });
        });
    }
}
