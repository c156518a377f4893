//! The workbench application: the frame loop, which lays out the panels and
//! carries out what they asked for. Commands, files, menus, dialogs and
//! autosave each have a file of their own.

mod dialogs;
mod dispatch;
mod files;
mod menus;
mod recovery;
mod settings;

use std::path::PathBuf;
use std::time::Duration;

use dialogs::Dialog;
pub use settings::StartOptions;
use settings::{Origin, SETTINGS_KEY, Settings, WindowGeometry, memory_file};
pub(super) use settings::{default_settings_file, native_options};

use super::commands::Command;
use super::document::Document;
use super::panels;
use super::panels::deploy::{DeployState, JobKind};
use super::{Actions, PanelCtx, Selection, Tab};
use crate::analysis::sample_items::{self, SampleCounts, SampleSet};
use crate::export::{self, ExportOptions, LiveRun};
use crate::model::{self, samples};

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
    /// Where the settings are kept (`None` in tests: nothing is read or written).
    settings_file: Option<PathBuf>,
    /// The settings file's text as last read or written.
    settings_written: String,
    /// egui's memory file's text as last read or written.
    memory_written: String,
    /// For saving egui's memory outside a frame.
    ctx: egui::Context,
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
    /// The Diagram tab's layout and the revision it was laid out for.
    diagram: Option<(u64, crate::analysis::diagram::Diagram)>,
    /// The Compare tab: the version the open model is compared with, if any.
    comparing: Option<panels::compare::Comparing>,
}

