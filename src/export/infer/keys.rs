//! Guessing the template of one key attribute from its values in the items,
//! an alias, and the attributes the items hold.

use std::cell::OnceCell;
use std::collections::{BTreeMap, HashMap, HashSet};

use smallvec::SmallVec;

use super::attr_type;
use crate::model::template::{is_attribute_name, pad};
use crate::model::{
    AttrType, AttrValue, Entity, FreshNames, Item, KeyAttribute, Segment, Template, is_number,
};

pub(super) struct Guess {
    pub(super) template: String,
    /// Literals, or placeholders named after attributes: more than a bare value.
    pub(super) structured: bool,
    pub(super) new_attributes: Vec<(String, AttrType)>,
    /// Placeholders this template binds, with their value in each item.
    pub(super) bound: Vec<(String, Vec<Option<String>>)>,
    pub(super) how: &'static str,
}

enum Part {
    Literal(String),
    /// A placeholder, whether its name came from evidence (a matching attribute
    /// or the alias), and its zero-padding width.
    Named(String, bool, Option<u8>),
    Unnamed,
}

pub(super) fn guess_key(
    key: &KeyAttribute,
    key_names: &[&str],
    items: &[Item],
    others: Option<(&ValueIndex, usize)>,
    entity: &Entity,
    bound: &[(String, Vec<Option<String>>)],
    alias: Option<&str>,
) -> Option<Guess> {
    let values: Vec<Option<String>> = items
        .iter()
        .map(|i| i.get(&key.name).and_then(|v| v.key_text()))
        .collect();
    if let Some(alias) = alias
        && let Ok(t) = Template::parse(alias)
        && alias.contains('{')
        && !t.is_constant()
    {
        let bound = bind(&t, &values);
        // A placeholder alone holds the key's own type; a part of a text, a
        // number only in a number key whose values are all numbers.
        let single = t.segments.len() == 1;
        let new_attributes = bound
            .iter()
            .map(|(name, column)| {
                let numeric = column.iter().flatten().all(|v| is_number(v));
                let t = match key.key_type {
                    _ if single => attr_type(key),
                    crate::model::KeyType::N if numeric => AttrType::N,
                    _ => AttrType::S,
                };
                (name.clone(), t)
            })
            .collect();
        return Some(Guess {
            template: alias.to_string(),
            structured: true,
            new_attributes,
            bound,
            how: "from the key alias",
        });
    }
    let present = values.iter().filter(|v| v.is_some()).count();
    if present == 0 {
        return alias.map(|a| from_alias(key, a));
    }
    // Split at `#` and keep the items with the most common number of segments.
    let split: Vec<Option<Vec<&str>>> = values
        .iter()
        .map(|v| v.as_deref().map(|s| s.split('#').collect()))
        .collect();
    let mut lengths: BTreeMap<usize, usize> = BTreeMap::new();
    for s in split.iter().flatten() {
        *lengths.entry(s.len()).or_default() += 1;
    }
    let width = lengths
        .iter()
        .max_by_key(|&(len, n)| (*n, std::cmp::Reverse(*len)))
        .map(|(len, _)| *len)
        .unwrap_or(1);
    let rows: Vec<(usize, &Vec<&str>)> = split
        .iter()
        .enumerate()
        .filter_map(|(i, s)| s.as_ref().filter(|s| s.len() == width).map(|s| (i, s)))
        .collect();

    let mut parts: Vec<Part> = Vec::with_capacity(width);
    let matches = Matches::new(rows[0].0, items, key, key_names, entity, bound);
    for position in 0..width {
        let column: Vec<(usize, &str)> = rows.iter().map(|(i, s)| (*i, s[position])).collect();
        let first = column[0].1;
        let constant = column.iter().all(|(_, s)| *s == first);
        let literal_looking =
            first.is_empty() || first.chars().all(|c| c.is_ascii_alphabetic() || c == '_');
        // A word every one of several items shares is a literal, whatever
        // other entities hold; one item's word may be a value they name.
        let literal = constant && literal_looking;
        if let Some((name, width)) = matches.find(&column) {
            parts.push(Part::Named(name, true, width));
        } else if literal && column.len() > 1 {
            parts.push(Part::Literal(first.to_string()));
        } else if let Some(name) =
            others.and_then(|(index, own)| index.holder(&column, &key.name, own))
        {
            parts.push(Part::Named(name, true, None));
        } else if literal {
            parts.push(Part::Literal(first.to_string()));
        } else {
            parts.push(Part::Unnamed);
        }
    }
    // The alias names the variable parts: all of them when the counts agree
    // (`SubId#SKU` for `SUB#123#SKU#999`), else the ones no attribute matched.
    let literals: HashSet<String> = parts
        .iter()
        .filter_map(|p| match p {
            Part::Literal(l) => Some(l.to_ascii_lowercase()),
            _ => None,
        })
        .collect();
    let declared: HashSet<&str> = entity.attributes.iter().map(|a| a.name.as_str()).collect();
    let alias_names: Vec<String> = alias
        .map(|a| {
            a.split('#')
                .filter(|p| !p.is_empty())
                .filter(|p| !literals.contains(&p.to_ascii_lowercase()) || declared.contains(p))
                .map(sanitize)
                .collect()
        })
        .unwrap_or_default();
    let variables = parts
        .iter()
        .filter(|p| !matches!(p, Part::Literal(_)))
        .count();
    let mut how = "from the items";
    if !alias_names.is_empty() && alias_names.len() == variables {
        how = "from the items and the key alias";
        let mut names = alias_names.into_iter();
        for part in parts.iter_mut().filter(|p| !matches!(p, Part::Literal(_))) {
            if let Some(n) = names.next() {
                *part = Part::Named(n, true, None);
            }
        }
    } else {
        let mut names_in_use = FreshNames::new(
            parts
                .iter()
                .filter_map(|p| match p {
                    Part::Named(n, ..) => Some(n.clone()),
                    _ => None,
                })
                .chain(bound.iter().map(|(b, _)| b.clone())),
        );
        let named: std::collections::HashSet<&str> = parts
            .iter()
            .filter_map(|p| match p {
                Part::Named(n, ..) => Some(n.as_str()),
                _ => None,
            })
            .collect();
        let mut leftovers = alias_names
            .into_iter()
            .filter(|n| !named.contains(n.as_str()))
            .collect::<Vec<_>>()
            .into_iter();
        // For each part, the last literal before it, and whether an unnamed part
        // after it follows the same literal: one pass each way, not one per part.
        let mut literal_before: Vec<Option<String>> = Vec::with_capacity(parts.len());
        let mut last_literal: Option<String> = None;
        for p in &parts {
            literal_before.push(last_literal.clone());
            if let Part::Literal(l) = p
                && !l.is_empty()
            {
                last_literal = Some(l.clone());
            }
        }
        let mut followed = vec![false; parts.len()];
        let mut seen: std::collections::HashSet<Option<&str>> = Default::default();
        for (i, p) in parts.iter().enumerate().rev() {
            if matches!(p, Part::Unnamed) {
                let literal = literal_before[i].as_deref();
                followed[i] = seen.contains(&literal);
                seen.insert(literal);
            }
        }
        for i in 0..parts.len() {
            if !matches!(parts[i], Part::Unnamed) {
                continue;
            }
            let (name, from_alias) = match leftovers.next() {
                Some(n) => {
                    how = "from the items and the key alias";
                    (n, true)
                }
                None => {
                    // After `USER#`: `user_id`; `ORDER#2024-01-05#o1` holds an
                    // `order_date` and an `order_id`; what is neither is `order`.
                    let before = literal_before[i].as_deref().map(|l| {
                        let base = sanitize(&l.to_ascii_lowercase());
                        let dates = rows.iter().all(|(_, s)| looks_like_date(s[i]));
                        if dates {
                            format!("{base}_date")
                        } else if !followed[i] {
                            format!("{base}_id")
                        } else {
                            base
                        }
                    });
                    // The whole value of `AccountID` is `{AccountID}`; a slot
                    // such as `PK` names no attribute and becomes `{pk}`.
                    let own_name = if parts.len() == 1 && !slot_name(&key.name) {
                        sanitize(&key.name)
                    } else {
                        sanitize(&key.name.to_ascii_lowercase())
                    };
                    (before.unwrap_or(own_name), false)
                }
            };
            let name = names_in_use.fresh(&name);
            parts[i] = Part::Named(name, from_alias, None);
        }
    }
    // A key that only repeats an attribute of its own name is that attribute;
    // so is one constant word in an attribute not named like a key slot
    // (`escalated_to` = `AgentB` in every sample, unlike `GSI1PK` = `CATEGORIES`).
    let itself = match parts.as_slice() {
        [Part::Named(n, _, None)] => *n == key.name,
        [Part::Literal(_)] => !slot_name(&key.name),
        _ => false,
    };
    let structured = !itself
        && parts
            .iter()
            .any(|p| matches!(p, Part::Literal(_) | Part::Named(_, true, _)));

    let mut template = String::new();
    let mut new_attributes = Vec::new();
    let mut bound_here = Vec::new();
    for (position, part) in parts.iter().enumerate() {
        if position > 0 {
            template.push('#');
        }
        match part {
            Part::Literal(l) => template.push_str(&l.replace('{', "{{").replace('}', "}}")),
            Part::Named(name, _, padding) => {
                match padding {
                    Some(w) => template.push_str(&format!("{{{name}:0{w}}}")),
                    None => template.push_str(&format!("{{{name}}}")),
                }
                let column: Vec<Option<String>> = split
                    .iter()
                    .map(|s| {
                        s.as_ref()
                            .filter(|s| s.len() == width)
                            .map(|s| s[position].to_string())
                    })
                    .collect();
                if !declared.contains(name.as_str()) {
                    let numeric = column.iter().flatten().all(|v| is_number(v));
                    let t = match key.key_type {
                        crate::model::KeyType::N if numeric => AttrType::N,
                        _ => AttrType::S,
                    };
                    new_attributes.push((name.clone(), t));
                }
                bound_here.push((name.clone(), column));
            }
            Part::Unnamed => {}
        }
    }
    Template::parse(&template).ok()?;
    Some(Guess {
        template,
        structured,
        new_attributes,
        bound: bound_here,
        how,
    })
}

