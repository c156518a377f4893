//! Items without an entity, grouped by the shape of their keys.

use std::collections::HashMap;

use crate::model::{AttrValue, Item, Table};

/// Items of a table grouped by the shape of their keys, never by one item's
/// plain value: the literal a key starts with before a `#` (`USER#42`,
/// `comm#2023#c1`, `#META`) unless the item holds it as a value (`JFK` of
/// `JFK#2021-08-01` where `dest` is `JFK`), or a sort-key literal that several
/// items share (`metadata`). Items whose keys show neither (`Alice`, `Bob`)
/// are grouped by an entity-type attribute (`type`: `fare`) when they have
/// one, else form one group. Groups keep the items' order; each is named after
/// its sort-key literal, or its partition-key literal, or both when two groups
/// share one (`UserMeta`, `GroupMeta`), or its type, or after the table
/// (`PeopleItem`). Linear in the items.
pub fn group_items(table: &Table, items: Vec<Item>) -> Vec<(String, Vec<Item>)> {
    let mut shared_sort_values: HashMap<String, usize> = HashMap::new();
    if let Some(sk) = &table.sort_key {
        for item in &items {
            if let Some(text) = item.get(&sk.name).and_then(AttrValue::key_text) {
                *shared_sort_values.entry(text).or_default() += 1;
            }
        }
    }
    let keys = table.key_attribute_names();
    let mut positions: HashMap<Shape, usize> = HashMap::new();
    let mut groups: Vec<(Shape, Vec<Item>)> = Vec::new();
    for item in items {
        let literal =
            |text: &str| prefix_literal(text).filter(|prefix| !holds_value(&item, &keys, prefix));
        let partition = item
            .get(&table.partition_key.name)
            .and_then(AttrValue::key_text)
            .and_then(|text| literal(&text));
        let sort = table.sort_key.as_ref().and_then(|sk| {
            let text = item.get(&sk.name).and_then(AttrValue::key_text)?;
            literal(&text).or_else(|| {
                let shared = shared_sort_values.get(&text).is_some_and(|n| *n > 1);
                (word(&text) && (shared || constant_looking(&text))).then_some(text)
            })
        });
        let kind = if partition.is_none() && sort.is_none() {
            entity_type(&item)
        } else {
            None
        };
        let shape = Shape {
            partition,
            sort,
            kind,
        };
        match positions.get(&shape) {
            Some(&at) => groups[at].1.push(item),
            None => {
                positions.insert(shape.clone(), groups.len());
                groups.push((shape, vec![item]));
            }
        }
    }
    // A label two shapes share names neither alone.
    let mut label_uses: HashMap<&str, usize> = HashMap::new();
    for (shape, _) in &groups {
        if let Some(label) = shape.label() {
            *label_uses.entry(label).or_default() += 1;
        }
    }
    let single = groups.len() == 1;
    let names: Vec<String> = groups
        .iter()
        .map(|(shape, _)| match shape.label() {
            None => format!("{}Item", pascal(&table.name)),
            Some(label) if single && label.eq_ignore_ascii_case(&table.name) => {
                format!("{}Item", pascal(&table.name))
            }
            Some(label) if label_uses.get(label).is_some_and(|n| *n > 1) => {
                let both: Vec<&str> = shape
                    .partition
                    .iter()
                    .chain(shape.sort.iter())
                    .map(String::as_str)
                    .collect();
                pascal(&both.join("_"))
            }
            Some(label) => pascal(label),
        })
        .collect();
    names
        .into_iter()
        .zip(groups)
        .map(|(name, (_, items))| (name, items))
        .collect()
}

/// The literals an item's keys show; its type when they show none.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
struct Shape {
    partition: Option<String>,
    sort: Option<String>,
    kind: Option<String>,
}

impl Shape {
    fn label(&self) -> Option<&str> {
        self.sort
            .as_deref()
            .or(self.partition.as_deref())
            .or(self.kind.as_deref())
    }
}

