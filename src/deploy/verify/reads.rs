//! Read patterns: the GetItem, BatchGetItem, Query or Scan of the resolver's
//! plan, bound to seeded items, and a verdict on what came back.

use std::collections::HashMap;
use std::time::Instant;

use aws_sdk_dynamodb::types::{AttributeValue, KeysAndAttributes, ReturnConsumedCapacity};

use super::{PatternResult, Verifier, capacity, element, fatal, millis, result};
use crate::analysis::Plan;
use crate::deploy::DeployError;
use crate::deploy::calls::{QueryCall, ReadCall, read_call};
use crate::deploy::classify::verdict;
use crate::deploy::convert::{from_sdk_item, to_sdk, to_sdk_item};
use crate::deploy::report::PatternOutcome;
use crate::model::{AccessPattern, Item};

/// What a read call brought back.
struct Answer {
    items: Vec<Item>,
    capacity: Option<f64>,
    /// Items the call must return at least (each key of a Get/BatchGet).
    expected: usize,
}

impl Verifier<'_> {
    pub(super) async fn read(
        &mut self,
        pattern: &AccessPattern,
        plan: &Plan,
    ) -> Result<PatternResult, DeployError> {
        let mut out = PatternResult {
            call: Some(plan.call.as_str().to_string()),
            table: Some(plan.table.to_string()),
            index: plan.index.as_deref().map(str::to_string),
            ..result(pattern, String::new())
        };
        let primary = pattern.primary_entity().unwrap_or_default();
        let items = self.probes.get(primary).map(Vec::as_slice).unwrap_or(&[]);
        if items.is_empty() {
            out.detail = format!(
                "not run: no `{primary}` item found in table `{}` to take the key values from — seed the tables first",
                plan.table
            );
            return Ok(out);
        }
        let call = match read_call(self.model, pattern, plan, items) {
            Ok(call) => call,
            Err(why) => {
                out.detail = format!("not run: {why}");
                return Ok(out);
            }
        };
        out.request = call.describe();
        let started = Instant::now();
        let answer = self.send_read(&call, plan).await;
        out.latency_ms = Some(millis(started));
        match answer {
            Err(e) => out.detail = fatal(e)?,
            Ok(answer) => {
                let v = verdict(
                    &self.classifier,
                    &plan.table,
                    pattern,
                    &answer.items,
                    answer.expected,
                );
                out.outcome = if v.passed {
                    PatternOutcome::Passed
                } else {
                    PatternOutcome::Failed
                };
                out.items_returned = Some(answer.items.len() as u64);
                out.consumed_capacity = answer.capacity;
                out.entities = v.entities;
                out.detail = v.detail;
            }
        }
        Ok(out)
    }

    async fn send_read(&self, call: &ReadCall, plan: &Plan) -> Result<Answer, DeployError> {
        let client = &self.dynamo.client;
        let operation = plan.call.as_str();
        let element = element(&plan.table, plan.index.as_deref(), plan.kind);
        match call {
            ReadCall::Get {
                table,
                key,
                consistent,
            } => {
                let out = client
                    .get_item()
                    .table_name(table)
                    .set_key(Some(to_sdk_item(key)))
                    .consistent_read(*consistent)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Answer {
                    items: out.item().map(from_sdk_item).into_iter().collect(),
                    capacity: capacity(out.consumed_capacity()),
                    expected: 1,
                })
            }
            ReadCall::BatchGet {
                table,
                keys,
                consistent,
            } => {
                let request = KeysAndAttributes::builder()
                    .set_keys(Some(keys.iter().map(to_sdk_item).collect()))
                    .consistent_read(*consistent)
                    .build()
                    .map_err(|e| DeployError::Rejected {
                        operation: operation.to_string(),
                        element: element.clone(),
                        message: e.to_string(),
                    })?;
                let out = client
                    .batch_get_item()
                    .request_items(table, request)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Answer {
                    items: out
                        .responses()
                        .and_then(|r| r.get(table))
                        .map(|items| items.iter().map(from_sdk_item).collect())
                        .unwrap_or_default(),
                    capacity: capacity(out.consumed_capacity()),
                    expected: keys.len(),
                })
            }
            ReadCall::Query(q) => {
                let (names, values) = expressions(q);
                let out = client
                    .query()
                    .table_name(&q.table)
                    .set_index_name(q.index.clone())
                    .set_key_condition_expression(q.key_condition.clone())
                    .set_filter_expression(q.filter.clone())
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .scan_index_forward(q.forward)
                    .set_limit(q.limit)
                    .consistent_read(q.consistent)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Answer {
                    items: out.items().iter().map(from_sdk_item).collect(),
                    capacity: capacity(out.consumed_capacity()),
                    expected: 1,
                })
            }
            ReadCall::Scan(q) => {
                let (names, values) = expressions(q);
                let out = client
                    .scan()
                    .table_name(&q.table)
                    .set_index_name(q.index.clone())
                    .set_filter_expression(q.filter.clone())
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_limit(q.limit)
                    .consistent_read(q.consistent)
                    .return_consumed_capacity(ReturnConsumedCapacity::Total)
                    .send()
                    .await
                    .map_err(|e| self.dynamo.error(operation, &element, e))?;
                Ok(Answer {
                    items: out.items().iter().map(from_sdk_item).collect(),
                    capacity: capacity(out.consumed_capacity()),
                    expected: 1,
                })
            }
        }
    }
}

type Names = Option<HashMap<String, String>>;
type Values = Option<HashMap<String, AttributeValue>>;

/// The placeholders of a Query or Scan; absent when empty (DynamoDB refuses empty maps).
fn expressions(q: &QueryCall) -> (Names, Values) {
    let names: HashMap<String, String> = q
        .expressions
        .names
        .iter()
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect();
    let values: HashMap<String, AttributeValue> = q
        .expressions
        .values
        .iter()
        .map(|(k, v)| (k.clone(), to_sdk(v)))
        .collect();
    (
        (!names.is_empty()).then_some(names),
        (!values.is_empty()).then_some(values),
    )
}