/// Whether a key attribute is named like a slot of a single-table design
/// (`PK`, `GSI1SK`), not after what it holds.
/// `2024-01-05`, `2024-01-05T10:00:00Z`: an ISO-8601 date, or a time on one.
fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit)
}

fn slot_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    ["pk", "sk", "gsi", "lsi"].iter().any(|w| lower.contains(w))
}

/// The values each placeholder of `template` takes in each item's key value
/// (`None` where the value does not have the template's shape), so that other
/// keys can name the same values after the same placeholders.
fn bind(template: &Template, values: &[Option<String>]) -> Vec<(String, Vec<Option<String>>)> {
    let names: Vec<String> = template.placeholders().map(str::to_string).collect();
    let mut columns: Vec<Vec<Option<String>>> = vec![Vec::with_capacity(values.len()); names.len()];
    for value in values {
        let parts = value.as_deref().and_then(|v| split_by(template, v));
        for (i, column) in columns.iter_mut().enumerate() {
            column.push(parts.as_ref().and_then(|p| p.get(i).cloned()));
        }
    }
    names.into_iter().zip(columns).collect()
}

/// The text each placeholder of `template` stands for in `value`, in order; a
/// placeholder ends where the next literal first occurs.
fn split_by(template: &Template, value: &str) -> Option<Vec<String>> {
    let mut rest = value;
    let mut out = Vec::new();
    for (i, segment) in template.segments.iter().enumerate() {
        match segment {
            Segment::Literal(literal) => rest = rest.strip_prefix(literal.as_ref())?,
            Segment::Placeholder { .. } => {
                let end = match template.segments.get(i + 1) {
                    Some(Segment::Literal(next)) => rest.find(next.as_ref())?,
                    _ => rest.len(),
                };
                out.push(rest[..end].to_string());
                rest = &rest[end..];
            }
        }
    }
    rest.is_empty().then_some(out)
}