/// Attributes single-table designs name an item's entity type with.
const TYPE_ATTRIBUTES: [&str; 8] = [
    "type",
    "_type",
    "__typename",
    "entity",
    "entitytype",
    "entity_type",
    "_et",
    "__edb_e__",
];

/// The item's entity type, from an attribute such as `type` holding a word.
fn entity_type(item: &Item) -> Option<String> {
    item.iter()
        .filter(|(name, _)| TYPE_ATTRIBUTES.contains(&name.to_ascii_lowercase().as_str()))
        .find_map(|(_, value)| match value {
            AttrValue::S(text) if word(text) => Some(text.clone()),
            _ => None,
        })
}

/// Whether an attribute other than a key holds `text` as its value: then
/// `text` is a value the key repeats, not a literal.
fn holds_value(item: &Item, keys: &[&str], text: &str) -> bool {
    item.iter().any(|(name, value)| {
        !keys.contains(&name.as_str())
            && matches!(value, AttrValue::S(v) | AttrValue::N(v) if v == text)
    })
}

/// The literal a composite key value starts with: `comm` of `comm#2023#c1`,
/// `META` of `#META`, `USER` of `USER_42`; `None` for a plain value such as
/// `Alice`, `alice_smith` or `2024-01-01`.
fn prefix_literal(text: &str) -> Option<String> {
    if text.contains('#') {
        let first = text.split('#').find(|s| !s.is_empty())?;
        return word(first).then(|| first.to_string());
    }
    let (prefix, rest) = text.split_once('_')?;
    (!rest.is_empty() && constant_looking(prefix)).then(|| prefix.to_string())
}

/// Letters (and `_`), as literals are written.
fn word(text: &str) -> bool {
    text.starts_with(|c: char| c.is_ascii_alphabetic())
        && text.chars().all(|c| c.is_ascii_alphabetic() || c == '_')
}

/// Upper-case letters, as type prefixes and constant sort keys (`PROFILE`) are
/// written, unlike values.
fn constant_looking(text: &str) -> bool {
    text.chars().filter(|c| c.is_ascii_alphabetic()).count() >= 2
        && text.chars().all(|c| c.is_ascii_uppercase() || c == '_')
}

