//! Pattern → items: a read pattern's request bound to one sample partition and
//! run in memory over the sample items of the index that serves it — which items
//! the key condition reads, which the filter keeps, and how many the call returns.
//!
//! The binding of a key condition and a filter to a sample item lives here, once:
//! the `aws dynamodb` commands the exporters write use the same bound values.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;

use super::sample_items::SampleSet;
use super::sample_items::index::{IndexItem, compare_keys, index_items};
use super::sample_items::{bind, key_value};
use super::{Analysis, KeyOp, Name, Plan};
use crate::model::Table;
use crate::model::{AccessPattern, AttrValue, Item, KeyType, Model, Operation, RangeOp, SortOrder};

/// Sorts after every character a key holds, to close a range over a prefix.
pub const HIGHEST: char = '\u{FFFF}';

/// A key-condition part with concrete values: `(value name, value)` in order.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundPart {
    pub attribute: Name,
    pub op: KeyOp,
    pub values: Vec<(String, AttrValue)>,
}

/// A filter-expression test with the value it compares with.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundFilter {
    pub attribute: String,
    pub op: RangeOp,
    pub value: AttrValue,
}

/// The key type of `attribute` in the table's indexes (string when it is none of them).
pub fn key_type(table: &Table, attribute: &str) -> KeyType {
    table
        .indexes()
        .iter()
        .flat_map(|v| v.key_attributes())
        .find(|k| k.name == attribute)
        .map(|k| k.key_type)
        .unwrap_or(KeyType::S)
}

/// The plan's key condition bound to `item`'s values (an item with the values its
/// keys carry read back), or `None` when the item lacks a value the condition needs.
/// An upper bound that stops at a prefix of the item's own key is extended past
/// every value with that prefix, so the item itself stays inside the range.
pub fn bind_condition(plan: &Plan, table: &Table, item: &Item) -> Option<Vec<BoundPart>> {
    let mut out = Vec::with_capacity(plan.key_condition.parts.len());
    for part in &plan.key_condition.parts {
        let key_type = key_type(table, &part.attribute);
        let own = item.get(&*part.attribute).and_then(AttrValue::key_text);
        let upper = |i: usize| match part.op {
            KeyOp::Lt | KeyOp::Le => true,
            KeyOp::Between => i == 1,
            _ => false,
        };
        let mut values = Vec::with_capacity(part.values.len());
        for (i, v) in part.values.iter().enumerate() {
            let mut text = bind(&v.template, item)?;
            if upper(i)
                && own
                    .as_ref()
                    .is_some_and(|o| o.len() > text.len() && o.starts_with(&text))
            {
                text.push(HIGHEST);
            }
            values.push((v.name.clone(), key_value(text, key_type)));
        }
        out.push(BoundPart {
            attribute: part.attribute.clone(),
            op: part.op,
            values,
        });
    }
    Some(out)
}

/// The plan's filters with `item`'s values: the range attribute tested with the
/// pattern's range operator, any other input for equality. A Query may not filter
/// on its index's key attributes, so those are left out; so are attributes the
/// item has no value for.
pub fn bind_filters(
    plan: &Plan,
    pattern: &AccessPattern,
    table: &Table,
    item: &Item,
) -> Vec<BoundFilter> {
    let index_keys: Vec<&str> = table
        .indexes()
        .into_iter()
        .find(|v| v.name == plan.index.as_deref())
        .map(|v| v.key_attributes().map(|k| k.name.as_str()).collect())
        .unwrap_or_default();
    let mut out = Vec::new();
    for attribute in &plan.filters {
        if plan.call == Operation::Query && index_keys.contains(&attribute.as_str()) {
            continue;
        }
        let Some(value) = item.get(attribute) else {
            continue;
        };
        let op = match pattern.range.as_ref().filter(|r| &r.attribute == attribute) {
            Some(r) => r.op,
            None => RangeOp::Eq,
        };
        out.push(BoundFilter {
            attribute: attribute.clone(),
            op,
            value: value.clone(),
        });
    }
    out
}

/// One sample item, by its entity and its position among the entity's items.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ItemRef {
    pub entity: String,
    pub position: usize,
}

impl ItemRef {
    fn of(row: &IndexItem) -> Self {
        ItemRef {
            entity: row.entity.to_string(),
            position: row.position,
        }
    }
}

/// What an item is to the pattern's call.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mark {
    /// The call returns it.
    Returned,
    /// The call reads it (and pays for it), the filter drops it.
    Dropped,
    /// The call does not touch it.
    Untouched,
}