/// The names a segment may take, looked up by their value in the first row:
/// the entity's own attributes (data before other keys' attributes: a key
/// attribute that holds the same value, `GSI2PK` = `150` = `flight`, may
/// become a template of its own, and a template cannot name another), then
/// the placeholders a key template already bound. Built once per key, so
/// naming every segment of a long key costs one pass over the attributes,
/// not one per segment.
struct Matches<'a> {
    items: &'a [Item],
    /// The row every column starts with (its item's index).
    first_row: usize,
    names: Vec<&'a str>,
    /// First-row value → positions in `names`, in order.
    by_value: HashMap<&'a str, Vec<usize>>,
    /// The same, by the value without its sign's leading zeros (a
    /// zero-padded segment finds the attribute it pads).
    by_number: HashMap<String, Vec<usize>>,
    bound: &'a [(String, Vec<Option<String>>)],
    /// First-row value → positions in `bound`, in order.
    bound_by_value: HashMap<&'a str, Vec<usize>>,
}

/// `-007` → `-7`, `000` → `` : equal for a value and any zero-padding of it.
fn unpadded(value: &str) -> String {
    match value.strip_prefix('-') {
        Some(rest) => format!("-{}", rest.trim_start_matches('0')),
        None => value.trim_start_matches('0').to_string(),
    }
}

