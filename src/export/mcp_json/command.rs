//! One `aws dynamodb …` command per access pattern: the call the resolver chose,
//! with its key condition bound to a sample item's values. Reads bind to the
//! first fitting item, deletes to the last, so running the commands in order
//! leaves the items later reads need.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use crate::analysis::query_items::{bind_condition, bind_filters};
use crate::analysis::sample_items::SampleSet;
use crate::analysis::{KeyOp, Plan, Resolution};
use crate::model::{
    AccessPattern, AttrValue, Consistency, Item, Model, Operation, RangeOp, SortOrder, Table,
    item_to_json,
};

/// Most items one BatchWriteItem or BatchGetItem request takes here.
const BATCH_LIMIT: usize = 25;

pub struct Call {
    pub table: String,
    pub index: Option<String>,
    pub operation: &'static str,
    pub command: String,
}

/// Each entity's sample items with the attributes they carry only inside their
/// keys read back (items another tool wrote), to bind commands to: worked out
/// once for the whole export.
pub fn bindable_items<'m>(model: &'m Model, set: &SampleSet) -> BTreeMap<&'m str, Vec<Item>> {
    model
        .entities
        .iter()
        .map(|e| {
            let items = set
                .items_of(&e.name)
                .iter()
                .map(|i| e.with_values_from_keys(i))
                .collect();
            (e.name.as_str(), items)
        })
        .collect()
}

pub fn for_pattern(
    model: &Model,
    set: &SampleSet,
    bindable: &BTreeMap<&str, Vec<Item>>,
    r: &Resolution,
    p: &AccessPattern,
) -> Result<Call, String> {
    let entity_name = p.primary_entity().ok_or("the pattern names no entity")?;
    let entity = model
        .entity(entity_name)
        .ok_or_else(|| format!("entity `{entity_name}` does not exist"))?;
    let table = model
        .table(&entity.table)
        .ok_or_else(|| format!("table `{}` does not exist", entity.table))?;
    let items = bindable
        .get(entity_name)
        .map(Vec::as_slice)
        .unwrap_or_default();
    if items.is_empty() {
        return Err(format!("no sample item of {entity_name} to bind it to"));
    }
    match &r.plan {
        Some(plan) => read(model, table, plan, p, items, None),
        None => write(model, set, table, p, items),
    }
}

/// The read `p` as its `plan` runs it, bound to one item (an item with the values
/// its keys carry read back: `query_items::PatternItems::bound`), with a Limit
/// when one is given: the request the workbench shows for a pattern's items.
pub fn read_bound_to(
    model: &Model,
    plan: &Plan,
    p: &AccessPattern,
    item: &Item,
    limit: Option<u32>,
) -> Result<Call, String> {
    let table = model
        .table(&plan.table)
        .ok_or_else(|| format!("table `{}` does not exist", plan.table))?;
    read(model, table, plan, p, std::slice::from_ref(item), limit)
}

fn read(
    model: &Model,
    table: &Table,
    plan: &Plan,
    p: &AccessPattern,
    items: &[Item],
    limit: Option<u32>,
) -> Result<Call, String> {
    let table = model.table(&plan.table).unwrap_or(table);
    let mut cmd = Command::new(match plan.call {
        Operation::GetItem => "get-item",
        Operation::BatchGetItem => "batch-get-item",
        Operation::Scan => "scan",
        _ => "query",
    });
    let consistent = p.consistency == Consistency::Strong;
    match plan.call {
        Operation::GetItem => {
            let (_, key) = first_keyed(table, items)?;
            cmd.arg("--table-name", &table.name);
            cmd.json("--key", &key);
            if consistent {
                cmd.flag("--consistent-read");
            }
        }
        Operation::BatchGetItem => {
            let keys: Vec<Value> = items
                .iter()
                .filter_map(|i| primary_key(table, i))
                .take((p.items.max(1) as usize).min(BATCH_LIMIT))
                .collect();
            if keys.is_empty() {
                return Err("no sample item has the full primary key".into());
            }
            let mut request = Map::new();
            request.insert("Keys".into(), Value::Array(keys));
            if consistent {
                request.insert("ConsistentRead".into(), json!(true));
            }
            let mut all = Map::new();
            all.insert(table.name.clone(), Value::Object(request));
            cmd.json("--request-items", &Value::Object(all));
        }
        _ => {
            let mut expr = Expression::default();
            let (item, bound) = items
                .iter()
                .find_map(|i| bind_condition(plan, table, i).map(|b| (i, b)))
                .ok_or("no sample item has the values the key condition needs")?;
            let mut condition = Vec::new();
            for part in bound {
                let name = expr.name(&part.attribute);
                let mut values = part
                    .values
                    .into_iter()
                    .map(|(value_name, value)| expr.value(&value_name, value));
                let mut next = || values.next().unwrap_or_default();
                condition.push(match part.op {
                    KeyOp::Eq => format!("{name} = {}", next()),
                    KeyOp::Lt => format!("{name} < {}", next()),
                    KeyOp::Le => format!("{name} <= {}", next()),
                    KeyOp::Gt => format!("{name} > {}", next()),
                    KeyOp::Ge => format!("{name} >= {}", next()),
                    KeyOp::Between => {
                        let from = next();
                        format!("{name} BETWEEN {from} AND {}", next())
                    }
                    KeyOp::BeginsWith => format!("begins_with({name}, {})", next()),
                });
            }
            let mut filters = Vec::new();
            for filter in bind_filters(plan, p, table, item) {
                let name = expr.name(&filter.attribute);
                let v = expr.value(&format!(":{}", filter.attribute), filter.value);
                filters.push(match filter.op {
                    RangeOp::BeginsWith => format!("begins_with({name}, {v})"),
                    RangeOp::Between => format!("{name} BETWEEN {v} AND {v}"),
                    other => format!("{name} {} {v}", other.as_str()),
                });
            }
            cmd.arg("--table-name", &table.name);
            if let Some(index) = &plan.index {
                cmd.arg("--index-name", index);
            }
            if !condition.is_empty() {
                cmd.arg("--key-condition-expression", &condition.join(" AND "));
            }
            if !filters.is_empty() {
                cmd.arg("--filter-expression", &filters.join(" AND "));
            }
            expr.finish(&mut cmd);
            if let Some(limit) = limit {
                cmd.arg("--limit", &limit.to_string());
            }
            if plan.call == Operation::Query && p.sort == SortOrder::Descending {
                cmd.flag("--no-scan-index-forward");
            }
            if consistent {
                cmd.flag("--consistent-read");
            }
        }
    }
    Ok(Call {
        table: table.name.clone(),
        index: plan.index.as_deref().map(str::to_string),
        operation: plan.call.as_str(),
        command: cmd.finish(),
    })
}

