//! The workbench application: menus, panels, dialogs, files, autosave.

use std::path::{Path, PathBuf};
use std::time::Duration;

use egui::{Align, Layout, RichText};
use serde::{Deserialize, Serialize};

use super::commands::Command;
use super::document::Document;
use super::panels::deploy::{DeployState, JobKind};
use super::panels::{self, checks::ChecksFilter};
use super::widgets::severity_icon;
use super::{Actions, PanelCtx, Selection, Tab};
use crate::analysis::Severity;
use crate::analysis::sample_items::{self, SampleCounts, SampleSet};
use crate::export::{self, ExportFormat, ExportOptions, ImportFormat, LiveRun};
use crate::model::{self, Model, samples};

/// How the window starts.
pub struct StartOptions {
    /// A model file given on the command line.
    pub file: Option<PathBuf>,
    /// A bundled sample to open instead (tests use this).
    pub sample: Option<&'static str>,
    /// A model to open as it is (benchmarks and tests use this).
    pub model: Option<Model>,
    /// Where the autosave recovery file lives; `None` turns autosave off.
    pub recovery_dir: Option<PathBuf>,
    pub autosave_every: Duration,
    /// Read and write settings through eframe's storage.
    pub use_storage: bool,
}

impl Default for StartOptions {
    fn default() -> Self {
        StartOptions {
            file: None,
            sample: None,
            model: None,
            recovery_dir: None,
            autosave_every: Duration::from_secs(30),
            use_storage: true,
        }
    }
}

/// Where the open model came from, so the next run can reopen it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
enum Origin {
    Sample(String),
    File(PathBuf),
}

/// UI state that outlives a run. New fields default, so old settings still load.
#[derive(Serialize, Deserialize)]
#[serde(default)]
struct Settings {
    dark: bool,
    zoom: f32,
    recent: Vec<PathBuf>,
    last: Option<Origin>,
    tab: Tab,
    checks: ChecksFilter,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            dark: true,
            zoom: 1.0,
            recent: Vec::new(),
            last: None,
            tab: Tab::Editor,
            checks: ChecksFilter::default(),
        }
    }
}

const SETTINGS_KEY: &str = "dynamodel-settings";
const RECOVERY_FILE: &str = "recovery.dynamodel.json";
const RECOVERY_INFO: &str = "recovery.json";
const MAX_RECENT: usize = 10;

/// What the recovery file was recovered from.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct RecoveryInfo {
    path: Option<PathBuf>,
    model: String,
}

enum Dialog {
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

pub struct Workbench {
    doc: Document,
    origin: Origin,
    selection: Selection,
    settings: Settings,
    dialog: Dialog,
    /// A short message in the status bar, with the time it was set.
    status: Option<(String, f64)>,
    recovery_dir: Option<PathBuf>,
    autosave_every: f64,
    last_autosave: f64,
    autosaved_revision: u64,
    /// Set when the user chose to quit despite (or after saving) changes.
    quitting: bool,
    title: String,
    use_storage: bool,
    /// What to run once the pending save succeeds (Save in the unsaved-changes prompt).
    after_save: Option<Command>,
    /// The next command skips the unsaved-changes prompt (the user chose Discard).
    force_next: bool,
    /// How many sample items of each entity the aggregate view shows.
    sample_counts: SampleCounts,
    /// The sample items, for the model revision and counts they were made from.
    samples: Option<(u64, SampleCounts, SampleSet)>,
    /// The last run of the access patterns against a live endpoint, for the document.
    live_run: Option<LiveRun>,
    /// The Deploy tab: target, running job, last plan and report.
    deploy: DeployState,
    /// The rendered model document, for the revision it was made from.
    document: Option<(u64, panels::document::Rendered)>,
}

/// What a path dialog is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PathPurpose {
    Open,
    SaveAs,
    Export(ExportFormat),
    Import(ImportFormat),
}

impl PathPurpose {
    fn title(self) -> String {
        match self {
            PathPurpose::Open => "Open".into(),
            PathPurpose::SaveAs => "Save As".into(),
            PathPurpose::Export(f) => format!("Export {}", f.label()),
            PathPurpose::Import(f) => format!("Import {}", f.label()),
        }
    }