impl Workbench {
    pub fn new(cc: &eframe::CreationContext<'_>, options: StartOptions) -> Self {
        let settings_file = options
            .use_storage
            .then(|| options.settings_file.clone().or_else(default_settings_file))
            .flatten();
        let settings = match &settings_file {
            Some(path) => Settings::load(path, || {
                cc.storage.and_then(|s| eframe::get_value(s, SETTINGS_KEY))
            }),
            None => Settings::default(),
        };
        // What the file holds: a save writes only when something changed.
        let settings_written = match &settings_file {
            Some(path) => std::fs::read_to_string(path).unwrap_or_default(),
            None => String::new(),
        };
        // egui's memory from its own file (panel widths, open sections).
        let memory_written = match &settings_file {
            Some(path) => std::fs::read_to_string(memory_file(path)).unwrap_or_default(),
            None => String::new(),
        };
        if let Ok(memory) = ron::from_str::<egui::Memory>(&memory_written) {
            cc.egui_ctx.memory_mut(|m| *m = memory);
        }
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
            settings_file,
            settings_written,
            memory_written,
            ctx: cc.egui_ctx.clone(),
            after_save: None,
            force_next: false,
            sample_counts: SampleCounts::default(),
            samples: None,
            live_run: None,
            document: None,
            diagram: None,
            comparing: None,
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

    fn select_first(&mut self) {
        self.selection = match self.doc.model().tables.first() {
            Some(t) => Selection::Table(t.uid.get()),
            None => Selection::None,
        };
    }

    fn flash(&mut self, ctx: &egui::Context, message: impl Into<String>) {
        self.status = Some((message.into(), ctx.input(|i| i.time)));
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

    /// Lays the diagram out again when the model changed (once its checks are
    /// current: the diagram colours patterns and marks findings).
    fn refresh_diagram(&mut self) {
        let revision = self.doc.revision();
        if matches!(&self.diagram, Some((r, _)) if *r == revision) || self.doc.is_checking() {
            return;
        }
        let (model, analysis) = self.doc.view();
        self.diagram = Some((revision, crate::analysis::diagram::diagram(model, analysis)));
    }

    /// Compares again when the model changed (once its checks are current:
    /// the comparison reads them); a baseline that is the last saved version
    /// follows saves.
    fn refresh_comparison(&mut self) {
        let Some(comparing) = &mut self.comparing else {
            return;
        };
        if *comparing.source() == panels::compare::Source::Saved
            && !std::sync::Arc::ptr_eq(comparing.baseline(), self.doc.saved_model())
        {
            comparing.rebase(std::sync::Arc::clone(self.doc.saved_model()));
        }
        if self.doc.is_checking() {
            return;
        }
        let revision = self.doc.revision();
        let (model, analysis) = self.doc.view();
        comparing.refresh(revision, model, analysis);
    }

    /// The comparison the Compare tab shows, if one was started (made when the
    /// tab is shown).
    pub fn comparison(&self) -> Option<&crate::analysis::compare::Comparison> {
        self.comparing.as_ref().and_then(|c| c.comparison())
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
        if let Some(window) = WindowGeometry::of(&ctx) {
            self.settings.window = Some(window);
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
        let presenting = self.settings.presentation;
        if !presenting {
            egui::Panel::bottom("status").show(ui, |ui| self.status_bar(ui));
        }

        let mut actions = Actions::default();
        let mut job: Option<JobKind> = None;
        let tab = self.settings.tab;
        if tab == Tab::Aggregate {
            self.refresh_samples();
        }
        if tab == Tab::Document {
            self.refresh_document();
        }
        if tab == Tab::Diagram {
            self.refresh_diagram();
        }
        if tab == Tab::Compare {
            self.refresh_comparison();
        }
        {
            let revision = (!self.doc.is_checking()).then(|| self.doc.revision());
            let (model, analysis) = self.doc.view();
            let mut panel = PanelCtx {
                model,
                analysis,
                revision,
                selection: &self.selection,
                actions: &mut actions,
            };
            // The side panels give way on a narrow (or zoomed) window, so the
            // editor between them keeps room to show what it edits.
            // Both can be hidden (View menu, Ctrl+B, Ctrl+Shift+B); presentation
            // mode hides them and the status bar, so zoom scales the work area.
            let width = ui.available_width();
            if self.settings.show_tree && !presenting {
                egui::Panel::left("tree")
                    .resizable(true)
                    .default_size(270.0)
                    .max_size((width * 0.25).max(160.0))
                    .show(ui, |ui| panels::tree::show(ui, &mut panel));
            }
            if self.settings.show_checks && !presenting {
                egui::Panel::right("checks")
                    .resizable(true)
                    .default_size(380.0)
                    .max_size((width * 0.3).max(200.0))
                    .show(ui, |ui| {
                        panels::checks::show(ui, &mut panel, &mut self.settings.checks)
                    });
            }
            egui::CentralPanel::default().show(ui, |ui| {
                // Wrapped: a tab bar wider than the panel would widen everything under it.
                ui.horizontal_wrapped(|ui| {
                    for t in Tab::ALL {
                        if ui.selectable_label(tab == t, t.label()).clicked() {
                            panel.actions.tab = Some(t);
                        }
                    }
                    if presenting {
                        let leave = ui.button("Leave presentation (F5)").on_hover_text(
                            "Shows the model tree, the checks and the status bar again",
                        );
                        if leave.clicked() {
                            panel.actions.command(Command::TogglePresentation);
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
                    Tab::Diagram => {
                        if let Some((_, diagram)) = &self.diagram {
                            panels::diagram::show(ui, &mut panel, diagram);
                        }
                    }
                    Tab::Compare => {
                        panels::compare::show(ui, &mut panel, self.comparing.as_mut());
                    }
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

    /// Called by eframe now and then and on exit: the settings and egui's
    /// memory go to their own files, not to eframe's storage.
    fn save(&mut self, _storage: &mut dyn eframe::Storage) {
        self.save_state();
    }

    /// eframe's storage keeps nothing: its file is rewritten in place.
    fn persist_egui_memory(&self) -> bool {
        false
    }
}

impl Workbench {
    /// Writes the settings and egui's memory, each to its own file, atomically
    /// and only when it changed (eframe's save tick and exit call this).
    pub fn save_state(&mut self) {
        let Some(path) = self.settings_file.clone() else {
            return;
        };
        let text = self.settings.to_text();
        if text != self.settings_written {
            if let Err(e) = Settings::write(&path, &text) {
                // Said once per change; the next change tries again.
                eprintln!(
                    "dynamodel: could not save the settings to {}: {e}",
                    path.display()
                );
            }
            self.settings_written = text;
        }
        let memory = match self.ctx.memory(ron::to_string) {
            Ok(text) => text,
            Err(e) => {
                eprintln!("dynamodel: could not save the window's state: {e}");
                return;
            }
        };
        if memory != self.memory_written {
            let file = memory_file(&path);
            if let Err(e) = Settings::write(&file, &memory) {
                eprintln!(
                    "dynamodel: could not save the window's state to {}: {e}",
                    file.display()
                );
            }
            self.memory_written = memory;
        }
    }
}