impl<'a> Matches<'a> {
    fn new(
        first_row: usize,
        items: &'a [Item],
        key: &KeyAttribute,
        key_names: &[&str],
        entity: &'a Entity,
        bound: &'a [(String, Vec<Option<String>>)],
    ) -> Matches<'a> {
        let (data, other_keys): (Vec<&str>, Vec<&str>) = entity
            .attributes
            .iter()
            .map(|a| a.name.as_str())
            // A name such as `follower#` cannot be a placeholder.
            .filter(|name| *name != key.name && is_attribute_name(name))
            .partition(|name| !key_names.contains(name));
        let names: Vec<&str> = data.into_iter().chain(other_keys).collect();
        let mut by_value: HashMap<&str, Vec<usize>> = HashMap::new();
        let mut by_number: HashMap<String, Vec<usize>> = HashMap::new();
        for (at, name) in names.iter().enumerate() {
            if let Some(v) = items[first_row].get(*name).and_then(key_str) {
                by_value.entry(v).or_default().push(at);
                by_number.entry(unpadded(v)).or_default().push(at);
            }
        }
        let mut bound_by_value: HashMap<&str, Vec<usize>> = HashMap::new();
        for (at, (_, values)) in bound.iter().enumerate() {
            if let Some(v) = values.get(first_row).and_then(|v| v.as_deref()) {
                bound_by_value.entry(v).or_default().push(at);
            }
        }
        Matches {
            items,
            first_row,
            names,
            by_value,
            by_number,
            bound,
            bound_by_value,
        }
    }

    /// An attribute whose value is the segment in every item (possibly
    /// zero-padded to a fixed width, as `{price:010}` writes it): the entity's
    /// own, or one a key template already bound.
    fn find(&self, column: &[(usize, &str)]) -> Option<(String, Option<u8>)> {
        debug_assert_eq!(column.first().map(|c| c.0), Some(self.first_row));
        if column.iter().any(|(_, s)| s.is_empty()) {
            return None;
        }
        let value_of = |i: usize, name: &str| self.items[i].get(name).and_then(key_str);
        let own = |candidates: Option<&Vec<usize>>, padded: Option<u8>| {
            candidates?.iter().map(|&at| self.names[at]).find(|name| {
                column.iter().all(|(i, s)| match value_of(*i, name) {
                    Some(v) if padded.is_none() => v == *s,
                    Some(v) => pad(v, padded) == *s,
                    None => false,
                })
            })
        };
        let first = column[0].1;
        if let Some(name) = own(self.by_value.get(first), None) {
            return Some((name.to_string(), None));
        }
        // Zero-padded numbers: every segment has one width, wider than some value.
        let width = first.chars().count();
        if column
            .iter()
            .all(|(_, s)| s.chars().count() == width && s.starts_with(['0', '-']))
            && let Some(w) = u8::try_from(width).ok().filter(|w| (1..=64).contains(w))
            && let Some(name) = own(self.by_number.get(&unpadded(first)), Some(w))
        {
            return Some((name.to_string(), Some(w)));
        }
        self.bound_by_value
            .get(first)?
            .iter()
            .map(|&at| &self.bound[at])
            .find(|(_, values)| {
                column
                    .iter()
                    .all(|(i, s)| values.get(*i).and_then(|v| v.as_deref()) == Some(*s))
            })
            .map(|(name, _)| (name.clone(), None))
    }
}

