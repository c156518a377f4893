//! `dynamodb_data_model.md`: the design document in the layout of the Modernizr
//! workshop and the DynamoDB MCP server's data-modeling prompt, filled from the
//! model and its live analysis. Deterministic: the same model gives the same bytes.

mod changes;
mod diagram;
mod health;
mod patterns;
mod samples;
mod tables;

use crate::analysis::context::Context;
use crate::analysis::sample_items::{self, SampleSet};
use crate::analysis::{self, Analysis, Status};
use crate::model::Model;

use super::{ExportOptions, Exported, Report, join_list};
use crate::analysis::format::{bytes, count, money, number, plural};

/// A run of the access patterns against a live endpoint, as the deployer
/// records it; the document's Validation Results show the last one.
#[derive(Clone, Debug, PartialEq)]
pub struct LiveRun {
    /// Where the patterns ran, e.g. `DynamoDB Local at http://localhost:8000`.
    pub target: String,
    /// One per pattern, in model order.
    pub results: Vec<LivePatternResult>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LiveOutcome {
    Passed,
    Failed,
    /// Not run: served outside DynamoDB, or nothing to run.
    Skipped,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LivePatternResult {
    pub pattern: String,
    pub outcome: LiveOutcome,
    pub items_returned: Option<u64>,
    pub consumed_capacity: Option<f64>,
    pub latency_ms: Option<f64>,
    /// The error on failure, or a remark.
    pub detail: String,
}

/// Everything the sections read, computed once.
struct Input<'m> {
    model: &'m Model,
    analysis: Analysis,
    ctx: Context<'m>,
    samples: SampleSet,
    live_run: Option<&'m LiveRun>,
}

pub use changes::review;

pub fn export(model: &Model, options: &ExportOptions) -> Exported {
    let input = Input {
        model,
        analysis: analysis::analyze(model),
        ctx: Context::new(model),
        samples: sample_items::generate(model, &options.samples),
        live_run: options.live_run.as_ref(),
    };
    let mut doc = Doc::default();
    doc.line("# DynamoDB Data Model");
    doc.blank();
    doc.line(format!("_{}_", inline(&model.name)));
    design_philosophy(&mut doc, &input);
    diagram::section(&mut doc, &input);
    tables::table_designs(&mut doc, &input);
    patterns::access_pattern_mapping(&mut doc, &input);
    health::hot_partitions(&mut doc, &input);
    health::cost_estimates(&mut doc, &input);
    health::trade_offs(&mut doc, &input);
    health::validation_results(&mut doc, &input);
    if let Some(baseline) = &options.baseline {
        let comparison = analysis::compare::compare(
            baseline,
            &analysis::analyze(baseline),
            model,
            &input.analysis,
            analysis::compare::Options::default(),
        );
        changes::section(&mut doc, &comparison);
    }
    Exported {
        text: doc.finish(),
        report: Report::default(),
    }
}

fn design_philosophy(doc: &mut Doc, input: &Input) {
    let model = input.model;
    doc.heading(2, "Design Philosophy & Approach");
    if !model.description.trim().is_empty() {
        doc.line(model.description.trim());
        doc.blank();
    }
    let gsis: usize = model.tables.iter().map(|t| t.gsis.len()).sum();
    let lsis: usize = model.tables.iter().map(|t| t.lsis.len()).sum();
    let names = |list: Vec<&str>| {
        list.iter()
            .map(|n| inline(n))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let mut summary = format!(
        "**Summary.** {} ({}) with {} and {} hold {} ({}).",
        plural(model.tables.len(), "table", "tables"),
        names(model.tables.iter().map(|t| t.name.as_str()).collect()),
        plural(gsis, "GSI", "GSIs"),
        plural(lsis, "LSI", "LSIs"),
        plural(model.entities.len(), "entity", "entities"),
        names(model.entities.iter().map(|e| e.name.as_str()).collect()),
    );
    let mut parts = Vec::new();
    for (status, one, many) in [
        (
            Status::Served,
            "read served by a key condition",
            "reads served by a key condition",
        ),
        (
            Status::NeedsFilter,
            "read that needs a filter",
            "reads that need a filter",
        ),
        (
            Status::NeedsScan,
            "read that needs a scan",
            "reads that need a scan",
        ),
        (Status::Write, "write", "writes"),
        (
            Status::Outside,
            "pattern served outside DynamoDB",
            "patterns served outside DynamoDB",
        ),
        (
            Status::Unresolved,
            "unresolved pattern",
            "unresolved patterns",
        ),
    ] {
        let n = input
            .analysis
            .resolutions
            .iter()
            .filter(|r| r.status == status)
            .count();
        if n > 0 {
            parts.push(plural(n, one, many));
        }
    }
    if !parts.is_empty() {
        summary.push_str(&format!(
            " Of the {}: {}.",
            plural(
                model.access_patterns.len(),
                "access pattern",
                "access patterns"
            ),
            join_list(&parts)
        ));
    }
    summary.push_str(&format!(
        " Estimated cost: {} per month at on-demand prices. Design checks: {}.",
        money(input.analysis.costs.total()),
        counts_text(&input.analysis)
    ));
    doc.line(summary);
}

fn counts_text(analysis: &Analysis) -> String {
    let c = analysis.counts;
    format!(
        "{}, {}, {}",
        plural(c.errors, "error", "errors"),
        plural(c.warnings, "warning", "warnings"),
        plural(c.infos, "note", "notes")
    )
}

/// Markdown text being written, line by line.
#[derive(Default)]
struct Doc {
    text: String,
}

impl Doc {
    fn line(&mut self, line: impl AsRef<str>) {
        self.text.push_str(line.as_ref());
        self.text.push('\n');
    }

    fn blank(&mut self) {
        if !self.text.is_empty() && !self.text.ends_with("\n\n") {
            self.text.push('\n');
        }
    }

    fn heading(&mut self, level: usize, title: &str) {
        self.blank();
        self.line(format!("{} {title}", "#".repeat(level)));
        self.blank();
    }

    fn bullet(&mut self, label: &str, text: impl AsRef<str>) {
        self.line(format!("- **{label}**: {}", text.as_ref()));
    }

    /// A table; every cell is escaped by the caller.
    fn table(&mut self, header: &[&str], rows: &[Vec<String>]) {
        self.blank();
        self.line(format!("| {} |", header.join(" | ")));
        self.line(format!("|{}|", vec!["---"; header.len()].join("|")));
        for row in rows {
            self.line(format!("| {} |", row.join(" | ")));
        }
        self.blank();
    }

    fn finish(mut self) -> String {
        while self.text.ends_with("\n\n") {
            self.text.pop();
        }
        self.text
    }
}

/// User text in a table cell: a `|` or a line break cannot end the cell or the
/// row, and `<` cannot open an HTML tag that hides the text.
fn cell(text: &str) -> String {
    table_safe(&text.replace('<', "&lt;"))
}

fn table_safe(text: &str) -> String {
    text.trim()
        .replace("\r\n", "\n")
        .replace('\r', "\n")
        .replace('|', "\\|")
        .replace('\n', "<br>")
}

/// User text inside a line of prose (a heading, a bullet): line breaks become spaces.
fn inline(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A code span that holds any text: the fence is one backtick longer than the
/// longest run of backticks inside.
fn code(text: &str) -> String {
    let text = text.replace(['\r', '\n'], " ");
    let (mut longest, mut run) = (0, 0);
    for c in text.chars() {
        if c == '`' {
            run += 1;
            longest = longest.max(run);
        } else {
            run = 0;
        }
    }
    let ticks = "`".repeat(longest + 1);
    let pad = if longest > 0 { " " } else { "" };
    format!("{ticks}{pad}{text}{pad}{ticks}")
}

/// A code span inside a table cell.
fn code_cell(text: &str) -> String {
    table_safe(&code(text))
}

/// ✅ under half the limit, ⚠️ from half, ❌ past it.
fn load_icon(share: f64) -> &'static str {
    if share >= 1.0 {
        "❌"
    } else if share >= 0.5 {
        "⚠️"
    } else {
        "✅"
    }
}

#[cfg(test)]
mod tests;
