//! The Compare tab: the open model against another version of the design (a
//! model file, the last saved version, a bundled sample). A summary, then one
//! section at a time: each access pattern's plan before and after, the
//! structural changes, the cost, the findings, the partitions that crossed a
//! limit and the migration plan. The comparison is made again when the model
//! changes (once per revision); the baseline is analysed once, when chosen.

mod patterns;
mod sections;

use std::path::PathBuf;
use std::sync::Arc;

use egui::{Color32, RichText, Ui};

use crate::analysis::compare::{self, Comparison, Options, Tone};
use crate::analysis::format::{duration, money, money_delta, number, plural};
use crate::analysis::{self, Analysis};
use crate::model::{Model, samples};
use crate::ui::PanelCtx;
use crate::ui::commands::Command;

/// What the open model is compared with.
#[derive(Clone, Debug, PartialEq)]
pub enum Source {
    /// The open document's last saved (or opened) version: it follows saves.
    Saved,
    File(PathBuf),
    Sample(&'static str),
}

impl Source {
    pub fn describe(&self) -> String {
        match self {
            Source::Saved => "the last saved version".into(),
            Source::File(path) => path.display().to_string(),
            Source::Sample(id) => sample_label(id),
        }
    }

    /// Where the baseline came from, beside its name in the summary.
    fn origin(&self) -> String {
        match self {
            Source::Saved => "last saved version".into(),
            Source::File(path) => path.display().to_string(),
            Source::Sample(_) => "bundled sample".into(),
        }
    }
}

/// A bundled sample as the menus name it: `Online shop — first draft… (bundled)`.
pub fn sample_label(id: &str) -> String {
    samples::sample(id).map_or_else(|| id.to_string(), |s| format!("{} (bundled)", s.title))
}

/// The sections of the tab, one shown at a time under the summary.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
enum Section {
    #[default]
    Patterns,
    Structure,
    Cost,
    Findings,
    Partitions,
    Migration,
}

/// A comparison in progress: the baseline, its analysis, and the comparison
/// with the open model for the revision it was made at.
pub struct Comparing {
    source: Source,
    baseline: Arc<Model>,
    baseline_analysis: Analysis,
    comparison: Option<(u64, Comparison)>,
    section: Section,
}

impl Comparing {
    /// Analyses the baseline (once: it does not change).
    pub fn new(source: Source, baseline: Arc<Model>) -> Self {
        let baseline_analysis = analysis::analyze(&baseline);
        Comparing {
            source,
            baseline,
            baseline_analysis,
            comparison: None,
            section: Section::default(),
        }
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn baseline(&self) -> &Arc<Model> {
        &self.baseline
    }

    /// Another baseline from the same source (the document was saved again).
    pub fn rebase(&mut self, baseline: Arc<Model>) {
        self.baseline_analysis = analysis::analyze(&baseline);
        self.baseline = baseline;
        self.comparison = None;
    }

    /// Forgets the comparison: the next refresh makes it again (another
    /// document was opened, and its revisions count from zero).
    pub fn invalidate(&mut self) {
        self.comparison = None;
    }

    /// Compares again if the open model changed since the last comparison.
    pub fn refresh(&mut self, revision: u64, model: &Model, analysis: &Analysis) {
        if matches!(&self.comparison, Some((r, _)) if *r == revision) {
            return;
        }
        let comparison = compare::compare(
            &self.baseline,
            &self.baseline_analysis,
            model,
            analysis,
            Options::default(),
        );
        self.comparison = Some((revision, comparison));
    }

    /// The comparison on screen (possibly a revision behind while a large model
    /// is re-checked).
    pub fn comparison(&self) -> Option<&Comparison> {
        self.comparison.as_ref().map(|(_, c)| c)
    }
}

/// Colours for a verdict's tone: better green, worse red, neutral grey.
pub(super) fn tone_color(ui: &Ui, tone: Tone) -> Color32 {
    match tone {
        Tone::Better => better_color(ui),
        Tone::Worse => ui.visuals().error_fg_color,
        Tone::Neutral => ui.visuals().weak_text_color(),
    }
}

/// The green the workbench uses for "served", a little darker on light backgrounds.
fn better_color(ui: &Ui) -> Color32 {
    if ui.visuals().dark_mode {
        Color32::from_rgb(80, 190, 110)
    } else {
        Color32::from_rgb(30, 130, 60)
    }
}

/// A change of cost coloured by direction: cheaper green, dearer red.
fn delta_color(ui: &Ui, delta: f64) -> Color32 {
    if money_delta(delta) == "$0.00" {
        ui.visuals().weak_text_color()
    } else if delta < 0.0 {
        better_color(ui)
    } else {
        ui.visuals().error_fg_color
    }
}

/// The comparison module writes `→`; the proportional font has no such glyph,
/// but the emoji font has `➡`.
fn arrows(text: &str) -> String {
    text.replace('→', "➡")
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, comparing: Option<&mut Comparing>) {
    let Some(comparing) = comparing else {
        how_to_start(ui, panel);
        return;
    };
    let Comparing {
        source,
        comparison,
        section,
        ..
    } = comparing;
    let Some((_, c)) = comparison.as_ref() else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label("Comparing…");
        });
        return;
    };
    summary(ui, panel, source, c);
    ui.separator();
    ui.horizontal_wrapped(|ui| {
        for (s, label) in section_labels(c) {
            ui.selectable_value(section, s, label);
        }
    });
    ui.separator();
    match section {
        Section::Patterns => patterns::show(ui, panel, c),
        Section::Structure => sections::structure(ui, panel, c),
        Section::Cost => sections::cost(ui, c),
        Section::Findings => sections::findings(ui, c),
        Section::Partitions => sections::partitions(ui, c),
        Section::Migration => sections::migration(ui, c),
    }
}

