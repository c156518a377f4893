//! Write patterns: PutItem, UpdateItem, DeleteItem, TransactWriteItems or
//! BatchWriteItem on scratch items — copies of seeded items under keys no seeded
//! item has — removed again afterwards. An entity whose primary key is a
//! constant cannot have a scratch copy: its seeded item is written back instead.

use std::collections::HashMap;
use std::time::Instant;

use aws_sdk_dynamodb::types::{
    Put, PutRequest, ReturnConsumedCapacity, ReturnValue, TransactWriteItem, WriteRequest,
};

use super::{PatternResult, Verifier, capacity, fatal, millis, result};
use crate::deploy::DeployError;
use crate::deploy::calls::key_text;
use crate::deploy::convert::{to_sdk, to_sdk_item};
use crate::deploy::report::PatternOutcome;
use crate::deploy::scratch::{primary_key, scratch_item, update_target};
use crate::deploy::seed::{BATCH_SIZE, backoff};
use crate::model::{AccessPattern, Entity, Item, Operation};

/// A scratch item and how to undo it.
struct Scratch {
    entity: String,
    table: String,
    item: Item,
    key: Item,
    /// The seeded item it replaced (same key), to put back; `None`: delete it.
    restore: Option<Item>,
}

/// What a write call did, for the verdict.
struct Done {
    passed: bool,
    detail: String,
    capacity: Option<f64>,
    items: u64,
}

impl Done {
    /// A write of one item that returned it (`ALL_NEW` or `ALL_OLD`) if it did its work.
    fn one<V>(
        returned: Option<&HashMap<String, V>>,
        done: String,
        not_done: &str,
        capacity: Option<f64>,
    ) -> Done {
        let passed = returned.is_some_and(|a| !a.is_empty());
        Done {
            passed,
            detail: if passed { done } else { not_done.to_string() },
            capacity,
            items: 1,
        }
    }
}

