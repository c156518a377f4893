//! How a pattern resolves: the plan, its key condition and cost, the
//! alternatives it can be pinned to, and the command an import brought.

use egui::{RichText, Ui};

use crate::analysis::format::{count, number};
use crate::analysis::{Plan, Resolution, Status};
use crate::model::{AccessPattern, Edit, PatternChange};
use crate::ui::PanelCtx;
use crate::ui::widgets::{name_widget, status_badge};

/// The command an imported pattern came with, and whether the MCP export still
/// writes it back as it came.
pub(super) fn imported_command(
    ui: &mut Ui,
    model: &crate::model::Model,
    pattern: &AccessPattern,
    source: &crate::model::SourceCall,
) {
    ui.add_space(4.0);
    let unchanged = crate::export::mcp_json::source_digest(model, pattern) == source.digest;
    ui.horizontal_wrapped(|ui| {
        ui.strong("Imported command");
        ui.label(
            RichText::new(if unchanged {
                "written back as it came by the MCP export"
            } else {
                "the pattern changed since: the MCP export writes a new command"
            })
            .weak(),
        );
    });
    let mut text = source.command.clone();
    let r = ui.add(
        egui::TextEdit::multiline(&mut text)
            .code_editor()
            .interactive(false)
            .desired_rows(2)
            .desired_width(f32::INFINITY),
    );
    name_widget(ui, &r, "Imported command");
}

fn plan_line(ui: &mut Ui, plan: &Plan, pattern: &AccessPattern) {
    ui.label(
        RichText::new(format!(
            "{} on {}",
            plan.call.as_str(),
            plan.qualified_label()
        ))
        .strong(),
    );
    if !plan.key_condition.is_empty() {
        ui.label(RichText::new(plan.key_condition.expression()).monospace());
        ui.label(
            RichText::new(plan.key_condition.values_text())
                .monospace()
                .weak(),
        );
    }
    let mut notes = Vec::new();
    if !plan.filters.is_empty() {
        notes.push(format!("filter on {}", plan.filters.join(", ")));
    }
    if !plan.selective {
        notes.push("other entities share the key condition".into());
    }
    notes.push(format!(
        "reads ~{} items ({}× what it returns), {} RCU per call",
        count(plan.items_read),
        number(plan.amplification(pattern.items)),
        number(plan.read_units)
    ));
    ui.label(RichText::new(notes.join(" · ")).weak());
}

/// How the pattern resolves, and the alternatives it could be pinned to.
pub(super) fn show(ui: &mut Ui, panel: &mut PanelCtx, p: &AccessPattern, r: &Resolution) {
    ui.horizontal(|ui| {
        ui.label(status_badge(ui, r.status));
        ui.strong(format!("Resolution: {}", r.status.label()));
    });
    match r.status {
        Status::Outside => {
            ui.label(p.outside_dynamodb.clone().unwrap_or_default());
        }
        Status::Write => {
            let targets: Vec<String> = r
                .writes
                .iter()
                .map(|w| {
                    format!(
                        "{} ({} WCU)",
                        w.index
                            .as_ref()
                            .map(|i| format!("{}/{i}", w.table))
                            .unwrap_or_else(|| w.table.to_string()),
                        number(w.write_units)
                    )
                })
                .collect();
            ui.label(format!(
                "{} updates {}",
                p.operation.as_str(),
                targets.join(", ")
            ));
        }
        _ => {}
    }
    if let Some(problem) = &r.problem {
        ui.label(RichText::new(problem).color(ui.visuals().error_fg_color));
    }
    if let Some(note) = &r.note {
        ui.label(RichText::new(note).italics());
    }
    if let Some(plan) = &r.plan {
        egui::Frame::group(ui.style()).show(ui, |ui| plan_line(ui, plan, p));
    }
    if !r.alternatives.is_empty() {
        ui.label(RichText::new("Alternatives").weak());
        for alt in &r.alternatives {
            ui.horizontal(|ui| {
                egui::Frame::group(ui.style()).show(ui, |ui| {
                    ui.vertical(|ui| plan_line(ui, alt, p));
                });
                if ui
                    .button("Pin")
                    .on_hover_text(format!("Serve {} from {}", p.id, alt.qualified_label()))
                    .clicked()
                {
                    let pin = PatternChange::Index(Some(alt.index_label().to_string()));
                    panel.actions.edit(Edit::Pattern {
                        pattern: p.uid.get(),
                        change: pin,
                    });
                }
            });
        }
    }
}
