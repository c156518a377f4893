//! Document preview: `dynamodb_data_model.md` as the team will read it, rendered
//! from the live model (headings, paragraphs, lists, tables, inline code and bold).
//! Long documents stay fast: only the blocks in view are laid out.

use egui::{RichText, Ui};

use crate::export::ExportFormat;
use crate::ui::{Command, PanelCtx};

#[derive(Debug, PartialEq)]
pub enum Block {
    Heading(usize, String),
    Paragraph(String),
    Bullet(usize, String),
    /// One row of a table; `header` rows are drawn bold. `widths` is shared by the
    /// table's rows (in characters).
    Row {
        cells: Vec<String>,
        header: bool,
        widths: std::sync::Arc<Vec<usize>>,
    },
    Gap,
}

fn cells(line: &str) -> Vec<String> {
    let inner = line.trim().trim_start_matches('|').trim_end_matches('|');
    let mut out = Vec::new();
    let mut cell = String::new();
    let mut chars = inner.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' if chars.peek() == Some(&'|') => {
                cell.push('|');
                chars.next();
            }
            '|' => out.push(std::mem::take(&mut cell).trim().to_string()),
            _ => cell.push(c),
        }
    }
    out.push(cell.trim().to_string());
    out
}

/// The document, parsed once per revision.
pub struct Rendered {
    pub text: String,
    blocks: Vec<Block>,
}

impl Rendered {
    pub fn new(text: String) -> Self {
        let blocks = parse(&text);
        Rendered { text, blocks }
    }
}

fn parse(text: &str) -> Vec<Block> {
    let lines: Vec<&str> = text.lines().collect();
    let mut blocks = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        if trimmed.starts_with('|') {
            let start = i;
            while i < lines.len() && lines[i].trim_start().starts_with('|') {
                i += 1;
            }
            let rows: Vec<Vec<String>> = lines[start..i]
                .iter()
                .filter(|l| !l.chars().all(|c| matches!(c, '|' | '-' | ':' | ' ')))
                .map(|l| cells(l))
                .collect();
            let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
            let widths: Vec<usize> = (0..columns)
                .map(|c| {
                    rows.iter()
                        .filter_map(|r| r.get(c))
                        .map(|t| t.chars().count())
                        .max()
                        .unwrap_or(4)
                        .clamp(4, 48)
                })
                .collect();
            let widths = std::sync::Arc::new(widths);
            for (n, row) in rows.into_iter().enumerate() {
                blocks.push(Block::Row {
                    cells: row,
                    header: n == 0,
                    widths: widths.clone(),
                });
            }
            blocks.push(Block::Gap);
            continue;
        }
        if let Some(rest) = trimmed
            .strip_prefix("- ")
            .or_else(|| trimmed.strip_prefix("* "))
        {
            let indent = (line.len() - trimmed.len()) / 2;
            blocks.push(Block::Bullet(indent, rest.to_string()));
        } else if trimmed.starts_with('#') {
            let level = trimmed.chars().take_while(|&c| c == '#').count();
            blocks.push(Block::Heading(level, trimmed[level..].trim().to_string()));
        } else if trimmed.is_empty() {
            if blocks.last() != Some(&Block::Gap) {
                blocks.push(Block::Gap);
            }
        } else {
            blocks.push(Block::Paragraph(trimmed.to_string()));
        }
        i += 1;
    }
    blocks
}

/// Emoji variation selectors have no glyph of their own: draw the base symbol.
fn clean(text: &str) -> String {
    text.replace('\u{FE0F}', "")
}

/// Inline markdown: `code`, **bold**, _italics_.
fn inline(ui: &mut Ui, text: &str, size: Option<f32>, strong: bool) {
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().item_spacing.x = 0.0;
        let text = clean(text);
        let mut rest = text.as_str();
        while !rest.is_empty() {
            let next = ["`", "**"]
                .iter()
                .filter_map(|m| rest.find(m).map(|p| (p, *m)))
                .min_by_key(|(p, _)| *p);
            let (plain, marker) = match next {
                Some((p, m)) => (&rest[..p], Some(m)),
                None => (rest, None),
            };
            if !plain.is_empty() {
                let mut t = RichText::new(plain);
                if let Some(s) = size {
                    t = t.size(s);
                }
                if strong {
                    t = t.strong();
                }
                ui.label(t);
            }
            let Some(m) = marker else { break };
            let after = &rest[plain.len() + m.len()..];
            match after.find(m) {
                Some(end) => {
                    let inner = &after[..end];
                    let t = if m == "`" {
                        RichText::new(inner).code()
                    } else {
                        RichText::new(inner).strong()
                    };
                    ui.label(t);
                    rest = &after[end + m.len()..];
                }
                None => {
                    ui.label(m);
                    rest = after;
                }
            }
        }
    });
}