/// A read pattern run over the sample items of its serving index.
#[derive(Clone, Debug, PartialEq)]
pub struct PatternItems {
    pub pattern: String,
    pub call: Operation,
    pub table: String,
    /// The GSI/LSI name; `None` for the base table.
    pub index: Option<String>,
    /// Position of the index among the table's indexes (0 = the table).
    pub index_pos: usize,
    /// The partition key value the request names; `None` for a Scan.
    pub partition: Option<String>,
    /// The sample item the pattern's inputs are taken from (with the values its
    /// keys carry read back): bind a request to it to get the same values.
    pub bound: Item,
    pub condition: Vec<BoundPart>,
    pub filters: Vec<BoundFilter>,
    /// The Limit the request carries: the pattern's items, for a Query that needs
    /// no filter (a Limit counts items read, so a filtered read carries none).
    pub limit: Option<u32>,
    /// Whether the key condition tells the pattern's entities apart from the
    /// others in its range (else they are dropped by entity type).
    pub selective: bool,
    /// Items in the partition (for a Scan: in the index).
    pub in_partition: usize,
    pub returned: BTreeSet<ItemRef>,
    /// Every item the call reads, the returned ones included.
    pub read: BTreeSet<ItemRef>,
}

impl PatternItems {
    /// `PK = "ada@example.com" AND begins_with(SK, "CART#")`
    pub fn condition_text(&self) -> String {
        self.condition
            .iter()
            .map(|p| {
                let a = &p.attribute;
                let v = |i: usize| p.values.get(i).map(|(_, v)| shown(v)).unwrap_or_default();
                p.op.condition(a, &v(0), &v(1))
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// `status = "SHIPPED"`; empty without a filter.
    pub fn filter_text(&self) -> String {
        self.filters
            .iter()
            .map(|f| {
                let (a, v) = (&f.attribute, shown(&f.value));
                match f.op {
                    RangeOp::BeginsWith => format!("begins_with({a}, {v})"),
                    RangeOp::Between => format!("{a} BETWEEN {v} AND {v}"),
                    other => format!("{a} {} {v}", other.as_str()),
                }
            })
            .collect::<Vec<_>>()
            .join(" AND ")
    }

    /// The request in words: `Query GSI1 WHERE … FILTER …`.
    pub fn request_text(&self) -> String {
        let mut text = format!(
            "{} {}",
            self.call.as_str(),
            self.index.as_deref().unwrap_or(&self.table)
        );
        let condition = self.condition_text();
        if !condition.is_empty() {
            let _ = write!(text, " WHERE {condition}");
        }
        let filter = self.filter_text();
        if !filter.is_empty() {
            let _ = write!(text, " FILTER {filter}");
        }
        if let Some(limit) = self.limit {
            let _ = write!(text, " LIMIT {limit}");
        }
        text
    }

    /// `returns 2 of 3 items in the partition; reads 2`
    pub fn summary(&self) -> String {
        let place = if self.call == Operation::Scan {
            "the index"
        } else {
            "the partition"
        };
        format!(
            "returns {} of {} items in {place}; reads {}",
            self.returned.len(),
            self.in_partition,
            self.read.len()
        )
    }

    pub fn mark(&self, entity: &str, position: usize) -> Mark {
        let key = ItemRef {
            entity: entity.to_string(),
            position,
        };
        if self.returned.contains(&key) {
            Mark::Returned
        } else if self.read.contains(&key) {
            Mark::Dropped
        } else {
            Mark::Untouched
        }
    }
}

/// A key value as a request shows it: text quoted, a closing `HIGHEST` as `…`.
fn shown(value: &AttrValue) -> String {
    match value {
        AttrValue::N(n) => n.clone(),
        other => {
            let text = other.key_text().unwrap_or_else(|| other.display());
            match text.strip_suffix(HIGHEST) {
                Some(body) => format!("\"{body}…\""),
                None => format!("\"{text}\""),
            }
        }
    }
}

fn holds(value: Option<&AttrValue>, op: KeyOp, bound: &[(String, AttrValue)]) -> bool {
    let Some(value) = value else { return false };
    let cmp = |i: usize| bound.get(i).map(|(_, b)| compare_keys(value, b));
    use std::cmp::Ordering::*;
    match op {
        KeyOp::Eq => cmp(0) == Some(Equal),
        KeyOp::Lt => cmp(0) == Some(Less),
        KeyOp::Le => matches!(cmp(0), Some(Less | Equal)),
        KeyOp::Gt => cmp(0) == Some(Greater),
        KeyOp::Ge => matches!(cmp(0), Some(Greater | Equal)),
        KeyOp::Between => {
            matches!(cmp(0), Some(Greater | Equal)) && matches!(cmp(1), Some(Less | Equal))
        }
        KeyOp::BeginsWith => {
            let (Some(v), Some(p)) = (value.key_text(), bound.first().and_then(|b| b.1.key_text()))
            else {
                return false;
            };
            v.starts_with(&p)
        }
    }
}

fn passes(item: &Item, filter: &BoundFilter) -> bool {
    let one = [(String::new(), filter.value.clone())];
    let op = match filter.op {
        RangeOp::Eq | RangeOp::Between => KeyOp::Eq,
        RangeOp::Lt => KeyOp::Lt,
        RangeOp::Le => KeyOp::Le,
        RangeOp::Gt => KeyOp::Gt,
        RangeOp::Ge => KeyOp::Ge,
        RangeOp::BeginsWith => KeyOp::BeginsWith,
    };
    match (item.get(&filter.attribute), &filter.value) {
        // Equality on other values (lists, maps, booleans) compares them whole.
        (Some(v), b) if op == KeyOp::Eq && v.key_text().is_none() => v == b,
        (v, _) => holds(v, op, &one),
    }
}

/// Runs the read pattern `pattern` over `samples`: the partition of its serving
/// index that holds the most items of the pattern's entities (the first such in
/// index order), its inputs bound from the first item of its primary entity there.
/// Explains in words why a pattern cannot be run (a write, no plan, no sample item).
pub fn evaluate(
    model: &Model,
    analysis: &Analysis,
    pattern: &AccessPattern,
    samples: &SampleSet,
) -> Result<PatternItems, String> {
    if pattern.operation.is_write() {
        return Err(format!(
            "{} is a write: it returns no items",
            pattern.operation.as_str()
        ));
    }
    let resolution = analysis
        .resolution(&pattern.id)
        .ok_or("the pattern is not analysed yet")?;
    let plan = resolution.plan.as_ref().ok_or_else(|| {
        resolution
            .problem
            .clone()
            .unwrap_or_else(|| format!("no index serves it ({})", resolution.status.label()))
    })?;
    let primary = pattern
        .primary_entity()
        .ok_or("the pattern names no entity")?;
    let entity = model
        .entity(primary)
        .ok_or_else(|| format!("entity `{primary}` does not exist"))?;
    let table = model
        .table(&plan.table)
        .ok_or_else(|| format!("table `{}` does not exist", plan.table))?;
    let views = table.indexes();
    let view = views
        .get(plan.index_pos)
        .filter(|v| v.name == plan.index.as_deref())
        .or_else(|| views.iter().find(|v| v.name == plan.index.as_deref()))
        .ok_or("the serving index is not in the table")?;
    let index_pos = views
        .iter()
        .position(|v| v.name == view.name)
        .unwrap_or_default();
    let rows = index_items(samples, view);
    let named = |e: &str| pattern.entities.iter().any(|n| n == e);

    // The partition, and the item the inputs are bound from.
    let mut chosen: Option<(usize, Item, Vec<BoundPart>)> = None;
    if plan.call == Operation::Scan {
        if let Some((i, row)) = rows.iter().enumerate().find(|(_, r)| r.entity == primary) {
            chosen = Some((i, entity.with_values_from_keys(row.item), Vec::new()));
        }
    } else {
        let mut per_partition: HashMap<&str, usize> = HashMap::new();
        for row in rows.iter().filter(|r| named(r.entity)) {
            *per_partition.entry(&row.pk).or_default() += 1;
        }
        let mut best = 0;
        for (i, row) in rows.iter().enumerate() {
            if row.entity != primary {
                continue;
            }
            let count = per_partition.get(row.pk.as_str()).copied().unwrap_or(0);
            if chosen.is_some() && count <= best {
                continue;
            }
            let bindable = entity.with_values_from_keys(row.item);
            if let Some(condition) = bind_condition(plan, table, &bindable) {
                best = count;
                chosen = Some((i, bindable, condition));
            }
        }
    }
    let Some((at, bound, condition)) = chosen else {
        return Err(format!(
            "no sample item of {primary} in {} has the values the request needs",
            view.display_name()
        ));
    };
    let filters = bind_filters(plan, pattern, table, &bound);

    let scan = plan.call == Operation::Scan;
    let partition = (!scan).then(|| rows[at].pk.clone());
    let in_range: Vec<&IndexItem> = rows
        .iter()
        .filter(|r| partition.as_ref().is_none_or(|p| &r.pk == p))
        .collect();
    let in_partition = in_range.len();
    let mut matched: Vec<&IndexItem> = in_range
        .into_iter()
        .filter(|r| {
            condition
                .iter()
                .all(|p| holds(r.item.get(&*p.attribute), p.op, &p.values))
        })
        .collect();
    if pattern.sort == SortOrder::Descending && !scan {
        matched.reverse();
    }
    let kept = |r: &IndexItem| {
        (plan.selective || named(r.entity)) && filters.iter().all(|f| passes(r.item, f))
    };
    let (returned, read, limit): (BTreeSet<ItemRef>, BTreeSet<ItemRef>, Option<u32>) =
        if scan || plan.needs_filter() {
            let read = matched.iter().map(|r| ItemRef::of(r)).collect();
            let returned = matched
                .iter()
                .filter(|r| kept(r))
                .map(|r| ItemRef::of(r))
                .collect();
            (returned, read, None)
        } else {
            // Exactly the pattern's items: one page of them, the call's Limit.
            let n = pattern.items.max(1) as usize;
            let page: BTreeSet<ItemRef> = matched.iter().take(n).map(|r| ItemRef::of(r)).collect();
            let limit = (plan.call == Operation::Query).then_some(pattern.items.max(1));
            (page.clone(), page, limit)
        };
    Ok(PatternItems {
        pattern: pattern.id.clone(),
        call: plan.call,
        table: table.name.clone(),
        index: plan.index.as_deref().map(str::to_string),
        index_pos,
        partition,
        bound,
        condition,
        filters,
        limit,
        selective: plan.selective,
        in_partition,
        returned,
        read,
    })
}

#[cfg(test)]
mod tests;
