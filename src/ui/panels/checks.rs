//! The Checks panel: every finding with its severity, rule, message and hint, and
//! a Fix button where the finding carries a mechanical remedy. Clicking a finding
//! selects the element it is about.

use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};

use crate::analysis::format::plural;
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
                "{} {}",
                severity_icon(Severity::Error),
                plural(counts.errors, "error", "errors")
            ),
        );
        ui.toggle_value(
            &mut filter.warnings,
            format!(
                "{} {}",
                severity_icon(Severity::Warning),
                plural(counts.warnings, "warning", "warnings")
            ),
        );
        ui.toggle_value(
            &mut filter.infos,
            format!(
                "{} {}",
                severity_icon(Severity::Info),
                plural(counts.infos, "note", "notes")
            ),
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
    fix_all(ui, panel);
    let line = ui.text_style_height(&egui::TextStyle::Body);
    let spacing = ui.spacing().item_spacing.y;
    // A heading as tall as its Fix button, the message and the hint, within a
    // 5-point margin, and the space between rows.
    let heading = line.max(ui.spacing().interact_size.y);
    let row_height = heading + line * 2.0 + spacing * 3.0 + 10.0;
    egui::ScrollArea::vertical()
        .id_salt("findings")
        .auto_shrink([false, false])
        .show_rows(ui, row_height, shown.len(), |ui, range| {
            for f in &shown[range] {
                finding_row(ui, panel, f, row_height - spacing);
            }
        });
}

/// "Fix all": every safe fix, applied in rounds as `dynamodel fix` does, as one
/// undo step.
fn fix_all(ui: &mut Ui, panel: &mut PanelCtx) {
    let mut safe: Vec<&str> = panel
        .analysis
        .findings
        .iter()
        .filter_map(|f| f.fix.as_deref())
        .filter(|fix| fix.safe)
        .map(|fix| fix.label.as_str())
        .collect();
    safe.sort_unstable();
    safe.dedup();
    if safe.is_empty() {
        return;
    }
    let button = ui
        .button(format!("🔧 Fix all ({} safe)", safe.len()))
        .on_hover_text(format!(
            "Applies every safe fix as one undo step, re-checking as it goes; a fix that \
             would serve an access pattern worse is left out:\n• {}",
            safe.join("\n• ")
        ));
    crate::ui::widgets::name_widget(ui, &button, "Fix all safe findings");
    if button.clicked() {
        let run = crate::analysis::fixes::apply_fixes(panel.model, &Default::default());
        if let Some(edit) = run.as_edit() {
            panel.actions.edit(edit);
        }
    }
    ui.separator();
}

fn finding_row(ui: &mut Ui, panel: &mut PanelCtx, f: &Finding, height: f32) {
    // By name, against the model on screen: the finding may be a revision older
    // than the model while a large model is re-checked.
    let target = Selection::of_location(panel.model, &f.location);
    let selected = target != Selection::None && *panel.selection == target;
    // The row's click area comes first, so that the Fix button drawn on it later
    // takes its own clicks.
    let (rect, response) = ui.allocate_exact_size(
        egui::vec2(ui.available_width(), height),
        egui::Sense::click(),
    );
    let visuals = ui.visuals();
    let stroke = if selected {
        visuals.selection.stroke
    } else {
        visuals.widgets.noninteractive.bg_stroke
    };
    ui.painter()
        .rect_stroke(rect, 4.0, stroke, egui::StrokeKind::Inside);
    let mut row = ui.new_child(
        egui::UiBuilder::new()
            .max_rect(rect.shrink(5.0))
            .layout(egui::Layout::top_down(egui::Align::Min)),
    );
    let mut fix_hovered = false;
    row.horizontal(|ui| {
        ui.label(RichText::new(severity_icon(f.severity)).color(severity_color(ui, f.severity)));
        if let Some(fix) = f.fix.as_deref() {
            ui.with_layout(egui::Layout::right_to_left(egui::Align::Center), |ui| {
                let preview = std::iter::once(fix.label.clone())
                    .chain(fix.changes.iter().map(|c| format!("• {c}")))
                    .collect::<Vec<_>>()
                    .join("\n");
                let button = ui
                    .small_button("🔧 Fix")
                    .on_hover_text(format!("{preview}\n\nOne undo step."));
                crate::ui::widgets::name_widget(ui, &button, &format!("Fix: {}", fix.label));
                fix_hovered = button.hovered();
                if button.clicked() {
                    panel.actions.edit(fix.edit.clone());
                }
                ui.with_layout(egui::Layout::left_to_right(egui::Align::Center), |ui| {
                    finding_heading(ui, f);
                });
            });
        } else {
            finding_heading(ui, f);
        }
    });
    row.add(egui::Label::new(f.message.as_str()).truncate());
    row.add(
        egui::Label::new(RichText::new(format!("Hint: {}", f.hint)).italics().weak()).truncate(),
    );
    // One tooltip at a time: the button's preview while it is hovered.
    let response = if fix_hovered {
        response
    } else {
        response.on_hover_text(format!("{}\n\nHint: {}", f.message, f.hint))
    };
    if response.clicked() {
        panel.actions.select(target);
        panel.actions.tab = Some(Tab::Editor);
    }
}

fn finding_heading(ui: &mut Ui, f: &Finding) {
    ui.label(RichText::new(f.rule).monospace().strong());
    ui.add(egui::Label::new(RichText::new(f.location.path()).weak()).truncate());
}