fn draw(ui: &mut Ui, block: &Block) {
    match block {
        Block::Heading(level, text) => {
            let size = match level {
                1 => 26.0,
                2 => 21.0,
                3 => 17.0,
                _ => 15.0,
            };
            ui.add_space(if *level <= 2 { 10.0 } else { 4.0 });
            inline(ui, text, Some(size), true);
            if *level <= 2 {
                ui.separator();
            }
        }
        Block::Paragraph(text) => match text
            .strip_prefix('_')
            .and_then(|t| t.strip_suffix('_'))
            .filter(|t| !t.contains('_'))
        {
            Some(italic) => {
                ui.label(RichText::new(clean(italic)).italics());
            }
            None => inline(ui, text, None, false),
        },
        Block::Bullet(indent, text) => {
            ui.horizontal(|ui| {
                ui.add_space(12.0 + 18.0 * *indent as f32);
                ui.label("•");
                let width = ui.available_width();
                ui.vertical(|ui| {
                    ui.set_max_width(width);
                    inline(ui, text, None, false)
                });
            });
        }
        Block::Row {
            cells,
            header,
            widths,
        } => {
            let char_width = 7.5;
            ui.horizontal(|ui| {
                for (c, text) in cells.iter().enumerate() {
                    let width = widths.get(c).copied().unwrap_or(8) as f32 * char_width + 12.0;
                    let text = clean(text);
                    let shown = RichText::new(text.replace('`', ""));
                    let shown = if *header { shown.strong() } else { shown };
                    ui.add_sized([width, 20.0], egui::Label::new(shown).truncate())
                        .on_hover_text(text);
                    ui.separator();
                }
            });
        }
        Block::Gap => {
            ui.add_space(6.0);
        }
    }
}

/// Height assumed for a block not laid out yet.
const ESTIMATE: f32 = 22.0;

pub fn show(ui: &mut Ui, panel: &mut PanelCtx, doc: &Rendered) {
    ui.horizontal(|ui| {
        ui.label(RichText::new("dynamodb_data_model.md, from the live model").weak());
        if ui.button("Export…").clicked() {
            panel
                .actions
                .command(Command::Export(ExportFormat::Markdown));
        }
        if ui.button("Copy markdown").clicked() {
            ui.ctx().copy_text(doc.text.clone());
        }
    });
    ui.separator();
    let blocks = &doc.blocks;
    // Heights of the blocks as last laid out: only the blocks in view are drawn,
    // the rest is one empty space above and one below.
    let key = ui.make_persistent_id(("document-heights", doc.text.len()));
    let mut heights: Vec<f32> = ui.data(|d| d.get_temp(key)).unwrap_or_default();
    heights.resize(blocks.len(), 0.0);
    let height = |h: f32| if h > 0.0 { h } else { ESTIMATE };
    egui::ScrollArea::both()
        .id_salt("document")
        .auto_shrink([false, false])
        .show_viewport(ui, |ui, viewport| {
            ui.set_min_width(ui.available_width());
            let margin = 300.0;
            let mut y = 0.0;
            let mut i = 0;
            while i < blocks.len() && y + height(heights[i]) < viewport.min.y - margin {
                y += height(heights[i]);
                i += 1;
            }
            if y > 0.0 {
                ui.allocate_space(egui::vec2(1.0, y));
            }
            while i < blocks.len() && y <= viewport.max.y + margin {
                let before = ui.cursor().top();
                draw(ui, &blocks[i]);
                heights[i] = (ui.cursor().top() - before).max(1.0);
                y += heights[i];
                i += 1;
            }
            let below: f32 = heights[i..].iter().map(|&h| height(h)).sum();
            if below > 0.0 {
                ui.allocate_space(egui::vec2(1.0, below));
            }
        });
    ui.data_mut(|d| d.insert_temp(key, heights));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_the_document_shapes() {
        let blocks = parse(
            "# Title\n\nSome `code`.\n\n- a\n  - b\n\n| A | B |\n|---|---|\n| 1 \\| 2 | 3 |\n",
        );
        assert_eq!(blocks[0], Block::Heading(1, "Title".into()));
        assert!(matches!(&blocks[2], Block::Paragraph(p) if p == "Some `code`."));
        assert_eq!(blocks[4], Block::Bullet(0, "a".into()));
        assert_eq!(blocks[5], Block::Bullet(1, "b".into()));
        let rows: Vec<&Vec<String>> = blocks
            .iter()
            .filter_map(|b| match b {
                Block::Row { cells, .. } => Some(cells),
                _ => None,
            })
            .collect();
        assert_eq!(
            rows,
            [
                &vec!["A".to_string(), "B".into()],
                &vec!["1 | 2".to_string(), "3".into()]
            ]
        );
    }
}
