//! The Checks panel: every finding with its severity, rule, message and fix hint.
//! Clicking one selects the element it is about.

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::analysis::{Finding, Severity};
use crate::ui::widgets::{severity_color, severity_icon};
use crate::ui::{PanelCtx, Selection, Tab};

#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(default)]
pub struct ChecksFilter {
    pub errors: bool,
    pub warnings: bool,
    pub infos: bool,
    pub text: String,
}

impl Default for ChecksFilter {
    fn default() -> Self {
        ChecksFilter {
            errors: true,
            warnings: true,
            infos: true,
            text: String::new(),
        }
    }
}

impl ChecksFilter {
    fn shows(&self, f: &Finding) -> bool {
        let severity = match f.severity {
            Severity::Error => self.errors,
            Severity::Warning => self.warnings,
            Severity::Info => self.infos,
        };
        let needle = self.text.trim().to_lowercase();
        severity
            && (needle.is_empty()
                || f.message.to_lowercase().contains(&needle)
                || f.rule.contains(&needle)
                || f.location.path().to_lowercase().contains(&needle))
    }
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, filter: &mut ChecksFilter) {
    let counts = panel.analysis.counts;
    ui.heading("Checks");
    ui.horizontal_wrapped(|ui| {
        ui.toggle_value(
            &mut filter.errors,
            format!(
                "{} {} errors",
                severity_icon(Severity::Error),
                counts.errors
            ),
        );
        ui.toggle_value(
            &mut filter.warnings,
            format!(
                "{} {} warnings",
                severity_icon(Severity::Warning),
                counts.warnings
            ),
        );
        ui.toggle_value(
            &mut filter.infos,
            format!("{} {} info", severity_icon(Severity::Info), counts.infos),
        );
    });
    ui.horizontal(|ui| {
        let l = ui.label("Filter");
        ui.add(egui::TextEdit::singleline(&mut filter.text).hint_text("rule, element or text"))
            .labelled_by(l.id);
    });
    ui.separator();
    let shown: Vec<&Finding> = panel
        .analysis
        .findings
        .iter()
        .filter(|f| filter.shows(f))
        .collect();
    if shown.is_empty() {
        ui.label(if panel.analysis.findings.is_empty() {
            "✔ No findings: the design passes every check."
        } else {
            "No finding matches the filter."
        });
        return;
    }
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let row_height = line * 3.0 + 8.0;
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, range| {
            for f in &shown[range] {
                // By name, against the model on screen: the finding may be a
                // revision older than the model while a large model is re-checked.
                let target = Selection::of_location(panel.model, &f.location);
                let selected = target != Selection::None && *panel.selection == target;
                let frame = egui::Frame::group(ui.style()).inner_margin(4.0);
                let response = frame
                    .show(ui, |ui| {
                        ui.set_min_height(row_height - 14.0);
                        ui.set_width(ui.available_width());
                        ui.horizontal(|ui| {
                            ui.label(
                                RichText::new(severity_icon(f.severity))
                                    .color(severity_color(ui, f.severity)),
                            );
                            ui.label(RichText::new(f.rule).monospace().strong());
                            ui.add(
                                egui::Label::new(RichText::new(f.location.path()).weak())
                                    .truncate(),
                            );
                        });
                        ui.add(egui::Label::new(f.message.as_str()).truncate());
                        ui.add(
                            egui::Label::new(
                                RichText::new(format!("Fix: {}", f.hint)).italics().weak(),
                            )
                            .truncate(),
                        );
                    })
                    .response;
                let response = ui
                    .interact(
                        response.rect,
                        ui.scope_id()
                            .with(("finding", f.rule, f.location.path(), &f.message)),
                        egui::Sense::click(),
                    )
                    .on_hover_text(format!("{}\n\nFix: {}", f.message, f.hint));
                if selected {
                    ui.painter().rect_stroke(
                        response.rect,
                        4.0,
                        ui.visuals().selection.stroke,
                        egui::StrokeKind::Inside,
                    );
                }
                if response.clicked() {
                    panel.actions.select(target);
                    panel.actions.tab = Some(Tab::Editor);
                }
            }
        });
}
