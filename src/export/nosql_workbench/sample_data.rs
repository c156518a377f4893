//! A table's sample items (`TableData`), read as real files need: plain JSON
//! inside `M` and `L` values (`{"M": {"dark_mode": true}}`) is read as typed
//! values, and items without the table's key attributes (`{}`) are left out.
//! Both are reported, with the table, the item and the attribute.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::super::json_read::{ShapeError, Walk};
use super::super::{NoteKind, Report, read_item};
use crate::model::{Item, Table};

/// DynamoDB JSON's type keys.
const TAGS: [&str; 10] = ["S", "N", "B", "BOOL", "NULL", "M", "L", "SS", "NS", "BS"];

/// The items of one `TableData` list of `table`.
pub(super) fn read_items(
    list: Option<Walk>,
    table: &Table,
    report: &mut Report,
) -> Result<Vec<Item>, ShapeError> {
    let Some(list) = list else {
        return Ok(Vec::new());
    };
    let mut plain: BTreeMap<String, PlainUse> = BTreeMap::new();
    let mut items = Vec::new();
    for (position, walk) in list.items()?.into_iter().enumerate() {
        let item = match typed_item(walk.value, &walk.path, &mut plain) {
            Some(converted) => read_item(
                &Walk {
                    value: &converted,
                    path: walk.path.clone(),
                },
                report,
            )?,
            None => read_item(&walk, report)?,
        };
        let missing: Vec<&str> = std::iter::once(&table.partition_key)
            .chain(table.sort_key.iter())
            .filter(|k| item.get(&k.name).and_then(|v| v.key_text()).is_none())
            .map(|k| k.name.as_str())
            .collect();
        if missing.is_empty() {
            items.push(item);
        } else {
            report.push(
                NoteKind::Dropped,
                walk.path(),
                format!(
                    "item {} of table `{}` has no key value for {}, which every item of the table needs: left out",
                    position + 1,
                    table.name,
                    key_list(&missing),
                ),
            );
        }
    }
    for (attribute, used) in plain {
        report.push(
            NoteKind::Repaired,
            used.first,
            format!(
                "`{attribute}` of table `{}` holds plain JSON inside its {} in {}: read as DynamoDB values (strings as S, numbers as N, true/false as BOOL, null as NULL, objects as M, arrays as L)",
                table.name,
                if used.kinds.len() == 1 { used.kinds[0] } else { "M and L values" },
                if used.items == 1 { "1 item".to_string() } else { format!("{} items", used.items) },
            ),
        );
    }
    Ok(items)
}

/// `PK`, `PK or SK`: the key attributes an item lacks.
fn key_list(names: &[&str]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(" or ")
}

/// Where one attribute held plain JSON: the first item's path, how many items.
struct PlainUse {
    first: String,
    items: usize,
    kinds: Vec<&'static str>,
}

/// The item with the plain JSON in its `M` and `L` attribute values made
/// typed, or `None` when it has none (the item is then read as it is).
fn typed_item(item: &Value, path: &str, plain: &mut BTreeMap<String, PlainUse>) -> Option<Value> {
    let Value::Object(attributes) = item else {
        return None;
    };
    let mut changed: Option<Map<String, Value>> = None;
    for (name, value) in attributes {
        let Value::Object(typed) = value else {
            continue;
        };
        let (kind, converted) = match typed.iter().next() {
            Some((tag, body)) if typed.len() == 1 && tag == "M" => ("M value", typed_map(body)),
            Some((tag, body)) if typed.len() == 1 && tag == "L" => ("L value", typed_list(body)),
            _ => continue,
        };
        let Some(body) = converted else {
            continue;
        };
        let used = plain.entry(name.clone()).or_insert_with(|| PlainUse {
            first: format!("{path}.{name}"),
            items: 0,
            kinds: Vec::new(),
        });
        used.items += 1;
        if !used.kinds.contains(&kind) {
            used.kinds.push(kind);
        }
        let tag = if kind == "M value" { "M" } else { "L" };
        changed
            .get_or_insert_with(|| attributes.clone())
            .insert(name.clone(), tagged(tag, body));
    }
    changed.map(Value::Object)
}

/// The body of an `M` value with each entry typed; `None` when all already are.
fn typed_map(body: &Value) -> Option<Value> {
    let Value::Object(entries) = body else {
        return None;
    };
    let mut changed: Option<Map<String, Value>> = None;
    for (name, value) in entries {
        if let Some(typed) = typed_value(value) {
            changed
                .get_or_insert_with(|| entries.clone())
                .insert(name.clone(), typed);
        }
    }
    changed.map(Value::Object)
}

/// The body of an `L` value with each element typed; `None` when all already are.
fn typed_list(body: &Value) -> Option<Value> {
    let Value::Array(elements) = body else {
        return None;
    };
    let mut changed: Option<Vec<Value>> = None;
    for (i, element) in elements.iter().enumerate() {
        if let Some(typed) = typed_value(element) {
            changed.get_or_insert_with(|| elements.clone())[i] = typed;
        }
    }
    changed.map(Value::Array)
}

/// A value where DynamoDB JSON has a typed value: `None` when it is one (or a
/// map missing its `M`, which the item reader repairs itself), else the plain
/// JSON made typed.
fn typed_value(value: &Value) -> Option<Value> {
    let Value::Object(map) = value else {
        return Some(from_plain(value));
    };
    if let Some((tag, body)) = map.iter().next()
        && map.len() == 1
        && TAGS.contains(&tag.as_str())
    {
        return match tag.as_str() {
            "M" => typed_map(body).map(|b| tagged("M", b)),
            "L" => typed_list(body).map(|b| tagged("L", b)),
            _ => None,
        };
    }
    let untagged = map.keys().all(|k| !TAGS.contains(&k.as_str()));
    if !map.is_empty() && untagged && map.values().all(Value::is_object) {
        // `{"HP": {"N": "50"}}`: a map without its `M`; its fields may still hold plain JSON.
        return typed_map(value);
    }
    Some(from_plain(value))
}