fn section_labels(c: &Comparison) -> [(Section, String); 6] {
    [
        (
            Section::Patterns,
            format!("Access patterns ({})", c.patterns.len()),
        ),
        (
            Section::Structure,
            format!("Structure ({})", c.structure.len()),
        ),
        (Section::Cost, "Cost".to_string()),
        (
            Section::Findings,
            format!(
                "Findings ({} fixed, {} new)",
                c.findings.fixed.len(),
                c.findings.introduced.len()
            ),
        ),
        (
            Section::Partitions,
            format!("Partitions ({})", c.partitions.len()),
        ),
        (
            Section::Migration,
            format!(
                "Migration ({})",
                plural(c.migration.steps.len(), "step", "steps")
            ),
        ),
    ]
}

/// What the tab says before anything is compared, with the ways to start.
fn how_to_start(ui: &mut Ui, panel: &mut PanelCtx) {
    ui.heading("Compare two versions of the design");
    ui.label(
        "Nothing is compared yet. Choose File › Compare with… to compare the open model \
         with a model file (a dynamodel model, a NoSQL Workbench model or an MCP \
         validation input), or start here:",
    );
    ui.add_space(6.0);
    if ui.button(Command::CompareWithSaved.label()).clicked() {
        panel.actions.command(Command::CompareWithSaved);
    }
    for s in samples::SAMPLES {
        let label = format!("Compare with {}", sample_label(s.id));
        if ui.button(label).clicked() {
            panel.actions.command(Command::CompareWithSample(s.id));
        }
    }
    if ui.button(Command::CompareWithFile.label()).clicked() {
        panel.actions.command(Command::CompareWithFile);
    }
    ui.add_space(6.0);
    ui.label(
        RichText::new(
            "The comparison shows each access pattern's plan before and after, what \
             changed in tables, indexes and entities, the cost, the findings fixed and \
             introduced, and the steps to migrate the data. It follows your edits.",
        )
        .weak(),
    );
}

fn summary(ui: &mut Ui, panel: &mut PanelCtx, source: &Source, c: &Comparison) {
    ui.horizontal_wrapped(|ui| {
        ui.heading(format!("{} against {}", c.new_name, c.old_name));
        // On the next line whole rather than broken, when the names fill this one.
        let origin = RichText::new(format!("({})", source.origin())).weak();
        ui.add(egui::Label::new(origin).extend());
        if ui.button(Command::StopComparing.label()).clicked() {
            panel.actions.command(Command::StopComparing);
        }
    });
    if c.is_equivalent() {
        ui.label("The two designs do the same: nothing changed in structure, plans, findings, cost or data.");
    }
    // One line per subject, each a label of its own (screen readers read them apart).
    ui.horizontal_wrapped(|ui| {
        ui.label("Access patterns:");
        let counts = c.verdict_counts();
        for (i, (verdict, n)) in counts.iter().enumerate() {
            let text = format!("{n} {}", verdict.label());
            ui.label(RichText::new(text).color(tone_color(ui, verdict.tone())));
            if i + 1 < counts.len() {
                ui.label("·");
            }
        }
    });
    ui.horizontal_wrapped(|ui| {
        let cost = &c.cost;
        ui.label(format!(
            "Monthly cost: {} ➡ {}",
            money(cost.before),
            money(cost.after)
        ));
        ui.label(
            RichText::new(format!("({})", money_delta(cost.delta())))
                .color(delta_color(ui, cost.delta())),
        );
        ui.separator();
        let findings = &c.findings;
        let fixed = ui.label(
            RichText::new(format!(
                "{} fixed",
                plural(findings.fixed.len(), "finding", "findings")
            ))
            .color(if findings.fixed.is_empty() {
                ui.visuals().text_color()
            } else {
                better_color(ui)
            }),
        );
        fixed.on_hover_text(format!("{} unchanged", findings.unchanged));
        ui.label(
            RichText::new(format!("{} introduced", findings.introduced.len())).color(
                if findings.introduced.is_empty() {
                    ui.visuals().text_color()
                } else {
                    ui.visuals().error_fg_color
                },
            ),
        );
    });
    let m = &c.migration;
    let text = if m.is_empty() {
        "Migration: nothing to do".to_string()
    } else {
        let offline = m.steps.iter().filter(|s| !s.online).count();
        format!(
            "Migration: {}{}, {} WCU, {}, about {} at {} WCU/s",
            plural(m.steps.len(), "step", "steps"),
            if offline > 0 {
                format!(" ({offline} with a switch-over)")
            } else {
                String::new()
            },
            number(m.write_units()),
            money(m.cost()),
            duration(m.seconds()),
            number(m.write_rate),
        )
    };
    ui.label(text);
}
