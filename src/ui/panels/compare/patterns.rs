//! The access patterns, before and after side by side: how each design runs a
//! pattern (call and index, key condition, units per call) and the verdict. The
//! pattern and its verdict stay while the plans scroll sideways; what the new
//! design does differently stands out, what it does alike is dimmed.

use egui::{Align, Label, Layout, RichText, Ui};
use egui_extras::Column;

use super::{arrows, tone_color};
use crate::analysis::compare::{Comparison, PatternChange, PlanSummary};
use crate::analysis::format::{money, number};
use crate::ui::widgets::frozen_grid::{FrozenGrid, Part};
use crate::ui::widgets::status_badge;
use crate::ui::{PanelCtx, Selection};

const HEADER_HEIGHT: f32 = 40.0;

/// Fields of a plan, one column each per side.
const FIELDS: usize = 3;

/// The scrolled columns: title, width, and the plan they show.
const COLUMNS: [(&str, f32, Side); 8] = [
    ("Call · index", 210.0, Side::Before),
    ("Key condition", 190.0, Side::Before),
    ("RCU / WCU", 80.0, Side::Before),
    ("Call · index", 210.0, Side::After),
    ("Key condition", 190.0, Side::After),
    ("RCU / WCU", 80.0, Side::After),
    ("Cost / month", 160.0, Side::Neither),
    ("Pattern changes", 300.0, Side::Neither),
];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Before,
    After,
    Neither,
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, c: &Comparison) {
    if c.patterns.is_empty() {
        ui.label("Neither design has access patterns.");
        return;
    }
    let row_height = ui.spacing().interact_size.y + 4.0;
    let mut grid = FrozenGrid::new(
        ui.make_persistent_id("compare-patterns"),
        c.patterns.len(),
        row_height,
        HEADER_HEIGHT,
    )
    .frozen(Column::exact(220.0).clip(true), 1)
    .frozen(Column::exact(105.0).clip(true), 1)
    .fill_height();
    for (_, width, _) in COLUMNS {
        grid = grid.scrolled(Column::initial(width).resizable(true).clip(true), 1);
    }
    grid.show(ui, |ui, cell| {
        let Some(row) = cell.row else {
            header(ui, cell.part, cell.column);
            return;
        };
        let p = &c.patterns[row];
        // A gap before the next column (the grid puts none), so a cut text ends
        // with its ellipsis clear of its neighbour.
        ui.set_max_width((ui.available_width() - 8.0).max(0.0));
        // One line, centred in the row: a button and a label side by side line up.
        ui.with_layout(Layout::left_to_right(Align::Center), |ui| {
            match (cell.part, cell.column) {
                (Part::Frozen, 0) => pattern(ui, panel, p),
                (Part::Frozen, _) => {
                    let color = tone_color(ui, p.verdict.tone());
                    ui.label(RichText::new(p.verdict.label()).color(color).strong());
                }
                (Part::Scrolled, column) => plan_cell(ui, p, column),
            }
        });
    });
}

fn header(ui: &mut Ui, part: Part, column: usize) {
    let (group, title) = match part {
        Part::Frozen => ("", ["Access pattern", "Verdict"][column.min(1)]),
        Part::Scrolled => {
            let (title, _, side) = COLUMNS[column];
            // The group's name over its first column only.
            let first = column == 0 || COLUMNS[column - 1].2 != side;
            let group = match side {
                Side::Before if first => "Before",
                Side::After if first => "After",
                _ => "",
            };
            (group, title)
        }
    };
    ui.vertical(|ui| {
        ui.label(RichText::new(group).weak());
        ui.strong(title);
    });
}

/// The pattern's id, which selects it in the open model (a removed pattern has
/// nothing to select), and its description; an old id on hover.
fn pattern(ui: &mut Ui, panel: &mut PanelCtx, p: &PatternChange) {
    let mut hover = p.description.clone();
    if let Some(old) = &p.old_id {
        hover.push_str(&format!("\n(was {old})"));
    }
    match p.target {
        Some(uid) => {
            let selection = Selection::Pattern(uid);
            let r = ui.selectable_label(*panel.selection == selection, p.id.as_str());
            if r.on_hover_text(&hover).clicked() {
                panel.actions.select(selection);
            }
        }
        None => {
            // As far in as a button's text, so the ids line up.
            ui.add_space(ui.spacing().button_padding.x);
            ui.label(RichText::new(p.id.as_str()).weak())
                .on_hover_text(&hover);
        }
    }
    ui.add(Label::new(p.description.as_str()).truncate())
        .on_hover_text(hover);
}

fn plan_cell(ui: &mut Ui, p: &PatternChange, column: usize) {
    let (_, _, side) = COLUMNS[column];
    let (plan, other) = match side {
        Side::Before => (p.before.as_ref(), p.after.as_ref()),
        Side::After => (p.after.as_ref(), p.before.as_ref()),
        Side::Neither => {
            if column == 2 * FIELDS {
                text(ui, &cost_text(p), false, false);
            } else {
                text(ui, &arrows(&p.definition.join("; ")), false, false);
            }
            return;
        }
    };
    let Some(plan) = plan else {
        ui.label(RichText::new("—").weak());
        return;
    };
    // The column within its group: call and index, key condition, units.
    let field = column % FIELDS;
    let value = field_text(plan, field);
    let differs = other.is_none_or(|o| field_text(o, field) != value);
    // After: what changed stands out and the rest is dimmed; before is plain.
    let (strong, weak) = match side {
        Side::After => (differs, !differs),
        _ => (false, false),
    };
    if field == 0 {
        ui.label(status_badge(ui, plan.status))
            .on_hover_text(plan.status.label());
        text(ui, &value, strong, weak);
    } else {
        text(ui, &value, strong, weak);
    }
}

fn field_text(plan: &PlanSummary, field: usize) -> String {
    match field {
        // `Query · Users/GSI1`; a pattern served outside DynamoDB has no call.
        0 if plan.call == "—" || plan.index.is_empty() => {
            if plan.index.is_empty() {
                plan.call.clone()
            } else {
                plan.index.clone()
            }
        }
        0 => format!("{} · {}", plan.call, plan.index),
        1 => plan.key_condition.clone(),
        _ => format!("{} / {}", number(plan.read_units), number(plan.write_units)),
    }
}

/// `$1.20 ➡ $0.80`, or one side's cost for an added or removed pattern.
fn cost_text(p: &PatternChange) -> String {
    match (&p.before, &p.after) {
        (Some(b), Some(a)) if money(b.monthly_cost) == money(a.monthly_cost) => {
            money(a.monthly_cost)
        }
        (Some(b), Some(a)) => format!("{} ➡ {}", money(b.monthly_cost), money(a.monthly_cost)),
        (Some(b), None) => format!("{} ➡ —", money(b.monthly_cost)),
        (None, Some(a)) => format!("— ➡ {}", money(a.monthly_cost)),
        (None, None) => String::new(),
    }
}

/// One line, cut to the column with the whole text on hover.
fn text(ui: &mut Ui, text: &str, strong: bool, weak: bool) {
    let mut rich = RichText::new(text);
    if strong {
        rich = rich.strong();
    }
    if weak {
        rich = rich.weak();
    }
    ui.add(Label::new(rich).truncate());
}
