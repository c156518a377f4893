//! One index's view of the sample items: only the items whose entity writes the
//! index's keys (a sparse index holds no others), in the index's order —
//! partition key, then sort key as DynamoDB sorts it (numbers by value).
//! The Aggregate view shows these rows; `query_items` evaluates key conditions
//! over them.

use std::cmp::Ordering;

use super::SampleSet;
use crate::model::{AttrValue, IndexView, Item, KeyAttribute, Projection};

/// One item as an index holds it.
#[derive(Clone, Debug)]
pub struct IndexItem<'a> {
    pub entity: &'a str,
    /// Position among the entity's sample items (the first ones are its example items).
    pub position: usize,
    pub item: &'a Item,
    /// The partition key's values joined by ` + ` (a GSI may have several).
    pub pk: String,
    /// The sort key's values joined by ` + `; empty without a sort key.
    pub sk: String,
}

fn key_text(item: &Item, keys: &[&KeyAttribute]) -> Option<String> {
    let parts: Option<Vec<String>> = keys
        .iter()
        .map(|k| item.get(&k.name).map(AttrValue::display))
        .collect();
    parts.map(|p| p.join(" + "))
}

/// DynamoDB's order of two key values: numbers by value, anything else by its
/// text (UTF-8 byte order, which is `str`'s order).
pub fn compare_keys(a: &AttrValue, b: &AttrValue) -> Ordering {
    if let (AttrValue::N(x), AttrValue::N(y)) = (a, b)
        && let (Ok(x), Ok(y)) = (x.parse::<f64>(), y.parse::<f64>())
    {
        return x.total_cmp(&y);
    }
    a.key_text()
        .unwrap_or_default()
        .cmp(&b.key_text().unwrap_or_default())
}

fn compare_sort_keys(view: &IndexView, a: &Item, b: &Item) -> Ordering {
    for key in &view.sort_key {
        let (Some(x), Some(y)) = (a.get(&key.name), b.get(&key.name)) else {
            continue;
        };
        match compare_keys(x, y) {
            Ordering::Equal => {}
            other => return other,
        }
    }
    Ordering::Equal
}

/// The items of `view` (an index of the table the samples' entities name), grouped
/// by partition key and in sort-key order within a partition.
pub fn index_items<'a>(samples: &'a SampleSet, view: &IndexView) -> Vec<IndexItem<'a>> {
    let table = &view.table.name;
    let mut rows: Vec<IndexItem<'a>> = Vec::new();
    for es in samples.entities.iter().filter(|e| &e.table == table) {
        for (position, item) in es.items.iter().enumerate() {
            let (Some(pk), Some(sk)) = (
                key_text(item, &view.partition_key),
                key_text(item, &view.sort_key),
            ) else {
                continue; // not in this sparse index
            };
            rows.push(IndexItem {
                entity: &es.entity,
                position,
                item,
                pk,
                sk,
            });
        }
    }
    rows.sort_by(|a, b| {
        a.pk.cmp(&b.pk)
            .then_with(|| compare_sort_keys(view, a.item, b.item))
            .then_with(|| a.sk.cmp(&b.sk))
    });
    rows
}

/// Whether an index entry carries attribute `name` (the table's keys and the
/// index's own are always projected).
pub fn projected(view: &IndexView, table_keys: &[&str], name: &str) -> bool {
    let is_key = || table_keys.contains(&name) || view.key_attributes().any(|k| k.name == name);
    match view.projection {
        None | Some(Projection::All) => true,
        Some(Projection::KeysOnly) => is_key(),
        Some(Projection::Include { attributes }) => {
            is_key() || attributes.iter().any(|a| a == name)
        }
    }
}
