//! The Compare tab's other sections: the structural changes, the cost per
//! table and index, the findings fixed and introduced, the partitions that
//! crossed a limit, and the migration plan. Figures come first in each row, so
//! they line up; the text comes last and wraps in the width left.

use egui::{Label, RichText, Ui};

use super::{arrows, better_color, delta_color};
use crate::analysis::compare::{ChangeKind, Comparison, CostRow, FindingRef};
use crate::analysis::format::{count, duration, money, money_delta, number};
use crate::ui::widgets::{severity_color, severity_icon};
use crate::ui::{PanelCtx, Selection};

/// A striped grid in a scroll area that takes the height left.
fn grid(ui: &mut Ui, id: &str, add: impl FnOnce(&mut Ui)) {
    egui::ScrollArea::both()
        .id_salt(id)
        .auto_shrink([false, false])
        .show(ui, |ui| {
            egui::Grid::new(id)
                .striped(true)
                .spacing([16.0, 6.0])
                .show(ui, add);
        });
}

/// Lines of text in the last column of a grid, wrapped in the width that is
/// in view (a scroll area offers any width; text past the edge would be cut).
fn wrapped(ui: &mut Ui, lines: &[(String, bool)]) {
    let in_view = ui.clip_rect().right() - ui.cursor().left() - 8.0;
    ui.vertical(|ui| {
        ui.set_max_width(in_view.clamp(240.0, 720.0));
        for (line, weak) in lines {
            let mut text = RichText::new(arrows(line));
            if *weak {
                text = text.weak();
            }
            ui.add(Label::new(text).wrap());
        }
    });
}

fn headers(ui: &mut Ui, titles: &[&str]) {
    for title in titles {
        ui.strong(*title);
    }
    ui.end_row();
}

pub fn structure(ui: &mut Ui, panel: &mut PanelCtx, c: &Comparison) {
    if c.structure.is_empty() {
        ui.label("No table, index, entity or attribute changed.");
        return;
    }
    ui.label(RichText::new("Click an element to select it in the open model.").weak());
    grid(ui, "compare-structure", |ui| {
        headers(
            ui,
            &["Element", "Change", "In the open model", "What changed"],
        );
        for change in &c.structure {
            ui.label(change.element.label());
            let color = match change.kind {
                ChangeKind::Added => better_color(ui),
                ChangeKind::Removed => ui.visuals().error_fg_color,
                ChangeKind::Renamed | ChangeKind::Changed => ui.visuals().text_color(),
            };
            ui.label(RichText::new(change.kind.label()).color(color));
            match change.target {
                Some(uid) => {
                    let selection = Selection::of_uid(panel.model, uid);
                    let selected = selection != Selection::None && *panel.selection == selection;
                    if ui
                        .selectable_label(selected, change.path.as_str())
                        .clicked()
                    {
                        panel.actions.select(selection);
                    }
                }
                None => {
                    // As far in as a button's text, so the paths line up.
                    ui.horizontal(|ui| {
                        ui.add_space(ui.spacing().button_padding.x);
                        ui.label(RichText::new(change.path.as_str()).weak());
                    });
                }
            }
            let mut lines = Vec::new();
            if let Some(old) = &change.old_path {
                lines.push((format!("was {old}"), false));
            }
            lines.extend(change.details.iter().map(|d| (d.clone(), false)));
            wrapped(ui, &lines);
            ui.end_row();
        }
    });
}

pub fn cost(ui: &mut Ui, c: &Comparison) {
    let cost = &c.cost;
    ui.label(
        RichText::new("Monthly cost on demand: reads, writes and storage of each table and index.")
            .weak(),
    );
    grid(ui, "compare-cost", |ui| {
        headers(ui, &["Table / index", "Before", "After", "Change"]);
        for row in &cost.tables {
            cost_row(ui, row, true);
            for index in cost.rows.iter().filter(|r| {
                r.table == row.table
                    && r.index.is_some()
                    && r.after.is_none() == row.after.is_none()
            }) {
                cost_row(ui, index, false);
            }
        }
        ui.strong("All tables");
        ui.strong(money(cost.before));
        ui.strong(money(cost.after));
        ui.label(
            RichText::new(money_delta(cost.delta()))
                .color(delta_color(ui, cost.delta()))
                .strong(),
        );
        ui.end_row();
    });
}

