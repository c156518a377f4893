//! `## Table Designs`: each table with sample items, keys, SK taxonomy,
//! attributes, patterns and capacity, then its GSIs and LSIs.

use super::{Doc, Input, bytes, code, count, inline, join_list, money, number};
use crate::analysis::IndexUsage;
use crate::analysis::cost::IndexCost;
use crate::model::{Billing, IndexKind, IndexView, KeyAttribute, Projection};

pub(super) fn table_designs(doc: &mut Doc, input: &Input) {
    doc.heading(2, "Table Designs");
    if input.model.tables.is_empty() {
        doc.line("The model has no tables yet.");
    }
    for (t, table) in input.model.tables.iter().enumerate() {
        doc.heading(3, &format!("{} Table", inline(&table.name)));
        super::samples::sample_items(doc, input, t);
        let indexes = &input.ctx.tables[t].indexes;
        let entities = entity_names(input, t);
        let mut purpose = inline(&table.description);
        if !purpose.is_empty() {
            purpose.push(' ');
        }
        purpose.push_str(&if entities.is_empty() {
            "No entity is stored here yet.".to_string()
        } else {
            format!("Holds {}.", join_list(&entities))
        });
        doc.bullet("Purpose", purpose);
        key_bullets(doc, input, t, &indexes[0]);
        sk_taxonomy(doc, input, t, &indexes[0]);
        attributes(doc, input, t);
        let usage = usage(input, &table.name, None);
        doc.bullet("Access Patterns Served", served(usage));
        let billing = match table.billing {
            Billing::OnDemand => "On-demand".to_string(),
            Billing::Provisioned {
                read_capacity,
                write_capacity,
            } => format!(
                "Provisioned at {} RCU and {} WCU",
                count(read_capacity as f64),
                count(write_capacity as f64)
            ),
        };
        doc.bullet(
            "Capacity Planning",
            capacity(input, billing, usage, cost(input, &table.name, None)),
        );
        if let Some(ttl) = &table.ttl {
            doc.bullet(
                "Time to Live",
                format!(
                    "on {}: DynamoDB deletes an item some time after the epoch-seconds Number it holds has passed (deletes are free and use no write capacity)",
                    inline(&ttl.attribute)
                ),
            );
        }
        if let Some(view) = table.stream {
            doc.bullet(
                "Stream",
                format!("{} (every change as a stream record)", view.as_str()),
            );
        }
        for view in indexes.iter().skip(1) {
            index_section(doc, input, t, view);
        }
    }
}

fn index_section(doc: &mut Doc, input: &Input, t: usize, view: &IndexView) {
    let name = view.display_name();
    let kind = match view.kind {
        IndexKind::Lsi => "LSI",
        _ => "GSI",
    };
    // Index names repeat across tables (every table has its GSI1): the heading
    // names the table too.
    doc.heading(
        3,
        &format!("{} / {} ({kind})", inline(&view.table.name), inline(name)),
    );
    let usage = usage(input, &view.table.name, Some(name));
    let purpose = match usage.map(|u| u.reads.as_slice()).unwrap_or(&[]) {
        [] => "Serves no read pattern.".to_string(),
        reads => format!(
            "Serves {}.",
            reads
                .iter()
                .map(|id| match input.model.pattern(id) {
                    Some(p) => format!("{id} ({})", inline(&p.description)),
                    None => id.to_string(),
                })
                .collect::<Vec<_>>()
                .join("; ")
        ),
    };
    doc.bullet("Purpose", purpose);
    key_bullets(doc, input, t, view);
    let projection = match view.projection {
        Some(Projection::Include { attributes }) => format!(
            "INCLUDE ({})",
            attributes
                .iter()
                .map(|a| code(a))
                .collect::<Vec<_>>()
                .join(", ")
        ),
        Some(p) => p.label().to_string(),
        None => "ALL".to_string(),
    };
    doc.bullet("Projection", projection);
    doc.bullet("Sparse", sparse(input, t, view));
    doc.bullet("Access Patterns Served", served(usage));
    let cost = cost(input, &view.table.name, Some(name));
    let billing = match view.kind {
        IndexKind::Lsi => "Shares the table's capacity".to_string(),
        _ => "Own capacity, billed like the table".to_string(),
    };
    doc.bullet("Capacity Planning", capacity(input, billing, usage, cost));
}

