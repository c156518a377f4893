//! The read calls verification makes, as plain data: each access pattern's
//! resolved key condition bound to the values of a seeded item. Pure —
//! `verify/reads.rs` sends them.

use std::collections::BTreeMap;

use crate::analysis::sample_items::{bind, key_value};
use crate::analysis::{KeyOp, KeyPart, Plan};
use crate::model::{
    AccessPattern, AttrValue, Consistency, Item, KeyType, Model, Operation, SortOrder, Table,
    Template,
};

/// Expression attribute names and values, in the order they were added.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Expressions {
    pub names: BTreeMap<String, String>,
    pub values: BTreeMap<String, AttrValue>,
}

impl Expressions {
    /// A `#name` placeholder for an attribute name, so reserved words such as
    /// `status` or `name` can be keys.
    fn name(&mut self, prefix: &str, attribute: &str) -> String {
        if let Some((placeholder, _)) = self
            .names
            .iter()
            .find(|(p, a)| a.as_str() == attribute && p.starts_with(prefix))
        {
            return placeholder.clone();
        }
        let placeholder = format!("{prefix}{}", self.names.len());
        self.names
            .insert(placeholder.clone(), attribute.to_string());
        placeholder
    }
}

/// A Query or Scan.
#[derive(Clone, Debug, PartialEq)]
pub struct QueryCall {
    pub table: String,
    pub index: Option<String>,
    /// `None` for a Scan.
    pub key_condition: Option<String>,
    pub filter: Option<String>,
    pub expressions: Expressions,
    pub forward: bool,
    pub limit: Option<i32>,
    pub consistent: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ReadCall {
    Get {
        table: String,
        key: Item,
        consistent: bool,
    },
    BatchGet {
        table: String,
        keys: Vec<Item>,
        consistent: bool,
    },
    Query(QueryCall),
    Scan(QueryCall),
}

impl ReadCall {
    /// The request in words, with attribute names in place of `#` placeholders
    /// and the bound values: `GSI1PK = :username [:username = "ana"]`.
    pub fn describe(&self) -> String {
        match self {
            ReadCall::Get { key, .. } => format!("key {}", key_text(key)),
            ReadCall::BatchGet { keys, .. } => format!(
                "{} keys: {}",
                keys.len(),
                keys.iter().map(key_text).collect::<Vec<_>>().join("; ")
            ),
            ReadCall::Query(q) | ReadCall::Scan(q) => {
                let mut names: Vec<(&String, &String)> = q.expressions.names.iter().collect();
                // `#k10` before `#k1`.
                names.sort_by_key(|(p, _)| std::cmp::Reverse(p.len()));
                let named = |text: &str| {
                    names
                        .iter()
                        .fold(text.to_string(), |t, (p, a)| t.replace(p.as_str(), a))
                };
                let mut parts = Vec::new();
                if let Some(k) = &q.key_condition {
                    parts.push(named(k));
                }
                if let Some(f) = &q.filter {
                    parts.push(format!("filter {}", named(f)));
                }
                if !q.expressions.values.is_empty() {
                    let values: Vec<String> = q
                        .expressions
                        .values
                        .iter()
                        .map(|(k, v)| format!("{k} = {}", value_text(v)))
                        .collect();
                    parts.push(format!("[{}]", values.join(", ")));
                }
                if parts.is_empty() {
                    "the whole table".to_string()
                } else {
                    parts.join(" ")
                }
            }
        }
    }
}

/// `PK = "ana@example.com", SK = "#META"`.
pub fn key_text(key: &Item) -> String {
    key.iter()
        .map(|(k, v)| format!("{k} = {}", value_text(v)))
        .collect::<Vec<_>>()
        .join(", ")
}

fn value_text(value: &AttrValue) -> String {
    match value {
        // The upper end of a range over a prefix: the prefix and what follows it.
        AttrValue::S(s) if s.ends_with('\u{FFFF}') => format!(
            "{:?}… (and every key that starts with it)",
            s.trim_end_matches('\u{FFFF}')
        ),
        AttrValue::S(s) => format!("{s:?}"),
        other => other.display(),
    }
}

/// The type of a key attribute of `table` (of the table or any of its indexes).
pub fn key_type(table: &Table, attribute: &str) -> Option<KeyType> {
    table.indexes().iter().find_map(|index| {
        index
            .key_attributes()
            .find(|k| k.name == attribute)
            .map(|k| k.key_type)
    })
}

/// A key-condition (or key-template) value bound to an item, typed as the key
/// attribute: `ORDER#{created_at}` with the item's `created_at`.
pub fn bind_key(template: &str, key_type: KeyType, item: &Item) -> Result<AttrValue, String> {
    // A lone placeholder is the attribute's own value when it has the key's type
    // (how sample items write it), so a number or binary key is not re-encoded.
    if let Ok(parsed) = Template::parse(template)
        && let Some(name) = parsed.single_placeholder()
        && let Some(value) = item.get(name)
        && value.attr_type().as_str() == key_type.as_str()
    {
        return Ok(value.clone());
    }
    match bind(template, item) {
        Some(text) => Ok(key_value(text, key_type)),
        None => {
            let missing: Vec<String> = Template::parse(template)
                .map(|t| {
                    t.placeholders()
                        .filter(|p| item.get(*p).and_then(AttrValue::key_text).is_none())
                        .map(|p| format!("`{p}`"))
                        .collect()
                })
                .unwrap_or_default();
            Err(format!(
                "the seeded item has no value for {} (in `{template}`)",
                if missing.is_empty() {
                    "every placeholder".to_string()
                } else {
                    missing.join(", ")
                }
            ))
        }
    }
}

/// The read call a pattern's plan makes, bound to `items` (seeded items of the
/// pattern's primary entity; a BatchGetItem reads several of them).
pub fn read_call(
    model: &Model,
    pattern: &AccessPattern,
    plan: &Plan,
    items: &[Item],
) -> Result<ReadCall, String> {
    let table = model
        .table(&plan.table)
        .ok_or_else(|| format!("table `{}` is not in the model", plan.table))?;
    let item = items
        .first()
        .ok_or_else(|| "no seeded item to take the key values from".to_string())?;
    let consistent = pattern.consistency == Consistency::Strong;
    let bound_key = |item: &Item| -> Result<Item, String> {
        let mut key = Item::new();
        for part in &plan.key_condition.parts {
            let value = part
                .values
                .first()
                .ok_or_else(|| format!("the condition on {} has no value", part.attribute))?;
            key.insert(
                part.attribute.to_string(),
                bind_key(&value.template, key_type_of(table, part)?, item)?,
            );
        }
        Ok(key)
    };
    match plan.call {
        Operation::GetItem => Ok(ReadCall::Get {
            table: plan.table.to_string(),
            key: bound_key(item)?,
            consistent,
        }),
        Operation::BatchGetItem => {
            let mut keys: Vec<Item> = Vec::new();
            let wanted = pattern.items.clamp(1, 100) as usize;
            for item in items {
                let key = bound_key(item)?;
                if !keys.contains(&key) {
                    keys.push(key);
                }
                if keys.len() == wanted {
                    break;
                }
            }
            Ok(ReadCall::BatchGet {
                table: plan.table.to_string(),
                keys,
                consistent,
            })
        }
        Operation::Query | Operation::Scan => {
            let mut expressions = Expressions::default();
            let mut conditions = Vec::new();
            for part in &plan.key_condition.parts {
                conditions.push(key_part(table, part, item, &mut expressions)?);
            }
            let mut filters = Vec::new();
            for attribute in &plan.filters {
                let value = item
                    .get(attribute)
                    .ok_or_else(|| format!("the seeded item has no `{attribute}` to filter on"))?;
                let name = expressions.name("#f", attribute);
                let placeholder = format!(":f{}", filters.len());
                expressions
                    .values
                    .insert(placeholder.clone(), value.clone());
                filters.push(format!("{name} = {placeholder}"));
            }
            // A key condition that selects exactly the pattern's items reads one
            // page of them; with a filter, a page of what the condition reads.
            let limit = (plan.filters.is_empty() && plan.selective)
                .then(|| i32::try_from(pattern.items.max(1)).unwrap_or(i32::MAX));
            let call = QueryCall {
                table: plan.table.to_string(),
                index: plan.index.as_deref().map(str::to_string),
                key_condition: (plan.call == Operation::Query).then(|| conditions.join(" AND ")),
                filter: (!filters.is_empty()).then(|| filters.join(" AND ")),
                expressions,
                forward: pattern.sort == SortOrder::Ascending,
                limit: if plan.call == Operation::Scan {
                    None
                } else {
                    limit
                },
                consistent,
            };
            Ok(if plan.call == Operation::Query {
                ReadCall::Query(call)
            } else {
                ReadCall::Scan(call)
            })
        }
        other => Err(format!("{} is not a read", other.as_str())),
    }
}

fn key_type_of(table: &Table, part: &KeyPart) -> Result<KeyType, String> {
    key_type(table, &part.attribute).ok_or_else(|| {
        format!(
            "`{}` is not a key attribute of table `{}`",
            part.attribute, table.name
        )
    })
}

/// One part of a key condition with `#k` name and bound `:value` placeholders.
fn key_part(
    table: &Table,
    part: &KeyPart,
    item: &Item,
    expressions: &mut Expressions,
) -> Result<String, String> {
    let key_type = key_type_of(table, part)?;
    let name = expressions.name("#k", &part.attribute);
    let mut values = Vec::new();
    for v in &part.values {
        expressions
            .values
            .insert(v.name.clone(), bind_key(&v.template, key_type, item)?);
        values.push(v.name.as_str());
    }
    let value = |i: usize| {
        values
            .get(i)
            .copied()
            .ok_or_else(|| format!("the condition on {} lacks a value", part.attribute))
    };
    Ok(match part.op {
        KeyOp::Eq => format!("{name} = {}", value(0)?),
        KeyOp::Lt => format!("{name} < {}", value(0)?),
        KeyOp::Le => format!("{name} <= {}", value(0)?),
        KeyOp::Gt => format!("{name} > {}", value(0)?),
        KeyOp::Ge => format!("{name} >= {}", value(0)?),
        KeyOp::Between => format!("{name} BETWEEN {} AND {}", value(0)?, value(1)?),
        KeyOp::BeginsWith => format!("begins_with({name}, {})", value(0)?),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use crate::deploy::test_support::{bundled, item, s};

    #[test]
    fn values_are_bound_and_typed_as_the_key() {
        let i = item(&[
            ("created_at", s("2025-01-02")),
            ("price", AttrValue::N("12.5".into())),
            ("blob", AttrValue::B("AAE=".into())),
        ]);
        assert_eq!(
            bind_key("ORDER#{created_at}", KeyType::S, &i),
            Ok(s("ORDER#2025-01-02"))
        );
        assert_eq!(bind_key("CART#", KeyType::S, &i), Ok(s("CART#")));
        assert_eq!(
            bind_key("{price}", KeyType::N, &i),
            Ok(AttrValue::N("12.5".into()))
        );
        assert_eq!(bind_key("{price:08}", KeyType::S, &i), Ok(s("000012.5")));
        // A binary attribute is the key as it is, not base64 of its base64.
        assert_eq!(
            bind_key("{blob}", KeyType::B, &i),
            Ok(AttrValue::B("AAE=".into()))
        );
        assert_eq!(bind_key("P\u{FFFF}", KeyType::S, &i), Ok(s("P\u{FFFF}")));
        let err = bind_key("USER#{email}", KeyType::S, &i).unwrap_err();
        assert!(err.contains("`email`"), "{err}");
    }

    fn call_for(model: &Model, id: &str, items: &[Item]) -> ReadCall {
        let a = analysis::analyze(model);
        let plan = a.resolution(id).unwrap().plan.clone().unwrap();
        read_call(model, model.pattern(id).unwrap(), &plan, items).unwrap()
    }

    #[test]
    fn a_query_uses_name_placeholders_and_typed_values() {
        let model = bundled("ecommerce");
        let order = item(&[
            ("email", s("ana@example.com")),
            ("created_at", s("2025-03-01T10:00:00Z")),
            ("order_id", s("o-1")),
        ]);
        let ReadCall::Query(q) = call_for(&model, "AP30", &[order]) else {
            panic!("AP30 is a query")
        };
        assert_eq!(q.index.as_deref(), Some("GSI1"));
        assert_eq!(
            q.key_condition.as_deref(),
            Some("#k0 = :email AND #k1 BETWEEN :gsi1sk_from AND :gsi1sk_to")
        );
        assert_eq!(q.expressions.names["#k0"], "GSI1PK");
        assert_eq!(q.expressions.names["#k1"], "GSI1SK");
        assert_eq!(q.expressions.values[":email"], s("ana@example.com"));
        assert_eq!(
            q.expressions.values[":gsi1sk_from"],
            s("ORDER#2025-03-01T10:00:00Z")
        );
        assert!(!q.forward, "AP30 sorts descending");
        assert_eq!(
            ReadCall::Query(q.clone()).describe(),
            "GSI1PK = :email AND GSI1SK BETWEEN :gsi1sk_from AND :gsi1sk_to [:email = \"ana@example.com\", :gsi1sk_from = \"ORDER#2025-03-01T10:00:00Z\", :gsi1sk_to = \"ORDER#2025-03-01T10:00:00Z\"… (and every key that starts with it)]"
        );
        assert_eq!(q.limit, Some(5));
        assert_eq!(q.filter, None);
    }

    #[test]
    fn gets_and_batch_gets_bind_whole_keys() {
        let model = bundled("ecommerce");
        let products: Vec<Item> = (0..7)
            .map(|i| item(&[("product_id", s(&format!("p{i}")))]))
            .collect();
        let ReadCall::Get { key, .. } = call_for(&model, "AP11", &products) else {
            panic!("AP11 is a GetItem")
        };
        assert_eq!(key, item(&[("PK", s("p0")), ("SK", s("#META"))]));
        let ReadCall::BatchGet {
            keys, consistent, ..
        } = call_for(&model, "AP37", &products)
        else {
            panic!("AP37 is a BatchGetItem")
        };
        assert_eq!(keys.len(), 5, "AP37 reads 5 products");
        assert!(consistent);
    }

    #[test]
    fn filters_test_the_inputs_the_key_condition_cannot() {
        let model = bundled("ecommerce-initial");
        let order = item(&[
            ("status", s("SHIPPED")),
            ("user_id", s("u1")),
            ("created_at", s("2025")),
        ]);
        let ReadCall::Query(q) = call_for(&model, "AP33", &[order]) else {
            panic!("AP33 is a query")
        };
        // `status` is a reserved word: it only ever appears as a placeholder.
        assert_eq!(q.key_condition.as_deref(), Some("#k0 = :status"));
        assert_eq!(q.expressions.names["#k0"], "status");
        assert_eq!(q.filter.as_deref(), Some("#f1 = :f0"));
        assert_eq!(q.expressions.names["#f1"], "user_id");
        assert_eq!(q.limit, None, "a filtered query reads a page");
        let scan = call_for(&model, "AP20", &[item(&[("category_id", s("c"))])]);
        assert!(matches!(
            scan,
            ReadCall::Scan(QueryCall {
                key_condition: None,
                ..
            })
        ));
    }
}
