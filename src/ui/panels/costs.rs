//! Costs & partitions: the monthly cost per table and index, and the load each
//! pattern puts on one partition against DynamoDB's 3,000 RCU / 1,000 WCU.

use egui::{Color32, RichText, Ui};
use egui_extras::{Column, TableBuilder};

use crate::analysis::format::{count, money, number};
use crate::analysis::partitions::LoadKind;
use crate::ui::PanelCtx;

/// A horizontal bar for a share of a limit (red past it, amber past half).
fn bar(ui: &mut Ui, share: f64) {
    let (rect, _) = ui.allocate_exact_size(
        egui::vec2(ui.available_width().min(160.0), 12.0),
        egui::Sense::hover(),
    );
    let painter = ui.painter();
    painter.rect_filled(rect, 2.0, ui.visuals().faint_bg_color);
    let color = if share > 1.0 {
        ui.visuals().error_fg_color
    } else if share > 0.5 {
        ui.visuals().warn_fg_color
    } else {
        Color32::from_rgb(60, 170, 90)
    };
    let mut fill = rect;
    fill.set_width(rect.width() * share.clamp(0.0, 1.0) as f32);
    if share > 0.0 {
        fill.set_width(fill.width().max(2.0));
    }
    painter.rect_filled(fill, 2.0, color);
}

pub fn show(ui: &mut Ui, panel: &mut PanelCtx) {
    let costs = &panel.analysis.costs;
    let partitions = &panel.analysis.partitions;
    ui.heading(format!(
        "Estimated monthly cost: {} on demand",
        money(costs.total())
    ));
    ui.label(RichText::new("From average RPS and item sizes: 1 RCU = 4 KB strongly consistent read (half for eventual), 1 WCU = 1 KB write, transactions double, every GSI an item lands in adds a write; $0.125 per million reads, $0.625 per million writes, $0.25 per GB-month.").weak());
    let max_total = costs
        .rows
        .iter()
        .map(|r| r.total())
        .fold(0.0, f64::max)
        .max(0.01);
    ui.push_id("cost-table", |ui| {
        let height = ui.available_height() * 0.45;
        TableBuilder::new(ui)
            .striped(true)
            .max_scroll_height(height)
            .column(Column::initial(200.0).resizable(true))
            .columns(Column::initial(110.0), 4)
            .column(Column::remainder())
            .header(22.0, |mut h| {
                for title in ["Table / index", "Reads", "Writes", "Storage", "Total", ""] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, costs.rows.len(), |mut row| {
                    let r = &costs.rows[row.index()];
                    row.col(|ui| {
                        ui.label(r.label());
                    });
                    row.col(|ui| {
                        ui.label(money(r.read_cost));
                    });
                    row.col(|ui| {
                        ui.label(money(r.write_cost));
                    });
                    row.col(|ui| {
                        ui.label(format!(
                            "{} ({:.2} GB)",
                            money(r.storage_cost),
                            r.storage_gb
                        ));
                    });
                    row.col(|ui| {
                        ui.strong(money(r.total()));
                    });
                    row.col(|ui| bar(ui, r.total() / max_total));
                });
            });
    });
    ui.separator();
    ui.heading("Partition load at peak");
    ui.label(RichText::new("Peak RPS spread over the partition key's distinct values, in capacity units per partition.").weak());
    ui.push_id("partition-table", |ui| {
        TableBuilder::new(ui)
            .striped(true)
            .column(Column::exact(64.0))
            .column(Column::initial(190.0).resizable(true))
            .columns(Column::initial(100.0), 3)
            .column(Column::initial(120.0))
            .column(Column::remainder())
            .header(22.0, |mut h| {
                for title in [
                    "Pattern",
                    "Index",
                    "Peak RPS",
                    "Partitions",
                    "RPS / partition",
                    "Units / partition",
                    "of the limit",
                ] {
                    h.col(|ui| {
                        ui.strong(title);
                    });
                }
            })
            .body(|body| {
                body.rows(22.0, partitions.loads.len(), |mut row| {
                    let l = &partitions.loads[row.index()];
                    row.col(|ui| {
                        if ui.link(&*l.pattern).clicked() {
                            let pattern = crate::ui::Selection::pattern(panel.model, &l.pattern);
                            panel.actions.select(pattern);
                        }
                    });
                    row.col(|ui| {
                        let index = l
                            .index
                            .as_ref()
                            .map(|i| format!("{}/{i}", l.table))
                            .unwrap_or_else(|| l.table.to_string());
                        ui.label(format!(
                            "{index} ({})",
                            if l.kind == LoadKind::Read {
                                "read"
                            } else {
                                "write"
                            }
                        ));
                    });
                    row.col(|ui| {
                        ui.label(number(l.peak_rps));
                    });
                    row.col(|ui| {
                        ui.label(count(l.partitions));
                    });
                    row.col(|ui| {
                        ui.label(number(l.rps_per_partition));
                    });
                    row.col(|ui| {
                        ui.label(format!(
                            "{} {}",
                            number(l.units_per_partition),
                            l.kind.unit()
                        ));
                    });
                    row.col(|ui| {
                        ui.horizontal(|ui| {
                            bar(ui, l.share);
                            ui.label(format!("{:.2}%", l.share * 100.0));
                        });
                    });
                });
            });
    });
}
