//! The calls verification makes, as plain data: each access pattern's resolved
//! key condition bound to the values of a seeded item, and the scratch items
//! write patterns work on. Pure — `verify.rs` sends them.

use std::collections::BTreeMap;

use crate::analysis::sample_items::{bind, key_value};
use crate::analysis::{KeyOp, KeyPart, Plan};
use crate::model::{
    AccessPattern, AttrValue, Consistency, Entity, Item, KeyType, Model, Operation, SortOrder,
    Table, Template, base64,
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
                part.attribute.clone(),
                bind_key(&value.template, key_type_of(table, part)?, item)?,
            );
        }
        Ok(key)
    };
    match plan.call {
        Operation::GetItem => Ok(ReadCall::Get {
            table: plan.table.clone(),
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
                table: plan.table.clone(),
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
                table: plan.table.clone(),
                index: plan.index.clone(),
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

/// The primary key (partition and sort key) of an item of `table`.
pub fn primary_key(table: &Table, item: &Item) -> Result<Item, String> {
    let mut key = Item::new();
    for k in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
        let value = item
            .get(&k.name)
            .ok_or_else(|| format!("the item has no key attribute `{}`", k.name))?;
        key.insert(k.name.clone(), value.clone());
    }
    Ok(key)
}

/// An item of `entity` that does not disturb the seeded ones: `base` with the
/// values behind its primary key changed (`shared` values, e.g. a transaction's
/// common inputs, are taken as they are), and every key attribute rendered again.
pub fn scratch_item(
    model: &Model,
    entity: &Entity,
    base: &Item,
    n: usize,
    shared: &Item,
) -> Result<Item, String> {
    let table = model
        .table(&entity.table)
        .ok_or_else(|| format!("table `{}` is not in the model", entity.table))?;
    let mut item = base.clone();
    for (name, value) in shared {
        if entity.attribute(name).is_some() {
            item.insert(name.clone(), value.clone());
        }
    }
    for key in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
        let Some(template) = entity.key_template(&key.name) else {
            continue;
        };
        let Ok(template) = Template::parse(&template) else {
            continue;
        };
        for name in template.placeholders() {
            if !shared.contains_key(name) {
                let fresh = scratch_value(base.get(name), n);
                item.insert(name.to_string(), fresh);
            }
        }
    }
    let primary = [Some(&table.partition_key), table.sort_key.as_ref()];
    for index in table.indexes() {
        for key in index.key_attributes() {
            let Some(template) = entity.key_template(&key.name) else {
                continue;
            };
            match bind_key(&template, key.key_type, &item) {
                Ok(value) => {
                    item.insert(key.name.clone(), value);
                }
                Err(why) if primary.contains(&Some(key)) => {
                    return Err(format!("cannot make a scratch `{}`: {why}", entity.name));
                }
                // Not in this (sparse) index.
                Err(_) => {
                    item.remove(&key.name);
                }
            }
        }
    }
    Ok(item)
}

/// A value no seeded item has: `text-dynamodel-verify-0`, a number far off.
pub fn scratch_value(value: Option<&AttrValue>, n: usize) -> AttrValue {
    let n64 = n as i64 + 1;
    match value {
        Some(AttrValue::S(s)) => AttrValue::S(format!("{s}-dynamodel-verify-{n}")),
        Some(AttrValue::N(text)) => match (text.parse::<i64>(), text.parse::<f64>()) {
            (Ok(i), _) => AttrValue::N(i.saturating_add(1_000_000_007 * n64).to_string()),
            (_, Ok(f)) => AttrValue::N(format!("{}", f + 1.0e9 * n64 as f64)),
            _ => AttrValue::N((1_000_000_007 * n64).to_string()),
        },
        Some(AttrValue::B(b)) => {
            AttrValue::B(base64(format!("dynamodel-verify-{n}-{b}").as_bytes()))
        }
        Some(other) => other.clone(),
        None => AttrValue::S(format!("dynamodel-verify-{n}")),
    }
}

/// The attribute an UpdateItem sets on a scratch item: the entity's first
/// attribute that no key is made of (set to the value it has), or a marker.
pub fn update_target(model: &Model, entity: &Entity, item: &Item) -> (String, AttrValue) {
    let keyed: Vec<String> = model
        .table(&entity.table)
        .map(|t| {
            let mut names: Vec<String> = t
                .key_attribute_names()
                .into_iter()
                .map(str::to_string)
                .collect();
            for name in t.key_attribute_names() {
                if let Some(template) = entity.key_template(name)
                    && let Ok(template) = Template::parse(&template)
                {
                    names.extend(template.placeholders().map(str::to_string));
                }
            }
            names
        })
        .unwrap_or_default();
    entity
        .attributes
        .iter()
        .filter(|a| !keyed.contains(&a.name))
        .find_map(|a| item.get(&a.name).map(|v| (a.name.clone(), v.clone())))
        .unwrap_or_else(|| ("dynamodel_verified".to_string(), AttrValue::Bool(true)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use crate::model::samples;

    fn ecommerce() -> Model {
        samples::sample("ecommerce").unwrap().load().unwrap()
    }

    fn s(text: &str) -> AttrValue {
        AttrValue::S(text.to_string())
    }

    fn item(pairs: &[(&str, AttrValue)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.clone()))
            .collect()
    }

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
        let model = ecommerce();
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
            "GSI1PK = :email AND GSI1SK BETWEEN :gsi1sk_from AND :gsi1sk_to [:email = \"ana@example.com\", :gsi1sk_from = \"ORDER#2025-03-01T10:00:00Z\", :gsi1sk_to = \"ORDER#2025-03-01T10:00:00Z\\u{ffff}\"]"
        );
        assert_eq!(q.limit, Some(20));
        assert_eq!(q.filter, None);
    }

    #[test]
    fn gets_and_batch_gets_bind_whole_keys() {
        let model = ecommerce();
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
        let model = samples::sample("ecommerce-initial")
            .unwrap()
            .load()
            .unwrap();
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

    #[test]
    fn scratch_items_get_fresh_keys_and_keep_shared_inputs() {
        let model = ecommerce();
        let user = model.entity("User").unwrap();
        let base = item(&[
            ("email", s("ana@example.com")),
            ("username", s("ana")),
            ("user_id", s("u1")),
            ("PK", s("ana@example.com")),
            ("SK", s("#META")),
            ("GSI1PK", s("ana")),
            ("GSI2PK", s("u1")),
        ]);
        let scratch = scratch_item(&model, user, &base, 3, &Item::new()).unwrap();
        assert_eq!(scratch["email"], s("ana@example.com-dynamodel-verify-3"));
        assert_eq!(scratch["PK"], s("ana@example.com-dynamodel-verify-3"));
        assert_eq!(scratch["SK"], s("#META"));
        assert_eq!(scratch["GSI1PK"], s("ana"), "index keys are rendered again");
        let table = model.table("Users").unwrap();
        assert_ne!(primary_key(table, &scratch), primary_key(table, &base));

        let seller = model.entity("SellerProfile").unwrap();
        let shared = item(&[("email", scratch["email"].clone())]);
        let profile = scratch_item(&model, seller, &Item::new(), 0, &shared).unwrap();
        assert_eq!(
            profile["PK"], scratch["PK"],
            "the transaction's input is shared"
        );
        assert_eq!(profile["SK"], s("#SELLER"));
        assert!(!profile.contains_key("GSI3PK"), "no seller_id: not in GSI3");
    }

    #[test]
    fn scratch_values_differ_from_every_seeded_value() {
        assert_eq!(
            scratch_value(Some(&AttrValue::N("42".into())), 0),
            AttrValue::N("1000000049".into())
        );
        assert_eq!(
            scratch_value(Some(&AttrValue::N("1.5".into())), 1),
            AttrValue::N("2000000001.5".into())
        );
        assert_eq!(scratch_value(None, 2), s("dynamodel-verify-2"));
        assert!(matches!(
            scratch_value(Some(&AttrValue::B("AA==".into())), 0),
            AttrValue::B(b) if b != "AA=="
        ));
    }

    #[test]
    fn updates_set_an_attribute_no_key_is_made_of() {
        let model = ecommerce();
        let cart = model.entity("CartItem").unwrap();
        let line = item(&[
            ("email", s("a")),
            ("product_id", s("p")),
            ("quantity", AttrValue::N("2".into())),
        ]);
        assert_eq!(
            update_target(&model, cart, &line),
            ("quantity".to_string(), AttrValue::N("2".into()))
        );
        assert_eq!(
            update_target(&model, cart, &item(&[("email", s("a"))])).0,
            "dynamodel_verified"
        );
    }
}