    fn field_label(self) -> &'static str {
        match self {
            PathPurpose::Open | PathPurpose::SaveAs => "Model file path",
            PathPurpose::Export(_) => "Export file path",
            PathPurpose::Import(_) => "Import file path",
        }
    }

    fn action(self) -> &'static str {
        match self {
            PathPurpose::Open => "Open",
            PathPurpose::SaveAs => "Save",
            PathPurpose::Export(_) => "Export",
            PathPurpose::Import(_) => "Import",
        }
    }

    fn writes(self) -> bool {
        matches!(self, PathPurpose::SaveAs | PathPurpose::Export(_))
    }

    fn filter(self) -> (&'static str, &'static [&'static str]) {
        match self {
            PathPurpose::Export(ExportFormat::Markdown) => ("Markdown", &["md"]),
            PathPurpose::Export(ExportFormat::CloudFormation) => {
                ("CloudFormation", &["json", "yaml", "yml"])
            }
            PathPurpose::Open | PathPurpose::SaveAs => ("dynamodel model", &["json"]),
            _ => ("JSON", &["json"]),
        }
    }
}

impl Workbench {
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        let settings: Settings = if options.use_storage {
            cc.storage
                .and_then(|s| eframe::get_value(s, SETTINGS_KEY))
                .unwrap_or_default()
        } else {
            Settings::default()
        };
        // Zoom goes through the View menu's commands, which also remember the level.
        cc.egui_ctx.options_mut(|o| o.zoom_with_keyboard = false);
        let sample = samples::sample(samples::DEFAULT_SAMPLE).expect("the default sample exists");
        let default_doc = || {
            (
                Document::new(sample.load().unwrap_or_default(), None),
                Origin::Sample(sample.id.to_string()),
            )
        };
        let mut startup_error = None;
        let (doc, origin) = if let Some(path) = &options.file {
            match model::load(path) {
                Ok(m) => (
                    Document::new(m, Some(path.clone())),
                    Origin::File(path.clone()),
                ),
                Err(e) => {
                    startup_error = Some(e.to_string());
                    default_doc()
                }
            }
        } else if let Some(m) = options.model {
            let name = m.name.clone();
            (Document::new(m, None), Origin::Sample(name))
        } else if let Some(id) = options.sample {
            match samples::sample(id).map(|s| s.load()) {
                Some(Ok(m)) => (Document::new(m, None), Origin::Sample(id.to_string())),
                _ => default_doc(),
            }
        } else {
            match &settings.last {
                Some(Origin::File(path)) => match model::load(path) {
                    Ok(m) => (
                        Document::new(m, Some(path.clone())),
                        Origin::File(path.clone()),
                    ),
                    Err(_) => default_doc(),
                },
                Some(Origin::Sample(id)) => match samples::sample(id).map(|s| s.load()) {
                    Some(Ok(m)) => (Document::new(m, None), Origin::Sample(id.clone())),
                    _ => default_doc(),
                },
                None => default_doc(),
            }
        };
        let mut app = Workbench {
            doc,
            origin,
            selection: Selection::None,
            settings,
            dialog: Dialog::None,
            status: None,
            recovery_dir: options.recovery_dir,
            autosave_every: options.autosave_every.as_secs_f64(),
            last_autosave: 0.0,
            autosaved_revision: 0,
            quitting: false,
            title: String::new(),
            use_storage: options.use_storage,
            after_save: None,
            force_next: false,
            sample_counts: SampleCounts::default(),
            samples: None,
            live_run: None,
            document: None,
            deploy: DeployState::default(),
        };
        if let Some(path) = &options.file {
            if let Some(message) = startup_error {
                app.dialog = Dialog::Error {
                    title: format!("Could not open {}", path.display()),
                    message,
                };
            } else {
                app.remember_recent(path.clone());
            }
        }
        app.offer_recovery();
        app.select_first();
        app
    }

    pub fn document(&self) -> &Document {
        &self.doc
    }

    pub fn document_mut(&mut self) -> &mut Document {
        &mut self.doc
    }

    pub fn selection(&self) -> &Selection {
        &self.selection
    }

    pub fn select(&mut self, selection: Selection) {
        self.selection = selection;
    }

    pub fn tab(&self) -> Tab {
        self.settings.tab
    }

    pub fn set_tab(&mut self, tab: Tab) {
        self.settings.tab = tab;
    }

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

    fn select_first(&mut self) {
        self.selection = match self.doc.model().tables.first() {
            Some(t) => Selection::Table(t.name.clone()),
            None => Selection::None,
        };
    }

    fn flash(&mut self, ctx: &egui::Context, message: impl Into<String>) {
        self.status = Some((message.into(), ctx.input(|i| i.time)));
    }

    fn remember_recent(&mut self, path: PathBuf) {
        self.settings.recent.retain(|p| p != &path);
        self.settings.recent.insert(0, path);
        self.settings.recent.truncate(MAX_RECENT);
    }

    // ---- commands ----

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
    fn run_confirmed(&mut self, ctx: &egui::Context, command: Command) {
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
            Command::Quit => {
                self.quitting = true;
                self.clear_recovery();
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            Command::Undo => match self.doc.undo() {
                Some(label) => self.flash(ctx, format!("Undid: {label}")),
                None => self.flash(ctx, "Nothing to undo"),
            },
            Command::Redo => match self.doc.redo() {
                Some(label) => self.flash(ctx, format!("Redid: {label}")),
                None => self.flash(ctx, "Nothing to redo"),
            },
            Command::Delete => self.delete_selection(ctx),
            Command::AddTable => {
                let mut actions = Actions::default();
                panels::tree::add_table(&mut actions);
                self.apply_actions(ctx, actions);
            }
            Command::AddGsi => {
                let mut actions = Actions::default();
                if let Some(table) = self.selected_table() {
                    panels::tree::add_gsi(&mut actions, &table);
                }
                self.apply_actions(ctx, actions);
            }
            Command::AddEntity => {
                let mut actions = Actions::default();
                if let Some(table) = self.selected_table() {
                    panels::tree::add_entity(&mut actions, &table);
                }
                self.apply_actions(ctx, actions);
            }
            Command::AddPattern => {
                let mut actions = Actions::default();
                let entity = match &self.selection {
                    Selection::Entity(e) => Some(e.clone()),
                    _ => None,
                };
                panels::tree::add_pattern(&mut actions, entity);
                self.apply_actions(ctx, actions);
            }
            Command::ZoomIn => self.settings.zoom = (self.settings.zoom + 0.1).min(3.0),
            Command::ZoomOut => self.settings.zoom = (self.settings.zoom - 0.1).max(0.5),
            Command::ZoomReset => self.settings.zoom = 1.0,
            Command::ToggleTheme => self.settings.dark = !self.settings.dark,
            Command::ShowTab(tab) => self.settings.tab = tab,
            Command::RunJob(kind) => {
                self.settings.tab = Tab::Deploy;
                self.start_job(ctx, kind, false);
            }
            Command::Shortcuts => self.dialog = Dialog::Shortcuts,
            Command::About => self.dialog = Dialog::About,
        }
    }

    fn selected_table(&self) -> Option<String> {
        let m = self.doc.model();
        match &self.selection {
            Selection::Table(t) | Selection::Index { table: t, .. } => Some(t.clone()),
            Selection::Entity(e) => m.entity(e).map(|e| e.table.clone()),
            Selection::Pattern(p) => m
                .pattern(p)
                .and_then(|p| p.primary_entity())
                .and_then(|e| m.entity(e))
                .map(|e| e.table.clone()),
            Selection::None => m.tables.first().map(|t| t.name.clone()),
        }
    }

    fn delete_selection(&mut self, ctx: &egui::Context) {
        let mut actions = Actions::default();
        panels::tree::delete(&mut actions, &self.selection);
        self.selection = Selection::None;
        self.apply_actions(ctx, actions);
    }

    fn replace_document(&mut self, doc: Document, origin: Option<Origin>) {
        self.doc = doc;
        if let Some(origin) = origin {
            self.origin = origin;
            self.settings.last = Some(self.origin.clone());
        }
        self.clear_recovery();
        self.autosaved_revision = 0;
        self.select_first();
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

    fn ask_path(&mut self, purpose: PathPurpose, text: String) {
        self.dialog = Dialog::Path {
            purpose,
            text,
            yaml: false,
        };
    }

    /// Shows what an import or export dropped, kept elsewhere or inferred, if anything.
    fn show_notes(&mut self, title: String, report: &export::Report) {
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

    // ---- frame ----

    fn apply_actions(&mut self, ctx: &egui::Context, actions: Actions) {
        if actions.seal {
            self.doc.seal();
        }
        for edit in actions.edits {
            self.doc.apply(edit);
        }
        if let Some(selection) = actions.select {
            self.selection = selection;
        }
        if let Some(tab) = actions.tab {
            self.settings.tab = tab;
        }
        for command in actions.commands {
            self.run_command(ctx, command);
        }
    }

    fn handle_input(&mut self, ctx: &egui::Context) {
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

    fn update_title(&mut self, ctx: &egui::Context) {
        let title = format!(
            "{}{} — dynamodel",
            if self.doc.is_dirty() { "● " } else { "" },
            self.doc.title()
        );
        if title != self.title {
            ctx.send_viewport_cmd(egui::ViewportCommand::Title(title.clone()));
            self.title = title;
        }
    }

    pub fn window_title(&self) -> &str {
        &self.title
    }

    fn menu_bar(&mut self, ui: &mut egui::Ui) {
        let mut chosen: Option<Command> = None;
        let item =
            |ui: &mut egui::Ui, command: Command, enabled: bool, chosen: &mut Option<Command>| {
                let mut button = egui::Button::new(command.label());
                if let Some(s) = command.shortcut() {
                    button = button.shortcut_text(ui.ctx().format_shortcut(&s));
                }
                if ui.add_enabled(enabled, button).clicked() {
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

    fn status_bar(&mut self, ui: &mut egui::Ui) {
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

    // ---- dialogs ----

    fn dialogs(&mut self, ctx: &egui::Context) {
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
                            let dialog = rfd::FileDialog::new().add_filter(name, extensions);
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
                        "{} will run against {endpoint} with your standard AWS credentials (the account of your default profile or environment). Tables there are never deleted or replaced; missing ones are created.",
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

    /// Regenerates the sample items when the model or the counts changed.
    fn refresh_samples(&mut self) {
        let revision = self.doc.revision();
        let fresh =
            matches!(&self.samples, Some((r, c, _)) if *r == revision && *c == self.sample_counts);
        if !fresh {
            let set = sample_items::generate(self.doc.model(), &self.sample_counts);
            self.samples = Some((revision, self.sample_counts.clone(), set));
        }
    }

    /// Starts a deploy job; a non-local endpoint asks for confirmation first.
    fn start_job(&mut self, ctx: &egui::Context, kind: JobKind, confirmed: bool) {
        let target = self.deploy.target();
        if !target.is_loopback() && target.allow_remote && !confirmed {
            self.dialog = Dialog::ConfirmRemote {
                kind,
                endpoint: target.endpoint,
            };
            return;
        }
        let wake = ctx.clone();
        self.deploy.start(
            kind,
            self.doc.model(),
            std::sync::Arc::new(move || wake.request_repaint()),
        );
    }

    /// The Deploy tab's state (tests set the endpoint through it).
    pub fn deploy_state(&mut self) -> &mut DeployState {
        &mut self.deploy
    }

    /// Renders the model document again when the model changed.
    fn refresh_document(&mut self) {
        let revision = self.doc.revision();
        if !matches!(&self.document, Some((r, _)) if *r == revision) {
            let options = ExportOptions {
                live_run: self.live_run.clone(),
                ..ExportOptions::default()
            };
            let text = export::markdown::export(self.doc.model(), &options).text;
            self.document = Some((revision, panels::document::Rendered::new(text)));
        }
    }

    // ---- autosave ----

    fn recovery_paths(&self) -> Option<(PathBuf, PathBuf)> {
        let dir = self.recovery_dir.as_ref()?;
        Some((dir.join(RECOVERY_FILE), dir.join(RECOVERY_INFO)))
    }

    fn autosave(&mut self, ctx: &egui::Context) {
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
            .and_then(|text| std::fs::write(&info_file, text).ok());
        if written.is_some() {
            self.autosaved_revision = self.doc.revision();
        }
    }

    fn clear_recovery(&mut self) {
        if let Some((file, info)) = self.recovery_paths() {
            let _ = std::fs::remove_file(file);
            let _ = std::fs::remove_file(info);
        }
    }

    fn offer_recovery(&mut self) {
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

fn file_stem(name: &str) -> String {
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
    let stem = stem.trim_matches('-').to_string();
    if stem.is_empty() {
        "model".into()
    } else {
        stem
    }
}

impl eframe::App for Workbench {
    fn ui(&mut self, ui: &mut egui::Ui, _frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        ctx.set_theme(if self.settings.dark {
            egui::Theme::Dark
        } else {
            egui::Theme::Light
        });
        if (ctx.zoom_factor() - self.settings.zoom).abs() > f32::EPSILON {
            ctx.set_zoom_factor(self.settings.zoom);
        }
        self.handle_input(&ctx);
        let wake = ctx.clone();
        self.doc.refresh_analysis(move || wake.request_repaint());
        if let Some(report) = self.deploy.poll()
            && let Some(run) = report.to_live_run()
        {
            // The document's Validation Results show the last live run.
            self.live_run = Some(run);
            self.document = None;
        }

        egui::Panel::top("menu").show(ui, |ui| self.menu_bar(ui));
        egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));

        let mut actions = Actions::default();
        let mut job: Option<JobKind> = None;
        let tab = self.settings.tab;
        if tab == Tab::Aggregate {
            self.refresh_samples();
        }
        if tab == Tab::Document {
            self.refresh_document();
        }
        {
            let (model, analysis) = self.doc.view();
            let mut panel = PanelCtx {
                model,
                analysis,
                selection: &self.selection,
                actions: &mut actions,
            };
            egui::Panel::left("tree")
                .resizable(true)
                .default_size(270.0)
                .show(ui, |ui| panels::tree::show(ui, &mut panel));
            egui::Panel::right("checks")
                .resizable(true)
                .default_size(380.0)
                .show(ui, |ui| {
                    panels::checks::show(ui, &mut panel, &mut self.settings.checks)
                });
            egui::CentralPanel::default().show(ui, |ui| {
                ui.horizontal(|ui| {
                    for t in Tab::ALL {
                        if ui.selectable_label(tab == t, t.label()).clicked() {
                            panel.actions.tab = Some(t);
                        }
                    }
                });
                ui.separator();
                match tab {
                    Tab::Editor => panels::editor::show(ui, &mut panel),
                    Tab::KeyMap => panels::key_map::show(ui, &mut panel),
                    Tab::Coverage => panels::coverage::show(ui, &mut panel),
                    Tab::Aggregate => {
                        if let Some((_, _, samples)) = &self.samples {
                            panels::aggregate::show(
                                ui,
                                &mut panel,
                                samples,
                                &mut self.sample_counts,
                            );
                        }
                    }
                    Tab::Costs => panels::costs::show(ui, &mut panel),
                    Tab::Deploy => {
                        job = panels::deploy::show(ui, &mut panel, &mut self.deploy);
                    }
                    Tab::Document => {
                        if let Some((_, rendered)) = &self.document {
                            panels::document::show(ui, &mut panel, rendered);
                        }
                    }
                }
            });
        }
        self.apply_actions(&ctx, actions);
        if let Some(kind) = job {
            self.start_job(&ctx, kind, false);
        }
        self.dialogs(&ctx);
        self.autosave(&ctx);
        self.update_title(&ctx);
        if self.status.is_some() || self.autosave_every > 0.0 {
            ctx.request_repaint_after(Duration::from_secs(1));
        }
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        if self.use_storage {
            eframe::set_value(storage, SETTINGS_KEY, &self.settings);
        }
    }
}