/// `order_items` → `OrderItems`, `META` → `Meta`.
pub fn pascal(text: &str) -> String {
    let mut out = String::new();
    // A name made from a key's text: a long literal (a 2 KB sort key) gives
    // a name of its first words, not one past the bounds.
    const MAX_CHARS: usize = 64;
    for word in text
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        let mut chars = word.chars();
        if let Some(c) = chars.next() {
            out.push(c.to_ascii_uppercase());
            let rest: String = chars.collect();
            if word.chars().all(|c| !c.is_ascii_lowercase()) {
                out.push_str(&rest.to_ascii_lowercase());
            } else {
                out.push_str(&rest);
            }
        }
        if out.len() >= MAX_CHARS {
            break;
        }
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'E');
    }
    // ASCII only, so any length is a character boundary.
    out.truncate(MAX_CHARS);
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{item, table};
    use super::*;
    use crate::model::KeyAttribute;

    fn shapes(table: &Table, items: Vec<Item>) -> Vec<(String, usize)> {
        group_items(table, items)
            .into_iter()
            .map(|(n, items)| (n, items.len()))
            .collect()
    }

    #[test]
    fn groups_follow_the_sort_key_literal() {
        let items = vec![
            item(&[("PK", "s#1"), ("SK", "child#s#2")]),
            item(&[("PK", "s#1"), ("SK", "c#ABC")]),
            item(&[("PK", "s#3"), ("SK", "child#s#4")]),
        ];
        assert_eq!(
            shapes(&table(), items),
            [("Child".to_string(), 2), ("C".to_string(), 1)]
        );
        assert_eq!(pascal("order_items"), "OrderItems");
        assert_eq!(pascal("META"), "Meta");
        let long = pascal(&"segment_".repeat(1000));
        assert_eq!(long.len(), 64);
        assert!(long.starts_with("SegmentSegment"), "{long}");
    }

    #[test]
    fn plain_values_never_make_a_group_of_their_own() {
        let people = Table::new("People", KeyAttribute::string("name"));
        let items = vec![
            item(&[("name", "Alice")]),
            item(&[("name", "Bob")]),
            item(&[("name", "alice_smith")]),
        ];
        assert_eq!(shapes(&people, items), [("PeopleItem".to_string(), 3)]);

        // Two items of one partition, and a sort key that is a date.
        let items = vec![
            item(&[("PK", "Alice"), ("SK", "2024-01-01")]),
            item(&[("PK", "Alice"), ("SK", "2024-01-02")]),
            item(&[("PK", "Bob"), ("SK", "2024-01-03")]),
        ];
        assert_eq!(shapes(&table(), items), [("ComplaintsItem".to_string(), 3)]);
    }

    #[test]
    fn shared_literals_and_prefixes_make_the_shape() {
        let items = vec![
            item(&[("PK", "Complaint1"), ("SK", "metadata")]),
            item(&[("PK", "Complaint2"), ("SK", "metadata")]),
            item(&[("PK", "Complaint1"), ("SK", "comm#2024#c1")]),
            item(&[("PK", "USER#a"), ("SK", "#META")]),
            item(&[("PK", "GROUP#g"), ("SK", "#META")]),
            item(&[("PK", "USER_42"), ("SK", "PROFILE")]),
            item(&[("PK", "lonely"), ("SK", "single")]),
        ];
        assert_eq!(
            shapes(&table(), items),
            [
                ("Metadata".to_string(), 2),
                ("Comm".to_string(), 1),
                ("UserMeta".to_string(), 1),
                ("GroupMeta".to_string(), 1),
                ("Profile".to_string(), 1),
                ("ComplaintsItem".to_string(), 1),
            ]
        );
    }

    #[test]
    fn values_a_key_repeats_and_entity_types() {
        // `JFK#…` starts with the item's `dest`: a value, not a type prefix.
        let items = vec![
            item(&[
                ("PK", "SFO"),
                ("SK", "JFK#2021#nonstop"),
                ("dest", "JFK"),
                ("type", "fare"),
            ]),
            item(&[
                ("PK", "JFK"),
                ("SK", "SFO#2021#direct"),
                ("dest", "SFO"),
                ("type", "fare"),
            ]),
            item(&[
                ("PK", "SFO"),
                ("SK", "JFK#2021#250#0"),
                ("dest", "JFK"),
                ("type", "flight"),
            ]),
            item(&[("PK", "Smith"), ("SK", "2021#150"), ("type", "booking")]),
            item(&[("PK", "Smith"), ("SK", "2021#151")]),
            // A type prefix wins over the type attribute.
            item(&[("PK", "USER#1"), ("SK", "#META"), ("type", "admin")]),
        ];
        assert_eq!(
            shapes(&table(), items),
            [
                ("Fare".to_string(), 2),
                ("Flight".to_string(), 1),
                ("Booking".to_string(), 1),
                ("ComplaintsItem".to_string(), 1),
                ("Meta".to_string(), 1),
            ]
        );
    }

    #[test]
    fn grouping_is_linear() {
        // 100,000 items in a few shapes: a quadratic grouping would take minutes.
        let items: Vec<Item> = (0..100_000u32)
            .map(|i| {
                let pk = format!("USER#{i}");
                let sk = if i.is_multiple_of(2) {
                    "#META".to_string()
                } else {
                    format!("ORDER#{i}")
                };
                item(&[("PK", &pk), ("SK", &sk)])
            })
            .collect();
        let started = std::time::Instant::now();
        let groups = shapes(&table(), items);
        assert_eq!(
            groups,
            [("Meta".to_string(), 50_000), ("Order".to_string(), 50_000)]
        );
        assert!(started.elapsed().as_secs() < 5, "{:?}", started.elapsed());
    }
}
