//! The Deploy tab: put the model into a real DynamoDB (DynamoDB Local by default),
//! seed sample items and run every access pattern against it. Jobs run on a
//! background thread; progress comes back as events that wake the UI.

use std::sync::Arc;
use std::sync::mpsc::{Receiver, TryRecvError};

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::sample_items::SampleCounts;
use crate::deploy::{
    self, Cancel, DEFAULT_ENDPOINT, DEFAULT_REGION, DeployPlan, DeployReport, Event, Job,
    PatternOutcome, StepMode, TableAction, TablePlan, Target,
};
use crate::model::Model;
use crate::ui::widgets::name_widget;
use crate::ui::{PanelCtx, Selection};

/// The jobs the tab (and the Deploy menu) can start.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JobKind {
    Plan,
    Deploy,
    Seed,
    Verify,
    All,
}

impl JobKind {
    pub const ALL: [JobKind; 5] = [
        JobKind::Plan,
        JobKind::Deploy,
        JobKind::Seed,
        JobKind::Verify,
        JobKind::All,
    ];

    pub fn label(self) -> &'static str {
        match self {
            JobKind::Plan => "Plan",
            JobKind::Deploy => "Deploy",
            JobKind::Seed => "Seed",
            JobKind::Verify => "Verify",
            JobKind::All => "Deploy, seed & verify",
        }
    }

    pub fn tooltip(self) -> &'static str {
        match self {
            JobKind::Plan => "Compare the model's tables with the endpoint's; change nothing",
            JobKind::Deploy => {
                "Create the tables the endpoint lacks, with every GSI and LSI, and take the plan's steps on those that differ"
            }
            JobKind::Seed => "Write the sample items (BatchWriteItem, 25 a request)",
            JobKind::Verify => "Run every access pattern as the resolver chose it",
            JobKind::All => "Deploy, seed and verify in one go",
        }
    }
}

struct Running {
    kind: JobKind,
    events: Receiver<Event>,
    cancel: Cancel,
    step: Option<(String, u64, u64)>,
}

/// What the Deploy tab remembers: the target, the last plan and report, progress.
pub struct DeployState {
    pub endpoint: String,
    pub region: String,
    pub table_prefix: String,
    pub allow_remote: bool,
    pub recreate: bool,
    pub items_per_entity: usize,
    running: Option<Running>,
    log: Vec<String>,
    pub plan: Option<DeployPlan>,
    pub report: Option<DeployReport>,
    pub error: Option<String>,
}

impl Default for DeployState {
    fn default() -> Self {
        DeployState {
            endpoint: DEFAULT_ENDPOINT.to_string(),
            region: DEFAULT_REGION.to_string(),
            table_prefix: String::new(),
            allow_remote: false,
            recreate: false,
            items_per_entity: 5,
            running: None,
            log: Vec::new(),
            plan: None,
            report: None,
            error: None,
        }
    }
}

const MAX_LOG: usize = 200;

/// The recreate checkbox says what it allows.
const RECREATE_LABEL: &str =
    "Allow deleting or remaking GSIs and rebuilding re-keyed tables (local endpoint only)";

impl DeployState {
    pub fn target(&self) -> Target {
        Target {
            endpoint: self.endpoint.trim().to_string(),
            region: self.region.trim().to_string(),
            allow_remote: self.allow_remote,
            table_prefix: self.table_prefix.trim().to_string(),
        }
    }

    pub fn is_running(&self) -> bool {
        self.running.is_some()
    }

    /// Starts `kind` on a background thread; `wake` repaints the window.
    pub fn start(&mut self, kind: JobKind, model: &Model, wake: Arc<dyn Fn() + Send + Sync>) {
        if self.running.is_some() {
            return;
        }
        let counts = SampleCounts::uniform(self.items_per_entity);
        let job = match kind {
            JobKind::Plan => Job::Plan,
            JobKind::Deploy => Job::Deploy {
                recreate: self.recreate,
            },
            JobKind::Seed => Job::Seed { counts },
            JobKind::Verify => Job::Verify,
            JobKind::All => Job::All {
                recreate: self.recreate,
                counts,
            },
        };
        let (tx, rx) = std::sync::mpsc::channel();
        let cancel = Cancel::new();
        self.error = None;
        self.log.clear();
        self.log.push(format!(
            "{} on {}",
            kind.label(),
            self.target().description()
        ));
        deploy::spawn(job, model.clone(), self.target(), tx, wake, cancel.clone());
        self.running = Some(Running {
            kind,
            events: rx,
            cancel,
            step: None,
        });
    }