/// Partition Key and Sort Key bullets: each key attribute with the templates
/// the entities write into it.
fn key_bullets(doc: &mut Doc, input: &Input, t: usize, view: &IndexView) {
    let describe = |keys: &[&KeyAttribute]| -> String {
        if keys.is_empty() {
            return "none".to_string();
        }
        keys.iter()
            .map(|k| {
                let groups = template_groups(input, t, &k.name);
                let written = if groups.is_empty() {
                    "no entity writes it".to_string()
                } else {
                    groups
                        .iter()
                        .map(|(tpl, names)| format!("{} ({})", code(tpl), names.join(", ")))
                        .collect::<Vec<_>>()
                        .join(", ")
                };
                format!("{} ({}): {written}", code(&k.name), k.key_type.as_str())
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    doc.bullet("Partition Key", describe(&view.partition_key));
    doc.bullet("Sort Key", describe(&view.sort_key));
}

/// The templates entities of table `t` write into `key`, each with its entities.
fn template_groups(input: &Input, t: usize, key: &str) -> Vec<(String, Vec<String>)> {
    let mut groups: Vec<(String, Vec<String>)> = Vec::new();
    for &e in &input.ctx.tables[t].entities {
        let Some(tpl) = input.ctx.template(e, key) else {
            continue;
        };
        let text = tpl.to_string();
        let name = inline(&input.ctx.entities[e].entity.name);
        match groups.iter_mut().find(|(t, _)| *t == text) {
            Some((_, names)) => names.push(name),
            None => groups.push((text, vec![name])),
        }
    }
    groups
}

fn sk_taxonomy(doc: &mut Doc, input: &Input, t: usize, base: &IndexView) {
    let Some(sk) = base.sort_key.first() else {
        doc.bullet("SK Taxonomy", "no sort key: one item per partition");
        return;
    };
    doc.bullet("SK Taxonomy", format!("the shapes of {}", code(&sk.name)));
    for (tpl, names) in template_groups(input, t, &sk.name) {
        doc.line(format!("  - {} — {}", code(&tpl), names.join(", ")));
    }
}

fn attributes(doc: &mut Doc, input: &Input, t: usize) {
    let keys: Vec<String> = input.ctx.tables[t].indexes[0]
        .table
        .key_attribute_names()
        .iter()
        .map(|k| code(k))
        .collect();
    doc.bullet("Attributes", format!("key attributes {}", keys.join(", ")));
    for &e in &input.ctx.tables[t].entities {
        let info = &input.ctx.entities[e];
        let list: Vec<String> = info
            .entity
            .attributes
            .iter()
            .map(|a| {
                let mut facts = vec![a.attr_type.as_str().to_string()];
                if a.unique {
                    facts.push("unique".into());
                } else if a.not_null {
                    facts.push("not null".into());
                }
                if let Some(source) = &a.source {
                    facts.push(format!("from {}", code(&source.describe())));
                }
                format!("{} ({})", code(&a.name), facts.join(", "))
            })
            .collect();
        let entity = info.entity;
        let from = if entity.source_table.is_empty() {
            String::new()
        } else {
            format!(", from table {}", code(&entity.source_table))
        };
        doc.line(format!(
            "  - {} (~{} items of ~{}{from}): {}",
            inline(&entity.name),
            count(entity.item_count as f64),
            bytes(info.item_size),
            if list.is_empty() {
                "no attributes".to_string()
            } else {
                list.join(", ")
            }
        ));
        if !entity.key_sources.is_empty() {
            let keys: Vec<String> = entity
                .key_sources
                .iter()
                .map(|(k, s)| format!("{} from {}", code(k), code(&s.describe())))
                .collect();
            doc.line(format!("    - key sources: {}", keys.join(", ")));
        }
    }
}

fn sparse(input: &Input, t: usize, view: &IndexView) -> String {
    let Some(ix) = input.ctx.tables[t]
        .indexes
        .iter()
        .position(|v| v.name == view.name)
    else {
        return String::new();
    };
    let (mut inside, mut outside) = (Vec::new(), Vec::new());
    for &e in &input.ctx.tables[t].entities {
        let name = inline(&input.ctx.entities[e].entity.name);
        if input.ctx.entities[e].in_index[ix] {
            inside.push(name);
        } else {
            outside.push(name);
        }
    }
    let keys: Vec<String> = view.key_attributes().map(|k| code(&k.name)).collect();
    match (inside.is_empty(), outside.is_empty()) {
        (true, _) => "empty: no entity writes its keys".to_string(),
        (false, true) => "no: every entity of the table has an entry".to_string(),
        (false, false) => format!(
            "yes: holds {} only; {} {} no {}",
            join_list(&inside),
            join_list(&outside),
            if outside.len() == 1 {
                "writes"
            } else {
                "write"
            },
            keys.join(" / ")
        ),
    }
}

fn usage<'a>(input: &'a Input, table: &str, index: Option<&str>) -> Option<&'a IndexUsage> {
    input
        .analysis
        .index_usage
        .iter()
        .find(|u| &*u.table == table && u.index.as_deref() == index)
}

fn cost<'a>(input: &'a Input, table: &str, index: Option<&str>) -> Option<&'a IndexCost> {
    input
        .analysis
        .costs
        .rows
        .iter()
        .find(|r| r.table == table && r.index.as_deref() == index)
}

fn served(usage: Option<&IndexUsage>) -> String {
    let Some(u) = usage else {
        return "none".to_string();
    };
    let mut parts = Vec::new();
    if !u.reads.is_empty() {
        parts.push(format!("reads {}", u.reads.join(", ")));
    }
    if !u.writes.is_empty() {
        parts.push(format!("written by {}", u.writes.join(", ")));
    }
    if parts.is_empty() {
        "none".to_string()
    } else {
        parts.join("; ")
    }
}

fn capacity(
    input: &Input,
    billing: String,
    usage: Option<&IndexUsage>,
    cost: Option<&IndexCost>,
) -> String {
    let peak = |ids: &[crate::analysis::Name]| -> f64 {
        ids.iter()
            .filter_map(|id| input.model.pattern(id))
            .map(|p| p.peak_rps.max(0.0))
            .sum()
    };
    let (reads, writes) = usage
        .map(|u| (peak(&u.reads), peak(&u.writes)))
        .unwrap_or_default();
    let mut text = format!(
        "{billing}; peak {} read RPS and {} write RPS",
        number(reads),
        number(writes)
    );
    if let Some(c) = cost {
        text.push_str(&format!(
            "; ~{} per month (reads {}, writes {}, storage {} for {} GB)",
            money(c.total()),
            money(c.read_cost),
            money(c.write_cost),
            money(c.storage_cost),
            number(c.storage_gb)
        ));
    }
    text
}

fn entity_names(input: &Input, t: usize) -> Vec<String> {
    input.ctx.tables[t]
        .entities
        .iter()
        .map(|&e| inline(&input.ctx.entities[e].entity.name))
        .collect()
}