fn write(
    model: &Model,
    set: &SampleSet,
    table: &Table,
    p: &AccessPattern,
    items: &[Item],
) -> Result<Call, String> {
    let entity = p.primary_entity().unwrap_or_default();
    let keyed_last = || {
        items
            .iter()
            .rev()
            .find_map(|i| primary_key(table, i))
            .ok_or_else(|| "no sample item has the full primary key".to_string())
    };
    let mut cmd;
    match p.operation {
        Operation::PutItem => {
            cmd = Command::new("put-item");
            cmd.arg("--table-name", &table.name);
            cmd.json("--item", &item_to_json(&items[0]));
        }
        Operation::UpdateItem => {
            cmd = Command::new("update-item");
            let (item, key) = first_keyed(table, items)?;
            cmd.arg("--table-name", &table.name);
            cmd.json("--key", &key);
            let (attribute, value) = updatable(model, table, entity, item);
            let mut expr = Expression::default();
            let name = expr.name(&attribute);
            let v = expr.value(&format!(":{attribute}"), value);
            cmd.arg("--update-expression", &format!("SET {name} = {v}"));
            expr.finish(&mut cmd);
        }
        Operation::DeleteItem => {
            cmd = Command::new("delete-item");
            cmd.arg("--table-name", &table.name);
            cmd.json("--key", &keyed_last()?);
        }
        Operation::TransactWriteItems => {
            cmd = Command::new("transact-write-items");
            let mut actions = Vec::new();
            for name in &p.entities {
                let (Some(e), Some(item)) = (model.entity(name), set.items_of(name).first()) else {
                    continue;
                };
                actions.push(json!({"Put": {"TableName": e.table, "Item": item_to_json(item)}}));
            }
            if actions.is_empty() {
                return Err("no sample item of its entities".into());
            }
            cmd.json("--transact-items", &Value::Array(actions));
        }
        Operation::BatchWriteItem => {
            cmd = Command::new("batch-write-item");
            let n = (p.items.max(1) as usize).min(BATCH_LIMIT);
            let deletes = knows_primary_key(model, table, p);
            let requests: Vec<Value> = if deletes {
                // The first item stays: the reads are bound to it.
                items
                    .iter()
                    .skip(1)
                    .rev()
                    .filter_map(|i| primary_key(table, i))
                    .take(n)
                    .map(|key| json!({"DeleteRequest": {"Key": key}}))
                    .collect()
            } else {
                items
                    .iter()
                    .take(n)
                    .map(|i| json!({"PutRequest": {"Item": item_to_json(i)}}))
                    .collect()
            };
            let mut all = Map::new();
            all.insert(table.name.clone(), Value::Array(requests));
            cmd.json("--request-items", &Value::Object(all));
        }
        other => return Err(format!("{} is no write", other.as_str())),
    }
    Ok(Call {
        table: table.name.clone(),
        index: None,
        operation: p.operation.as_str(),
        command: cmd.finish(),
    })
}

/// The first item that has the full primary key, with that key.
fn first_keyed<'a>(table: &Table, items: &'a [Item]) -> Result<(&'a Item, Value), String> {
    items
        .iter()
        .find_map(|i| primary_key(table, i).map(|key| (i, key)))
        .ok_or_else(|| "no sample item has the full primary key".to_string())
}