    /// Takes in what the running job reported since the last frame. Returns the
    /// report when the job finished.
    pub fn poll(&mut self) -> Option<DeployReport> {
        let running = self.running.as_mut()?;
        let mut finished = None;
        loop {
            match running.events.try_recv() {
                Ok(Event::Step { label, done, total }) => running.step = Some((label, done, total)),
                Ok(Event::Log(line)) => self.log.push(line),
                Ok(Event::Planned(plan)) => self.plan = Some(plan),
                Ok(Event::Finished(report)) => {
                    if let Some(e) = &report.error {
                        self.error = Some(e.to_string());
                    }
                    if let Some(plan) = &report.plan {
                        self.plan = Some(plan.clone());
                    }
                    finished = Some(report);
                    break;
                }
                Ok(Event::Failed(message)) => {
                    self.error = Some(message);
                    self.running = None;
                    break;
                }
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    self.error
                        .get_or_insert_with(|| "the deploy job stopped unexpectedly".into());
                    self.running = None;
                    break;
                }
            }
        }
        if self.log.len() > MAX_LOG {
            let extra = self.log.len() - MAX_LOG;
            self.log.drain(..extra);
        }
        if let Some(report) = &finished {
            self.running = None;
            self.report = Some(report.clone());
        }
        finished
    }
}

fn field(ui: &mut Ui, label: &str, value: &mut String, width: f32) {
    let l = ui.label(label);
    ui.add(egui::TextEdit::singleline(value).desired_width(width))
        .labelled_by(l.id);
}

/// Draws the tab; returns the job the user asked for.
pub fn show(ui: &mut Ui, panel: &mut PanelCtx, state: &mut DeployState) -> Option<JobKind> {
    let mut start = None;
    let running = state.is_running();
    ui.add_enabled_ui(!running, |ui| {
        ui.horizontal(|ui| {
            field(ui, "Endpoint", &mut state.endpoint, 260.0);
            field(ui, "Region", &mut state.region, 100.0);
            field(ui, "Table name prefix", &mut state.table_prefix, 120.0);
        });
        ui.horizontal(|ui| {
            let target = state.target();
            let local = target.is_loopback();
            ui.checkbox(&mut state.allow_remote, "Allow a non-local endpoint")
                .on_hover_text("Needed for anything but this machine. Tables there are never deleted or replaced.");
            ui.add_enabled(local, egui::Checkbox::new(&mut state.recreate, RECREATE_LABEL))
                .on_hover_text("Steps that delete something: a GSI the model no longer has or whose keys or projection changed (deleted, then created again), and a table whose keys changed (deleted and created again: its items are lost). Without this, deploy stops before it changes anything. Only on an endpoint on this machine.");
            let l = ui.label("Sample items per entity");
            let r = ui
                .add(egui::DragValue::new(&mut state.items_per_entity).range(0..=100_000))
                .labelled_by(l.id);
            name_widget(ui, &r, "Sample items per entity");
        });
        ui.horizontal(|ui| {
            for kind in JobKind::ALL {
                if ui.button(kind.label()).on_hover_text(kind.tooltip()).clicked() {
                    start = Some(kind);
                }
            }
        });
    });
    if let Some(run) = &state.running {
        ui.horizontal(|ui| {
            ui.spinner();
            let (label, done, total) = run
                .step
                .clone()
                .unwrap_or_else(|| (format!("{}…", run.kind.label()), 0, 0));
            let fraction = if total > 0 {
                done as f32 / total as f32
            } else {
                0.0
            };
            ui.add(
                egui::ProgressBar::new(fraction)
                    .desired_width(360.0)
                    .text(if total > 0 {
                        format!("{label} ({done}/{total})")
                    } else {
                        label
                    }),
            );
            if ui.button("Cancel").clicked() {
                run.cancel.cancel();
            }
        });
    }
    if let Some(error) = &state.error {
        ui.label(RichText::new(error).color(ui.visuals().error_fg_color));
    }
    ui.separator();
    egui::ScrollArea::vertical()
        .id_salt("deploy")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            if let Some(plan) = &state.plan {
                plan_view(ui, plan);
            }
            if let Some(report) = &state.report {
                report_view(ui, panel, report);
            }
            if !state.log.is_empty() {
                egui::CollapsingHeader::new("Log").default_open(state.report.is_none()).show(ui, |ui| {
                    for line in &state.log {
                        ui.label(RichText::new(line).monospace().weak());
                    }
                });
            }
            if state.plan.is_none() && state.report.is_none() && !running {
                ui.label("Start DynamoDB Local with scripts/dynamodb-local.sh, then Plan to see what deploying would do.");
            }
        });
    start
}

fn plan_view(ui: &mut Ui, plan: &DeployPlan) {
    ui.strong("Plan");
    for t in &plan.tables {
        ui.horizontal_wrapped(|ui| {
            let (mark, color, text) = match &t.action {
                TableAction::Create => ("✚", ui.visuals().hyperlink_color, "to create".to_string()),
                TableAction::Identical => {
                    ("✔", Color32::from_rgb(60, 170, 90), "identical".to_string())
                }
                TableAction::Differs { differences } => (
                    "⚠",
                    ui.visuals().warn_fg_color,
                    format!("differs: {}", differences.join("; ")),
                ),
            };
            ui.label(RichText::new(mark).color(color));
            ui.label(RichText::new(&t.table).strong());
            ui.label(text);
        });
        if matches!(t.action, TableAction::Differs { .. }) {
            steps_view(ui, t);
        }
    }
    if !plan.other_tables.is_empty() {
        // An endpoint can hold hundreds of tables: name a few, the rest on hover, so
        // the list never pushes the plan and the results off the screen.
        const NAMED: usize = 5;
        let others = &plan.other_tables;
        let named = others[..others.len().min(NAMED)].join(", ");
        let text = if others.len() > NAMED {
            format!(
                "{} other tables there (left alone): {named} and {} more",
                others.len(),
                others.len() - NAMED
            )
        } else {
            format!("Other tables there (left alone): {named}")
        };
        ui.label(RichText::new(text).weak())
            .on_hover_text(others.join("\n"));
    }
    ui.add_space(8.0);
}