/// A table's total (`table`) or one of its indexes, indented.
fn cost_row(ui: &mut Ui, row: &CostRow, table: bool) {
    let label = match (&row.index, table) {
        (Some(index), false) => format!("    {index}"),
        _ => row.label.clone(),
    };
    let money_or_dash = |v: Option<f64>| v.map_or_else(|| "—".to_string(), money);
    if table {
        ui.strong(label);
    } else {
        ui.label(label);
    }
    ui.label(money_or_dash(row.before));
    ui.label(money_or_dash(row.after));
    ui.label(RichText::new(money_delta(row.delta())).color(delta_color(ui, row.delta())));
    ui.end_row();
}

pub fn findings(ui: &mut Ui, c: &Comparison) {
    let f = &c.findings;
    egui::ScrollArea::vertical()
        .id_salt("compare-findings")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            ui.label(format!("{} findings are in both designs.", f.unchanged));
            for (title, list, none) in [
                ("Introduced", &f.introduced, "No finding is new."),
                ("Fixed", &f.fixed, "No finding of the old design is gone."),
            ] {
                ui.add_space(6.0);
                ui.heading(format!("{title} ({})", list.len()));
                if list.is_empty() {
                    ui.label(RichText::new(none).weak());
                }
                for finding in list.iter() {
                    finding_row(ui, finding);
                }
            }
        });
}

fn finding_row(ui: &mut Ui, f: &FindingRef) {
    ui.horizontal(|ui| {
        ui.label(RichText::new(severity_icon(f.severity)).color(severity_color(ui, f.severity)));
        ui.strong(f.location.as_str());
        ui.label(RichText::new(f.rule).weak());
    });
    ui.indent(("finding", f.rule, f.location.as_str()), |ui| {
        ui.add(Label::new(arrows(&f.message)).wrap());
    });
}

pub fn partitions(ui: &mut Ui, c: &Comparison) {
    if c.partitions.is_empty() {
        ui.label("No partition load crossed DynamoDB's per-partition limit (3,000 RCU, 1,000 WCU) either way.");
        return;
    }
    ui.label(
        RichText::new("Peak load on one partition as a share of DynamoDB's per-partition limit.")
            .weak(),
    );
    let share =
        |v: Option<f64>| v.map_or_else(|| "—".to_string(), |s| format!("{:.0}%", s * 100.0));
    grid(ui, "compare-partitions", |ui| {
        headers(
            ui,
            &["Index", "Partition key", "Load", "Before", "After", ""],
        );
        for p in &c.partitions {
            ui.label(p.index.as_str());
            ui.label(p.key.as_str());
            ui.label(p.load);
            ui.label(share(p.before));
            ui.label(share(p.after));
            let (state, color) = match p.after {
                _ if p.now_hot() => ("now over the limit", ui.visuals().error_fg_color),
                Some(_) => ("now under the limit", better_color(ui)),
                None => ("gone with its index", better_color(ui)),
            };
            ui.label(RichText::new(state).color(color));
            ui.end_row();
        }
    });
}

pub fn migration(ui: &mut Ui, c: &Comparison) {
    let m = &c.migration;
    if m.is_empty() {
        ui.label("Nothing to migrate: the tables and the items stay as they are.");
        return;
    }
    ui.label(
        RichText::new(format!(
            "In order. Times at {} WCU/s; costs at on-demand write prices. A step that is not online needs a switch-over: the application moves to the new table once its items are copied.",
            number(m.write_rate)
        ))
        .weak(),
    );
    grid(ui, "compare-migration", |ui| {
        headers(ui, &["#", "Online", "Items", "WCU", "Cost", "Time", "Step"]);
        for (i, step) in m.steps.iter().enumerate() {
            ui.label(format!("{}", i + 1));
            if step.online {
                ui.label("yes");
            } else {
                ui.label(RichText::new("no").color(ui.visuals().warn_fg_color));
            }
            ui.label(count(step.items as f64));
            ui.label(number(step.write_units));
            ui.label(money(step.cost));
            ui.label(duration(step.seconds));
            let mut lines = vec![(step.action.describe(), false)];
            if !step.note.is_empty() {
                lines.push((step.note.clone(), true));
            }
            wrapped(ui, &lines);
            ui.end_row();
        }
        ui.strong("All");
        ui.label("");
        ui.label("");
        ui.strong(number(m.write_units()));
        ui.strong(money(m.cost()));
        ui.strong(duration(m.seconds()));
        ui.label("");
        ui.end_row();
    });
}
