//! Entity consolidation: a read of several entities should be one Query over an
//! item collection, not one request per table or partition.

use super::{Input, PatternInput, finding};
use crate::analysis::findings::{Finding, Location, Severity};

/// Whether one access pattern reads entities that live apart.
pub fn check_pattern(input: &Input, at: PatternInput, out: &mut Vec<Finding>) {
    let ctx = input.ctx;
    let (p, r, pattern) = (at.position, at.resolution, at.pattern);
    if pattern.entities.len() < 2 || pattern.operation.is_write() {
        return;
    }
    let Some(plan) = &r.plan else { return };
    let Some(e) = ctx.primary_entity(p) else {
        return;
    };
    let apart: Vec<&str> = ctx
        .known_entities(p)
        .skip(1)
        .filter(|&o| {
            ctx.entities[o].table != ctx.entities[e].table
                || ctx.entities[o].in_index.get(plan.index_pos) != Some(&true)
                || !ctx.share_partition(e, o, plan.index_pos)
        })
        .map(|o| ctx.entities[o].entity.name.as_str())
        .collect();
    if apart.is_empty() {
        return;
    }
    let primary = &ctx.entities[e].entity.name;
    let key = ctx.tables[plan.table_pos].indexes[plan.index_pos]
        .partition_key
        .iter()
        .filter_map(|k| ctx.template(e, &k.name).map(|t| t.to_string()))
        .collect::<Vec<_>>()
        .join(" + ");
    out.push(finding(
        "consolidation.item-collection",
        Severity::Warning,
        Location::pattern(&pattern.id),
        format!(
            "{} reads {primary} and {}, which live in other tables or partitions: {} requests instead of one",
            pattern.id,
            apart.join(", "),
            apart.len() + 1
        ),
        format!(
            "store {} in {}'s item collection (partition key {key} in {}) so one Query reads them together",
            apart.join(", "),
            primary,
            plan.qualified_label()
        ),
    ));
}