/// A differing table's migration steps, numbered, each with whether deploy runs it.
fn steps_view(ui: &mut Ui, table: &TablePlan) {
    ui.indent(("steps", &table.table), |ui| {
        for (n, step) in table.steps.iter().enumerate() {
            let color = match step.deploy {
                StepMode::InPlace => ui.visuals().text_color(),
                StepMode::Recreate => ui.visuals().warn_fg_color,
                StepMode::NotRun => ui.visuals().weak_text_color(),
            };
            ui.horizontal_wrapped(|ui| {
                ui.label(format!("{}. {}", n + 1, step.description));
                ui.label(RichText::new(format!("({})", step.deploy.text())).color(color));
            });
        }
    });
}

fn report_view(ui: &mut Ui, panel: &mut PanelCtx, report: &DeployReport) {
    ui.strong(format!(
        "Last run on {} — {:.1} s",
        report.target,
        report.elapsed_ms / 1000.0
    ));
    if let Some(tables) = &report.tables {
        ui.label(format!(
            "Tables: {} created, {} updated in place, {} recreated, {} unchanged",
            tables.created.len(),
            tables.updated.len(),
            tables.recreated.len(),
            tables.unchanged.len()
        ));
        if !tables.updated.is_empty() {
            ui.label(format!(
                "Updated in place (items kept): {}",
                tables.updated.join(", ")
            ));
        }
        if !tables.steps.is_empty() {
            ui.indent("steps-taken", |ui| {
                for step in &tables.steps {
                    ui.label(format!(
                        "✔ {} — {:.1} s",
                        step.description,
                        step.elapsed_ms / 1000.0
                    ));
                }
            });
        }
    }
    if let Some(seed) = &report.seed {
        ui.label(format!(
            "Seeded {} of {} items in {} requests ({} retried) in {:.1} s",
            seed.items_written,
            seed.items_total,
            seed.requests,
            seed.retried_items,
            seed.elapsed_ms / 1000.0
        ));
    }
    let Some(verify) = &report.verify else {
        return;
    };
    ui.label(format!(
        "Access patterns: {} passed, {} failed, {} served outside DynamoDB",
        verify.count(PatternOutcome::Passed),
        verify.count(PatternOutcome::Failed),
        verify.count(PatternOutcome::Outside)
    ));
    let green = Color32::from_rgb(60, 170, 90);
    ui.push_id("verify-results", |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::exact(64.0))
            .column(Column::exact(70.0))
            .column(Column::initial(170.0).resizable(true).clip(true))
            .columns(Column::exact(70.0), 3)
            .column(Column::remainder().clip(true))
            .header(22.0, |mut h| {
                for title in [
                    "Pattern", "Result", "Call", "Items", "RCU/WCU", "ms", "Detail",
                ] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, verify.results.len(), |mut row| {
                    let r = &verify.results[row.index()];
                    row.col(|ui| {
                        if ui.link(&r.pattern).on_hover_text(&r.description).clicked() {
                            let pattern = Selection::pattern(panel.model, &r.pattern);
                            panel.actions.select(pattern);
                        }
                    });
                    row.col(|ui| {
                        let (text, color) = match r.outcome {
                            PatternOutcome::Passed => ("✔ pass", green),
                            PatternOutcome::Failed => ("✖ fail", ui.visuals().error_fg_color),
                            PatternOutcome::Outside => {
                                ("☁ outside", ui.visuals().weak_text_color())
                            }
                        };
                        ui.label(RichText::new(text).color(color));
                    });
                    row.col(|ui| {
                        let call = match (&r.call, &r.index) {
                            (Some(c), Some(i)) => format!("{c} {i}"),
                            (Some(c), None) => {
                                format!("{c} {}", r.table.clone().unwrap_or_default())
                            }
                            _ => String::new(),
                        };
                        ui.label(call).on_hover_text(&r.request);
                    });
                    row.col(|ui| {
                        ui.label(r.items_returned.map(|n| n.to_string()).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(
                            r.consumed_capacity
                                .map(|c| format!("{c}"))
                                .unwrap_or_default(),
                        );
                    });
                    row.col(|ui| {
                        ui.label(r.latency_ms.map(|l| format!("{l:.1}")).unwrap_or_default());
                    });
                    row.col(|ui| {
                        ui.label(&r.detail).on_hover_text(&r.detail);
                    });
                });
            });
    });
}