impl Verifier<'_> {
    pub(super) async fn write(
        &mut self,
        pattern: &AccessPattern,
    ) -> Result<PatternResult, DeployError> {
        let mut out = PatternResult {
            call: Some(pattern.operation.as_str().to_string()),
            ..result(pattern, String::new())
        };
        let mut entities: Vec<&Entity> = Vec::new();
        for name in &pattern.entities {
            match self.model.entity(name) {
                Some(e) if !entities.iter().any(|x| x.name == e.name) => entities.push(e),
                Some(_) => {}
                None => {
                    out.detail = format!("not run: entity `{name}` does not exist");
                    return Ok(out);
                }
            }
        }
        let Some(&primary) = entities.first() else {
            out.detail = "not run: the pattern names no entity".to_string();
            return Ok(out);
        };
        out.table = Some(primary.table.clone());
        let scratches = match self.scratches(pattern, &entities) {
            Ok(s) => s,
            Err(why) => {
                out.detail = format!("not run: {why}");
                return Ok(out);
            }
        };
        out.request = scratches
            .iter()
            .map(|s| format!("{} key {}", s.table, key_text(&s.key)))
            .collect::<Vec<_>>()
            .join("; ");
        // Update and Delete need the item to exist first; that write is not timed.
        if matches!(
            pattern.operation,
            Operation::UpdateItem | Operation::DeleteItem
        ) && let Err(e) = self.put(&scratches[0], &scratches[0].item).await
        {
            out.detail = format!("could not write the scratch item first: {}", fatal(e)?);
            return Ok(out);
        }
        let started = Instant::now();
        let done = self.send_write(pattern, primary, &scratches).await;
        out.latency_ms = Some(millis(started));
        let cleanup = self.clean_up(&scratches).await;
        match done {
            Ok(done) => {
                out.outcome = if done.passed {
                    PatternOutcome::Passed
                } else {
                    PatternOutcome::Failed
                };
                out.detail = done.detail;
                out.consumed_capacity = done.capacity;
                out.items_returned = Some(done.items);
            }
            Err(e) => out.detail = fatal(e)?,
        }
        cleanup?;
        Ok(out)
    }

    /// The scratch items the call writes: one per entity (a transaction's
    /// entities share the pattern's inputs), or a batch's worth.
    fn scratches(
        &self,
        pattern: &AccessPattern,
        entities: &[&Entity],
    ) -> Result<Vec<Scratch>, String> {
        let count = match pattern.operation {
            Operation::BatchWriteItem => (pattern.items as usize).clamp(1, BATCH_SIZE),
            Operation::TransactWriteItems => entities.len(),
            _ => 1,
        };
        let mut shared = Item::new();
        let mut out: Vec<Scratch> = Vec::new();
        for n in 0..count {
            let entity = entities[n % entities.len()];
            let base = self
                .base(&entity.name)
                .ok_or_else(|| format!("no `{}` item to copy", entity.name))?;
            let item = scratch_item(self.model, entity, base, n, &shared)?;
            if n == 0 && pattern.operation == Operation::TransactWriteItems {
                shared = pattern
                    .inputs
                    .iter()
                    .filter_map(|i| item.get(i).map(|v| (i.clone(), v.clone())))
                    .collect();
            }
            let table = self
                .model
                .table(&entity.table)
                .ok_or_else(|| format!("table `{}` is not in the model", entity.table))?;
            let key = primary_key(table, &item)?;
            let restore = (primary_key(table, base).as_ref() == Ok(&key)).then(|| base.clone());
            // A constant key gives every copy the same key: one is enough.
            if out.iter().any(|s| s.table == table.name && s.key == key) {
                continue;
            }
            out.push(Scratch {
                entity: entity.name.clone(),
                table: table.name.clone(),
                item,
                key,
                restore,
            });
        }
        Ok(out)
    }

    async fn send_write(
        &self,
        pattern: &AccessPattern,
        primary: &Entity,
        scratches: &[Scratch],
    ) -> Result<Done, DeployError> {
        let client = &self.dynamo.client;
        let first = &scratches[0];
        let element = format!("table `{}`", first.table);
        let operation = pattern.operation.as_str();
        let total = ReturnConsumedCapacity::Total;
        match pattern.operation {
            Operation::UpdateItem => {
                let (attribute, value) = update_target(self.model, primary, &first.item);
                let table = self.model.table(&primary.table);
                let partition = table
                    .map(|t| t.partition_key.name.clone())
                    .unwrap_or_default();
                let out = client
                    .update_item()
                    .table_name(&first.table)
                    .set_key(Some(to_sdk_item(&first.key)))
                    .update_expression("SET #u = :u")
                    .condition_expression("attribute_exists(#pk)")
                    .expression_attribute_names("#u", &attribute)
                    .expression_attribute_names("#pk", partition)
                    .expression_attribute_values(":u", to_sdk(&value))
                    .return_values(ReturnValue::AllNew)
                    .return_consumed_capacity(total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Done::one(
                    out.attributes(),
                    format!("updated `{attribute}` of a scratch `{}`", first.entity),
                    "UpdateItem returned no item",
                    capacity(out.consumed_capacity()),
                ))
            }
            Operation::DeleteItem => {
                let out = client
                    .delete_item()
                    .table_name(&first.table)
                    .set_key(Some(to_sdk_item(&first.key)))
                    .return_values(ReturnValue::AllOld)
                    .return_consumed_capacity(total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Done::one(
                    out.attributes(),
                    format!("deleted a scratch `{}`", first.entity),
                    "DeleteItem found no item under the key",
                    capacity(out.consumed_capacity()),
                ))
            }
            Operation::TransactWriteItems => {
                let mut items = Vec::new();
                for s in scratches {
                    let put = Put::builder()
                        .table_name(&s.table)
                        .set_item(Some(to_sdk_item(&s.item)))
                        .build()
                        .map_err(|e| invalid(operation, &element, e))?;
                    items.push(TransactWriteItem::builder().put(put).build());
                }
                let out = client
                    .transact_write_items()
                    .set_transact_items(Some(items))
                    .return_consumed_capacity(total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Done {
                    passed: true,
                    detail: format!("wrote scratch {} in one transaction", names(scratches)),
                    capacity: capacity(out.consumed_capacity()),
                    items: scratches.len() as u64,
                })
            }
            Operation::BatchWriteItem => self.batch_write(operation, &element, scratches).await,
            // PutItem, and any other write: one item put.
            _ => {
                let out = client
                    .put_item()
                    .table_name(&first.table)
                    .set_item(Some(to_sdk_item(&first.item)))
                    .return_consumed_capacity(total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Done {
                    passed: true,
                    detail: format!("wrote a scratch `{}`", first.entity),
                    capacity: capacity(out.consumed_capacity()),
                    items: 1,
                })
            }
        }
    }

    async fn batch_write(
        &self,
        operation: &str,
        element: &str,
        scratches: &[Scratch],
    ) -> Result<Done, DeployError> {
        let mut requests: HashMap<String, Vec<WriteRequest>> = HashMap::new();
        for s in scratches {
            let put = PutRequest::builder()
                .set_item(Some(to_sdk_item(&s.item)))
                .build()
                .map_err(|e| invalid(operation, element, e))?;
            requests
                .entry(s.table.clone())
                .or_default()
                .push(WriteRequest::builder().put_request(put).build());
        }
        let mut units = None;
        let mut attempt = 0;
        while !requests.is_empty() {
            attempt += 1;
            let out = self
                .dynamo
                .client
                .batch_write_item()
                .set_request_items(Some(std::mem::take(&mut requests)))
                .return_consumed_capacity(ReturnConsumedCapacity::Total)
                .send()
                .await
                .map_err(|e| self.dynamo.error(operation, element, e))?;
            if let Some(c) = capacity(out.consumed_capacity()) {
                units = Some(units.unwrap_or(0.0) + c);
            }
            requests = out.unprocessed_items.unwrap_or_default();
            requests.retain(|_, r| !r.is_empty());
            if !requests.is_empty() {
                if attempt >= 8 {
                    let left: usize = requests.values().map(Vec::len).sum();
                    return Ok(Done {
                        passed: false,
                        detail: format!("{left} items stayed unprocessed after {attempt} attempts"),
                        capacity: units,
                        items: (scratches.len() - left) as u64,
                    });
                }
                tokio::time::sleep(backoff(attempt)).await;
            }
        }
        Ok(Done {
            passed: true,
            detail: format!("wrote {} scratch items in one batch", scratches.len()),
            capacity: units,
            items: scratches.len() as u64,
        })
    }

    async fn put(&self, scratch: &Scratch, item: &Item) -> Result<(), DeployError> {
        self.dynamo
            .client
            .put_item()
            .table_name(&scratch.table)
            .set_item(Some(to_sdk_item(item)))
            .send()
            .await
            .map_err(|e| {
                self.dynamo
                    .error("PutItem", &format!("table `{}`", scratch.table), e)
            })?;
        Ok(())
    }

    /// Deletes the scratch items, or puts back the seeded item one replaced.
    async fn clean_up(&mut self, scratches: &[Scratch]) -> Result<(), DeployError> {
        for s in scratches {
            let done = match &s.restore {
                Some(seeded) => self.put(s, seeded).await,
                None => self
                    .dynamo
                    .client
                    .delete_item()
                    .table_name(&s.table)
                    .set_key(Some(to_sdk_item(&s.key)))
                    .send()
                    .await
                    .map(|_| ())
                    .map_err(|e| {
                        self.dynamo
                            .error("DeleteItem", &format!("table `{}`", s.table), e)
                    }),
            };
            if let Err(e) = done {
                let text = fatal(e)?;
                self.logs.push(format!(
                    "could not remove the scratch item {} from {}: {text}",
                    key_text(&s.key),
                    s.table
                ));
            }
        }
        Ok(())
    }
}

fn invalid(operation: &str, element: &str, e: impl std::fmt::Display) -> DeployError {
    DeployError::Rejected {
        operation: operation.to_string(),
        element: element.to_string(),
        message: e.to_string(),
    }
}

/// "`Order`, `OrderItem` and `Product`" (each entity once).
fn names(scratches: &[Scratch]) -> String {
    let mut names: Vec<String> = Vec::new();
    for s in scratches {
        let name = format!("`{}`", s.entity);
        if !names.contains(&name) {
            names.push(name);
        }
    }
    names.join(", ")
}