/// The item's primary key as DynamoDB JSON, if it has every key attribute.
fn primary_key(table: &Table, item: &Item) -> Option<Value> {
    let mut key = Map::new();
    for k in std::iter::once(&table.partition_key).chain(table.sort_key.iter()) {
        key.insert(k.name.clone(), item.get(&k.name)?.to_json());
    }
    Some(Value::Object(key))
}

/// Whether the pattern's inputs fill every placeholder of its entity's primary key.
fn knows_primary_key(model: &Model, table: &Table, p: &AccessPattern) -> bool {
    let Some(entity) = p.primary_entity().and_then(|e| model.entity(e)) else {
        return false;
    };
    std::iter::once(&table.partition_key)
        .chain(table.sort_key.iter())
        .all(|k| {
            entity.parsed_key_template(&k.name).is_some_and(|t| {
                t.is_ok_and(|t| {
                    t.placeholders()
                        .all(|name| p.inputs.iter().any(|i| i == name))
                })
            })
        })
}

/// The attribute an update sets: `updated_at` when the entity has it, else its
/// first attribute that no key is made of, set to the item's own value.
fn updatable(model: &Model, table: &Table, entity: &str, item: &Item) -> (String, AttrValue) {
    let key_names = table.key_attribute_names();
    let used_by_keys: Vec<String> = model
        .entity(entity)
        .map(|e| {
            key_names
                .iter()
                .filter_map(|k| e.parsed_key_template(k))
                .filter_map(Result::ok)
                .flat_map(|t| t.placeholders().map(str::to_string).collect::<Vec<_>>())
                .collect()
        })
        .unwrap_or_default();
    let free: Vec<&String> = model
        .entity(entity)
        .map(|e| {
            e.attributes
                .iter()
                .map(|a| &a.name)
                .filter(|a| !key_names.contains(&a.as_str()) && !used_by_keys.contains(a))
                .filter(|a| item.contains_key(*a))
                .collect()
        })
        .unwrap_or_default();
    let chosen = free
        .iter()
        .find(|a| a.as_str() == "updated_at")
        .or(free.first())
        .map(|a| a.to_string());
    match chosen {
        Some(a) => {
            let value = item.get(&a).cloned().unwrap_or(AttrValue::Null);
            (a, value)
        }
        None => (
            "updated_at".into(),
            AttrValue::S("2025-01-01T00:00:00Z".into()),
        ),
    }
}

/// Expression attribute names (`#PK`) and values (`:email`), in order of use.
#[derive(Default)]
struct Expression {
    names: Vec<(String, String)>,
    values: Vec<(String, Value)>,
}

impl Expression {
    fn name(&mut self, attribute: &str) -> String {
        if let Some((placeholder, _)) = self.names.iter().find(|(_, a)| a == attribute) {
            return placeholder.clone();
        }
        let base: String = attribute
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        let placeholder = crate::model::unique_name(&format!("#{base}"), |n| {
            self.names.iter().any(|(p, _)| p == n)
        });
        self.names
            .push((placeholder.clone(), attribute.to_string()));
        placeholder
    }

    fn value(&mut self, name: &str, value: AttrValue) -> String {
        let json = value.to_json();
        if let Some((n, _)) = self.values.iter().find(|(n, v)| n == name && *v == json) {
            return n.clone();
        }
        let name = crate::model::unique_name(name, |n| self.values.iter().any(|(v, _)| v == n));
        self.values.push((name.clone(), json));
        name
    }

    fn finish(self, cmd: &mut Command) {
        if !self.names.is_empty() {
            let names: Map<String, Value> = self
                .names
                .into_iter()
                .map(|(p, a)| (p, Value::String(a)))
                .collect();
            cmd.json("--expression-attribute-names", &Value::Object(names));
        }
        if !self.values.is_empty() {
            let values: Map<String, Value> = self.values.into_iter().collect();
            cmd.json("--expression-attribute-values", &Value::Object(values));
        }
    }
}

/// An `aws dynamodb` command line, its arguments quoted for a POSIX shell.
struct Command {
    text: String,
}

impl Command {
    fn new(operation: &str) -> Self {
        Command {
            text: format!("aws dynamodb {operation}"),
        }
    }

    fn arg(&mut self, flag: &str, value: &str) {
        self.text.push_str(&format!(" {flag} {}", quote(value)));
    }

    fn json(&mut self, flag: &str, value: &Value) {
        self.text
            .push_str(&format!(" {flag} {}", single_quote(&value.to_string())));
    }

    fn flag(&mut self, flag: &str) {
        self.text.push(' ');
        self.text.push_str(flag);
    }

    fn finish(self) -> String {
        self.text
    }
}

/// A shell word: bare when it is plainly safe, single-quoted otherwise.
pub fn quote(text: &str) -> String {
    let safe = !text.is_empty()
        && text.chars().all(|c| {
            c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | '/' | ':' | '@' | ',' | '+')
        });
    if safe {
        text.to_string()
    } else {
        single_quote(text)
    }
}

fn single_quote(text: &str) -> String {
    format!("'{}'", text.replace('\'', "'\\''"))
}
