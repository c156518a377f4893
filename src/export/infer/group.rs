//! Items without an entity, grouped by the literal their keys start with.

use crate::model::{Item, Table};

/// Items of a table grouped by the literal their sort key (or partition key)
/// starts with: `comm#…` and `metadata` become two groups. Groups keep the
/// items' order; each is named after its literal (`Comm`, `Metadata`).
pub fn group_items(table: &Table, items: Vec<Item>) -> Vec<(String, Vec<Item>)> {
    let mut groups: Vec<(String, Vec<Item>)> = Vec::new();
    for item in items {
        let label = [table.sort_key.as_ref(), Some(&table.partition_key)]
            .into_iter()
            .flatten()
            .find_map(|k| label(&item.get(&k.name)?.key_text()?))
            .unwrap_or_default();
        match groups.iter_mut().find(|(l, _)| *l == label) {
            Some((_, list)) => list.push(item),
            None => groups.push((label, vec![item])),
        }
    }
    let single = groups.len() == 1;
    groups
        .into_iter()
        .map(|(label, items)| {
            let name = if label.is_empty() || single && label.eq_ignore_ascii_case(&table.name) {
                format!("{}Item", pascal(&table.name))
            } else {
                pascal(&label)
            };
            (name, items)
        })
        .collect()
}

/// The literal a key value starts with: `comm` of `comm#2023#c1`, `META` of
/// `#META`, `USER` of `USER_42`, `metadata` of `metadata`.
fn label(text: &str) -> Option<String> {
    let alphabetic = |s: &str| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic());
    let first = text.split('#').find(|s| !s.is_empty())?;
    if alphabetic(first) {
        return Some(first.to_string());
    }
    let (prefix, _) = first.split_once('_')?;
    alphabetic(prefix).then(|| prefix.to_string())
}

/// `order_items` → `OrderItems`, `META` → `Meta`.
pub fn pascal(text: &str) -> String {
    let mut out = String::new();
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
    }
    if out.is_empty() || out.starts_with(|c: char| c.is_ascii_digit()) {
        out.insert(0, 'E');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::tests::{item, table};
    use super::*;

    #[test]
    fn groups_follow_the_sort_key_literal() {
        let items = vec![
            item(&[("PK", "s#1"), ("SK", "child#s#2")]),
            item(&[("PK", "s#1"), ("SK", "c#ABC")]),
            item(&[("PK", "s#3"), ("SK", "child#s#4")]),
        ];
        let groups = group_items(&table(), items);
        let names: Vec<_> = groups
            .iter()
            .map(|(n, items)| (n.as_str(), items.len()))
            .collect();
        assert_eq!(names, [("Child", 2), ("C", 1)]);
        assert_eq!(pascal("order_items"), "OrderItems");
        assert_eq!(pascal("META"), "Meta");
    }
}