/// Plain JSON as a typed value: `true` → `{"BOOL": true}`, `{"a": 1}` →
/// `{"M": {"a": {"N": "1"}}}`. Nested values that are typed already stay.
fn from_plain(value: &Value) -> Value {
    match value {
        Value::String(s) => tagged("S", Value::String(s.clone())),
        Value::Number(n) => tagged("N", Value::String(n.to_string())),
        Value::Bool(b) => tagged("BOOL", Value::Bool(*b)),
        Value::Null => tagged("NULL", Value::Bool(true)),
        Value::Array(elements) => tagged(
            "L",
            Value::Array(
                elements
                    .iter()
                    .map(|e| typed_value(e).unwrap_or_else(|| e.clone()))
                    .collect(),
            ),
        ),
        Value::Object(entries) => tagged(
            "M",
            Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), typed_value(v).unwrap_or_else(|| v.clone())))
                    .collect(),
            ),
        ),
    }
}

fn tagged(tag: &str, body: Value) -> Value {
    let mut map = Map::with_capacity(1);
    map.insert(tag.to_string(), body);
    Value::Object(map)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;
    use crate::model::{AttrValue, KeyAttribute};

    fn table() -> Table {
        let mut t = Table::new("Profiles", KeyAttribute::string("PK"));
        t.sort_key = Some(KeyAttribute::string("SK"));
        t
    }

    fn read(data: Value) -> (Vec<Item>, Report) {
        let mut report = Report::default();
        let doc = json!({ "TableData": data });
        let root = Walk::root(&doc);
        let items = read_items(root.opt("TableData").unwrap(), &table(), &mut report).unwrap();
        (items, report)
    }

    #[test]
    fn plain_json_in_maps_and_lists_is_typed() {
        let (items, report) = read(json!([
            {"PK": {"S": "u1"}, "SK": {"S": "P"},
             "settings": {"M": {"dark": true, "lang": "en", "size": 14, "nick": null,
                                "push": {"email": false}, "keys": ["a", 1], "typed": {"S": "x"}}},
             "tags": {"L": ["admin", {"S": "typed"}]}},
            {"PK": {"S": "u2"}, "SK": {"S": "P"}, "settings": {"M": {"dark": {"BOOL": false}}}}
        ]));
        let settings = match &items[0]["settings"] {
            AttrValue::M(m) => m,
            other => panic!("{other:?}"),
        };
        assert_eq!(settings["dark"], AttrValue::Bool(true));
        assert_eq!(settings["lang"], AttrValue::S("en".into()));
        assert_eq!(settings["size"], AttrValue::N("14".into()));
        assert_eq!(settings["nick"], AttrValue::Null);
        assert_eq!(settings["typed"], AttrValue::S("x".into()));
        assert!(
            matches!(&settings["push"], AttrValue::M(m) if m["email"] == AttrValue::Bool(false))
        );
        assert_eq!(
            settings["keys"],
            AttrValue::L(vec![AttrValue::S("a".into()), AttrValue::N("1".into())])
        );
        assert_eq!(
            items[0]["tags"],
            AttrValue::L(vec![
                AttrValue::S("admin".into()),
                AttrValue::S("typed".into())
            ])
        );
        let notes: Vec<(&str, &str)> = report
            .notes
            .iter()
            .map(|n| (n.at.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(notes.len(), 2, "one note per attribute: {notes:?}");
        assert_eq!(notes[0].0, "TableData[0].settings");
        assert!(
            notes[0].1.starts_with(
                "`settings` of table `Profiles` holds plain JSON inside its M value in 1 item"
            ),
            "{}",
            notes[0].1
        );
        assert!(report.notes.iter().all(|n| n.kind == NoteKind::Repaired));
    }

    #[test]
    fn typed_items_are_read_as_they_are() {
        let typed = json!({"PK": {"S": "u1"}, "SK": {"S": "P"},
            "m": {"M": {"a": {"L": [{"N": "1"}]}}}, "odd": {"M": {"M": {"HP": {"N": "50"}}}}});
        assert_eq!(typed_item(&typed, "x", &mut BTreeMap::new()), None);
        // The map missing its `M` is left to the item reader, which says so.
        let (_, report) = read(json!([typed]));
        assert_eq!(report.notes.len(), 1, "{report:?}");
        assert!(report.notes[0].message.contains("read as a map"));
    }

    #[test]
    fn items_without_the_keys_are_left_out() {
        let (items, report) = read(json!([
            {"PK": {"S": "u1"}, "SK": {"S": "P"}},
            {},
            {"PK": {"S": "u2"}},
            {"PK": {"M": {}}, "SK": {"S": "P"}}
        ]));
        assert_eq!(items.len(), 1);
        let notes: Vec<(&str, &str)> = report
            .notes
            .iter()
            .map(|n| (n.at.as_str(), n.message.as_str()))
            .collect();
        assert_eq!(
            notes,
            [
                (
                    "TableData[1]",
                    "item 2 of table `Profiles` has no key value for `PK` or `SK`, which every item of the table needs: left out"
                ),
                (
                    "TableData[2]",
                    "item 3 of table `Profiles` has no key value for `SK`, which every item of the table needs: left out"
                ),
                (
                    "TableData[3]",
                    "item 4 of table `Profiles` has no key value for `PK`, which every item of the table needs: left out"
                ),
            ]
        );
    }
}