/// The values a table's items hold, by attribute and by the group (entity)
/// of the item: built once, when a key first needs it, so naming keys after
/// other entities' attributes costs one pass over the items, however many
/// entities ask.
pub(super) struct ValueIndex<'a> {
    items: Vec<(usize, &'a Item)>,
    /// Value → (attribute, group) holding it, each pair once; only names a
    /// placeholder can take.
    holders: OnceCell<Holders<'a>>,
}

/// Value → the (attribute, group) pairs holding it.
type Holders<'a> = HashMap<&'a str, SmallVec<[(&'a str, usize); 2]>>;

impl<'a> ValueIndex<'a> {
    pub(super) fn new(items: Vec<(usize, &'a Item)>) -> Self {
        ValueIndex {
            items,
            holders: OnceCell::new(),
        }
    }

    fn holders(&self) -> &Holders<'a> {
        self.holders.get_or_init(|| {
            let mut holders = Holders::new();
            for (group, item) in &self.items {
                for (name, value) in item.iter() {
                    if !is_attribute_name(name) {
                        continue;
                    }
                    if let Some(text) = key_str(value) {
                        let pairs = holders.entry(text).or_default();
                        if !pairs.contains(&(name.as_str(), *group)) {
                            pairs.push((name, *group));
                        }
                    }
                }
            }
            holders
        })
    }

    /// The first attribute (by name) other than `key` that items of groups
    /// other than `own` hold each of the column's values in.
    fn holder(&self, column: &[(usize, &str)], key: &str, own: usize) -> Option<String> {
        if column.iter().any(|(_, s)| s.is_empty()) {
            return None;
        }
        let wanted: HashSet<&str> = column.iter().map(|(_, s)| *s).collect();
        let holders = self.holders();
        let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
        let mut names: SmallVec<[&str; 4]> = SmallVec::new();
        for value in &wanted {
            names.clear();
            for (name, group) in holders.get(value)? {
                if *group != own && *name != key && !names.contains(name) {
                    names.push(name);
                }
            }
            if names.is_empty() {
                return None;
            }
            for name in &names {
                *counts.entry(name).or_default() += 1;
            }
        }
        counts
            .into_iter()
            .find(|(_, n)| *n == wanted.len())
            .map(|(name, _)| name.to_string())
    }
}

/// [`AttrValue::key_text`] without copying the text.
fn key_str(value: &AttrValue) -> Option<&str> {
    match value {
        AttrValue::S(s) | AttrValue::N(s) | AttrValue::B(s) => Some(s),
        AttrValue::Bool(true) => Some("true"),
        AttrValue::Bool(false) => Some("false"),
        _ => None,
    }
}

/// A template from an alias alone (`ITEMS#ItemID` → `ITEMS#{ItemID}`): upper-case
/// parts are literals, the others attribute names.
fn from_alias(key: &KeyAttribute, alias: &str) -> Guess {
    let mut template = Vec::new();
    let mut new_attributes = Vec::new();
    for part in alias.split('#') {
        let literal = part.is_empty()
            || part
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
        if literal {
            template.push(part.replace('{', "{{").replace('}', "}}"));
        } else {
            let name = sanitize(part);
            template.push(format!("{{{name}}}"));
            new_attributes.push((name, attr_type(key)));
        }
    }
    let template = template.join("#");
    let structured = !new_attributes.is_empty() || alias.contains('#');
    match Template::parse(&template).map(|_| ()) {
        Ok(()) => Guess {
            template,
            structured,
            new_attributes,
            bound: Vec::new(),
            how: "from the key alias; no item shows its values",
        },
        Err(_) => Guess {
            template: format!("{{{}}}", sanitize(alias)),
            structured: true,
            new_attributes: vec![(sanitize(alias), attr_type(key))],
            bound: Vec::new(),
            how: "from the key alias; no item shows its values",
        },
    }
}

/// A valid attribute name close to `text`.
fn sanitize(text: &str) -> String {
    let mut name: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.') {
                c
            } else {
                '_'
            }
        })
        .collect();
    if !name.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        name.insert(0, '_');
    }
    if is_attribute_name(&name) {
        name
    } else {
        "value".to_string()
    }
}
