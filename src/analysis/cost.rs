//! Monthly on-demand cost per table and index, from average RPS and item sizes.

use serde::Serialize;

use super::context::{Context, ITEM_OVERHEAD_BYTES};
use super::resolve::Resolution;

/// DynamoDB on-demand prices (us-east-1) the estimates use.
pub const READ_PRICE_PER_MILLION: f64 = 0.125;
pub const WRITE_PRICE_PER_MILLION: f64 = 0.625;
pub const STORAGE_PRICE_PER_GB_MONTH: f64 = 0.25;
/// A month as AWS bills it: 730 hours.
pub const SECONDS_PER_MONTH: f64 = 730.0 * 3600.0;
const BYTES_PER_GB: f64 = 1024.0 * 1024.0 * 1024.0;

#[derive(Serialize, Clone, Debug, PartialEq)]
pub struct IndexCost {
    pub table: String,
    /// `None` for the base table.
    pub index: Option<String>,
    pub read_units_per_month: f64,
    pub write_units_per_month: f64,
    pub storage_gb: f64,
    pub read_cost: f64,
    pub write_cost: f64,
    pub storage_cost: f64,
}

impl IndexCost {
    pub fn total(&self) -> f64 {
        self.read_cost + self.write_cost + self.storage_cost
    }

    pub fn label(&self) -> String {
        match &self.index {
            Some(i) => format!("{}/{i}", self.table),
            None => self.table.clone(),
        }
    }
}

#[derive(Serialize, Clone, Debug, PartialEq, Default)]
pub struct CostReport {
    /// Tables in model order, each followed by its GSIs and LSIs.
    pub rows: Vec<IndexCost>,
}

impl CostReport {
    pub fn total(&self) -> f64 {
        self.rows.iter().map(IndexCost::total).sum()
    }

    /// The rows of one table (its base table and its indexes).
    pub fn table_rows<'a>(&'a self, table: &'a str) -> impl Iterator<Item = &'a IndexCost> + 'a {
        self.rows.iter().filter(move |r| r.table == table)
    }
}

pub fn estimate(ctx: &Context, resolutions: &[Resolution]) -> CostReport {
    let mut offsets = Vec::with_capacity(ctx.tables.len());
    let mut rows = Vec::new();
    for table in &ctx.tables {
        offsets.push(rows.len());
        for (ix, view) in table.indexes.iter().enumerate() {
            let bytes: f64 = table
                .entities
                .iter()
                .filter(|&&e| ctx.entities[e].in_index[ix])
                .map(|&e| {
                    let info = &ctx.entities[e];
                    info.entity.item_count as f64 * (info.index_size[ix] + ITEM_OVERHEAD_BYTES)
                })
                .sum();
            let storage_gb = bytes / BYTES_PER_GB;
            rows.push(IndexCost {
                table: view.table.name.clone(),
                index: view.name.map(str::to_string),
                read_units_per_month: 0.0,
                write_units_per_month: 0.0,
                storage_gb,
                read_cost: 0.0,
                write_cost: 0.0,
                storage_cost: storage_gb * STORAGE_PRICE_PER_GB_MONTH,
            });
        }
    }
    for (r, pattern) in resolutions.iter().zip(&ctx.model.access_patterns) {
        let rps = pattern.average_rps.max(0.0);
        if let Some(plan) = &r.plan {
            rows[offsets[plan.table_pos] + plan.index_pos].read_units_per_month +=
                rps * plan.read_units * SECONDS_PER_MONTH;
        }
        for w in &r.writes {
            rows[offsets[w.table_pos] + w.index_pos].write_units_per_month +=
                rps * w.write_units * SECONDS_PER_MONTH;
        }
    }
    for row in &mut rows {
        row.read_cost = row.read_units_per_month / 1e6 * READ_PRICE_PER_MILLION;
        row.write_cost = row.write_units_per_month / 1e6 * WRITE_PRICE_PER_MILLION;
    }
    CostReport { rows }
}
