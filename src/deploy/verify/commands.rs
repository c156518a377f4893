//! Patterns that keep the command they were imported with and that the model
//! cannot place (no entity has keys of the command's shape): the command is sent
//! as it stands, as the DynamoDB MCP server's own validation sends it, and it
//! passes when DynamoDB answers without an error (a conditional check that fails
//! is a failure, as there). Only against DynamoDB Local when it writes.

use std::collections::HashMap;
use std::time::Instant;

use aws_sdk_dynamodb::Client;
use aws_sdk_dynamodb::error::BuildError;
use aws_sdk_dynamodb::operation::delete_item::builders::DeleteItemFluentBuilder;
use aws_sdk_dynamodb::operation::get_item::builders::GetItemFluentBuilder;
use aws_sdk_dynamodb::operation::put_item::builders::PutItemFluentBuilder;
use aws_sdk_dynamodb::operation::query::builders::QueryFluentBuilder;
use aws_sdk_dynamodb::operation::scan::builders::ScanFluentBuilder;
use aws_sdk_dynamodb::operation::update_item::builders::UpdateItemFluentBuilder;
use aws_sdk_dynamodb::types::{
    AttributeValue, ConditionCheck, Delete, DeleteRequest, Get, KeysAndAttributes, Put, PutRequest,
    ReturnConsumedCapacity, ReturnValue, Select, TransactGetItem, TransactWriteItem, Update,
    WriteRequest,
};
use serde_json::Value;

use super::{PatternResult, Verifier, capacity, fatal, millis, result};
use crate::deploy::DeployError;
use crate::deploy::convert::to_sdk;
use crate::deploy::report::PatternOutcome;
use crate::export::aws_cli::AwsCall;
use crate::model::{AccessPattern, AttrValue};

type Attributes = HashMap<String, AttributeValue>;

/// What the call answered.
struct Answer {
    items: u64,
    capacity: Option<f64>,
}

impl Verifier<'_> {
    pub(super) async fn run_source(
        &mut self,
        pattern: &AccessPattern,
        command: &str,
    ) -> Result<PatternResult, DeployError> {
        let mut out = result(pattern, String::new());
        let call = match AwsCall::parse(command) {
            Ok(call) => call.with_table_prefix(&self.dynamo.table_prefix),
            Err(why) => {
                out.detail = format!("not run: the imported command cannot be read: {why}");
                return Ok(out);
            }
        };
        out.call = Some(call.operation.to_string());
        out.table = call.tables().first().map(|t| t.to_string());
        out.index = call.text("IndexName").map(str::to_string);
        out.request = format!("the imported command: {}", one_line(command));
        if writes(&call) && !self.dynamo.local {
            out.detail =
                "not run: an imported command that writes runs only against DynamoDB Local".into();
            return Ok(out);
        }
        let started = Instant::now();
        let answer = self.send(&call).await;
        out.latency_ms = Some(millis(started));
        match answer {
            Ok(Ok(answer)) => {
                out.outcome = PatternOutcome::Passed;
                out.items_returned = Some(answer.items);
                out.consumed_capacity = answer.capacity;
                out.detail = format!(
                    "ran the command it was imported with (no entity of the model has keys of its shape): {} item(s)",
                    answer.items
                );
            }
            Ok(Err(why)) => out.detail = format!("not run: the imported command: {why}"),
            Err(e) => out.detail = fatal(e)?,
        }
        Ok(out)
    }

    /// `Ok(Err)` when the request cannot be built from the command; `Err` is
    /// DynamoDB's (or the endpoint's) answer.
    async fn send(&self, call: &AwsCall) -> Result<Result<Answer, String>, DeployError> {
        let client = &self.dynamo.client;
        let request = match Request::build(call, client) {
            Ok(r) => r,
            Err(why) => return Ok(Err(why)),
        };
        let total = ReturnConsumedCapacity::Total;
        let element = format!("table `{}`", call.tables().join("`, `"));
        // One closure per SDK error type.
        macro_rules! failed {
            () => {
                |e| self.dynamo.error(call.operation, &element, e)
            };
        }
        // Each request type sends alike: ask for the consumed capacity, send, and
        // count what came back.
        macro_rules! answered {
            ($request:expr, $out:ident => $items:expr) => {{
                let $out = $request
                    .return_consumed_capacity(total)
                    .send()
                    .await
                    .map_err(failed!())?;
                Answer {
                    items: $items,
                    capacity: capacity($out.consumed_capacity()),
                }
            }};
        }
        let answer = match request {
            Request::Get(r) => answered!(r, out => u64::from(out.item().is_some())),
            Request::Query(r) => answered!(r, out => count(out.count())),
            Request::Scan(r) => answered!(r, out => count(out.count())),
            Request::Put(r) => answered!(r, out => 1),
            Request::Update(r) => answered!(r, out => 1),
            Request::Delete(r) => answered!(r, out => 1),
            Request::BatchGet(requests) => answered!(
                client.batch_get_item().set_request_items(Some(requests)),
                out => out
                    .responses()
                    .map_or(0, |r| r.values().map(Vec::len).sum::<usize>() as u64)
            ),
            Request::BatchWrite(requests) => {
                let items = requests.values().map(Vec::len).sum::<usize>() as u64;
                answered!(client.batch_write_item().set_request_items(Some(requests)), out => items)
            }
            Request::TransactGet(actions) => answered!(
                client.transact_get_items().set_transact_items(Some(actions)),
                out => out.responses().iter().filter(|r| r.item().is_some()).count() as u64
            ),
            Request::TransactWrite(actions) => {
                let items = actions.len() as u64;
                answered!(client.transact_write_items().set_transact_items(Some(actions)), out => items)
            }
        };
        Ok(Ok(answer))
    }
}

fn count(n: i32) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

fn one_line(command: &str) -> String {
    command.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether the call changes items.
fn writes(call: &AwsCall) -> bool {
    matches!(
        call.operation,
        "PutItem" | "UpdateItem" | "DeleteItem" | "BatchWriteItem" | "TransactWriteItems"
    )
}

/// The request a command stands for, in the SDK's types.
enum Request {
    Get(GetItemFluentBuilder),
    Query(QueryFluentBuilder),
    Scan(ScanFluentBuilder),
    Put(PutItemFluentBuilder),
    Update(UpdateItemFluentBuilder),
    Delete(DeleteItemFluentBuilder),
    BatchGet(HashMap<String, KeysAndAttributes>),
    BatchWrite(HashMap<String, Vec<WriteRequest>>),
    TransactGet(Vec<TransactGetItem>),
    TransactWrite(Vec<TransactWriteItem>),
}

/// Parameters a command may carry that the request here does not send: run
/// without them, the call would be another call (a parallel scan's segment as a
/// whole scan, a legacy condition dropped).
const NOT_SENT: &[&str] = &[
    "Segment",
    "TotalSegments",
    "ExclusiveStartKey",
    "StartingToken",
    "ReturnItemCollectionMetrics",
    "KeyConditions",
    "QueryFilter",
    "ScanFilter",
    "Expected",
    "AttributeUpdates",
    "AttributesToGet",
    "ConditionalOperator",
];

impl Request {
    fn build(call: &AwsCall, client: &Client) -> Result<Request, String> {
        if let Some(name) = call.params.keys().find(|k| NOT_SENT.contains(&k.as_str())) {
            return Err(format!("its {name} is not sent by this verifier"));
        }
        let table = || {
            call.text("TableName")
                .map(str::to_string)
                .ok_or_else(|| "it names no --table-name".to_string())
        };
        let text = |name: &str| call.text(name).map(str::to_string);
        let names = names(call.json("ExpressionAttributeNames"))?;
        let values = match call.json("ExpressionAttributeValues") {
            Some(v) => Some(attributes(v, "--expression-attribute-values")?),
            None => None,
        };
        let key = || match call.json("Key") {
            Some(v) => attributes(v, "--key"),
            None => Err("it has no --key".to_string()),
        };
        // One page is sent: the CLI's own paging (--max-items, --page-size) caps it.
        let limit = ["Limit", "PageSize", "MaxItems"]
            .iter()
            .filter_map(|name| call.number(name))
            .min()
            .map(|l| i32::try_from(l).unwrap_or(i32::MAX));
        let return_values = text("ReturnValues").map(|v| ReturnValue::from(v.as_str()));
        Ok(match call.operation {
            "GetItem" => Request::Get(
                client
                    .get_item()
                    .table_name(table()?)
                    .set_key(Some(key()?))
                    .set_consistent_read(call.flag("ConsistentRead"))
                    .set_projection_expression(text("ProjectionExpression"))
                    .set_expression_attribute_names(names),
            ),
            "Query" => Request::Query(
                client
                    .query()
                    .table_name(table()?)
                    .set_index_name(text("IndexName"))
                    .set_key_condition_expression(text("KeyConditionExpression"))
                    .set_filter_expression(text("FilterExpression"))
                    .set_projection_expression(text("ProjectionExpression"))
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_scan_index_forward(call.flag("ScanIndexForward"))
                    .set_consistent_read(call.flag("ConsistentRead"))
                    .set_select(text("Select").map(|s| Select::from(s.as_str())))
                    .set_limit(limit),
            ),
            "Scan" => Request::Scan(
                client
                    .scan()
                    .table_name(table()?)
                    .set_index_name(text("IndexName"))
                    .set_filter_expression(text("FilterExpression"))
                    .set_projection_expression(text("ProjectionExpression"))
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_consistent_read(call.flag("ConsistentRead"))
                    .set_select(text("Select").map(|s| Select::from(s.as_str())))
                    .set_limit(limit),
            ),
            "PutItem" => Request::Put(
                client
                    .put_item()
                    .table_name(table()?)
                    .set_item(Some(match call.json("Item") {
                        Some(v) => attributes(v, "--item")?,
                        None => return Err("it has no --item".into()),
                    }))
                    .set_condition_expression(text("ConditionExpression"))
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_return_values(return_values),
            ),
            "UpdateItem" => Request::Update(
                client
                    .update_item()
                    .table_name(table()?)
                    .set_key(Some(key()?))
                    .set_update_expression(text("UpdateExpression"))
                    .set_condition_expression(text("ConditionExpression"))
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_return_values(return_values),
            ),
            "DeleteItem" => Request::Delete(
                client
                    .delete_item()
                    .table_name(table()?)
                    .set_key(Some(key()?))
                    .set_condition_expression(text("ConditionExpression"))
                    .set_expression_attribute_names(names)
                    .set_expression_attribute_values(values)
                    .set_return_values(return_values),
            ),
            "BatchGetItem" => Request::BatchGet(batch_get(call.json("RequestItems"))?),
            "BatchWriteItem" => Request::BatchWrite(batch_write(call.json("RequestItems"))?),
            "TransactGetItems" => Request::TransactGet(transact_get(call.json("TransactItems"))?),
            "TransactWriteItems" => {
                Request::TransactWrite(transact_write(call.json("TransactItems"))?)
            }
            other => return Err(format!("{other} is not sent")),
        })
    }
}

/// A DynamoDB-JSON map (an item, a key, expression values).
fn attributes(value: &Value, what: &str) -> Result<Attributes, String> {
    let Value::Object(map) = value else {
        return Err(format!("{what} is not a JSON object"));
    };
    map.iter()
        .map(|(name, v)| {
            AttrValue::from_json(v)
                .map(|a| (name.clone(), to_sdk(&a)))
                .map_err(|e| format!("{what}: `{name}`: {e}"))
        })
        .collect()
}

fn names(value: Option<&Value>) -> Result<Option<HashMap<String, String>>, String> {
    let Some(value) = value else { return Ok(None) };
    serde_json::from_value(value.clone())
        .map(Some)
        .map_err(|_| "--expression-attribute-names is not a map of names".to_string())
}

fn field<'v>(body: &'v Value, name: &str) -> Option<&'v Value> {
    body.get(name)
}

fn text_of(body: &Value, name: &str) -> Option<String> {
    body.get(name).and_then(Value::as_str).map(str::to_string)
}

fn built<T>(r: Result<T, BuildError>) -> Result<T, String> {
    r.map_err(|e| e.to_string())
}

fn batch_get(value: Option<&Value>) -> Result<HashMap<String, KeysAndAttributes>, String> {
    let Some(Value::Object(tables)) = value else {
        return Err("it has no --request-items".into());
    };
    let mut out = HashMap::new();
    for (table, body) in tables {
        let keys = field(body, "Keys")
            .and_then(Value::as_array)
            .ok_or_else(|| format!("--request-items: `{table}` has no Keys"))?
            .iter()
            .map(|k| attributes(k, "--request-items Keys"))
            .collect::<Result<Vec<_>, _>>()?;
        let request = KeysAndAttributes::builder()
            .set_keys(Some(keys))
            .set_consistent_read(field(body, "ConsistentRead").and_then(Value::as_bool))
            .set_projection_expression(text_of(body, "ProjectionExpression"))
            .set_expression_attribute_names(names(field(body, "ExpressionAttributeNames"))?)
            .build();
        out.insert(table.clone(), built(request)?);
    }
    Ok(out)
}

fn batch_write(value: Option<&Value>) -> Result<HashMap<String, Vec<WriteRequest>>, String> {
    let Some(Value::Object(tables)) = value else {
        return Err("it has no --request-items".into());
    };
    let mut out = HashMap::new();
    for (table, body) in tables {
        let list = body
            .as_array()
            .ok_or_else(|| format!("--request-items: `{table}` is not a list of requests"))?;
        let mut requests = Vec::with_capacity(list.len());
        for r in list {
            let request = if let Some(item) = r.pointer("/PutRequest/Item") {
                WriteRequest::builder()
                    .put_request(built(
                        PutRequest::builder()
                            .set_item(Some(attributes(item, "PutRequest.Item")?))
                            .build(),
                    )?)
                    .build()
            } else if let Some(key) = r.pointer("/DeleteRequest/Key") {
                WriteRequest::builder()
                    .delete_request(built(
                        DeleteRequest::builder()
                            .set_key(Some(attributes(key, "DeleteRequest.Key")?))
                            .build(),
                    )?)
                    .build()
            } else {
                return Err(format!(
                    "--request-items: `{table}` holds a request that is neither a PutRequest nor a DeleteRequest"
                ));
            };
            requests.push(request);
        }
        out.insert(table.clone(), requests);
    }
    Ok(out)
}

fn transact_get(value: Option<&Value>) -> Result<Vec<TransactGetItem>, String> {
    let Some(Value::Array(actions)) = value else {
        return Err("it has no --transact-items".into());
    };
    actions
        .iter()
        .map(|a| {
            let get = a
                .get("Get")
                .ok_or("--transact-items: an action other than Get")?;
            let request = Get::builder()
                .set_table_name(text_of(get, "TableName"))
                .set_key(Some(attributes(
                    field(get, "Key").unwrap_or(&Value::Null),
                    "Get.Key",
                )?))
                .set_projection_expression(text_of(get, "ProjectionExpression"))
                .set_expression_attribute_names(names(field(get, "ExpressionAttributeNames"))?)
                .build();
            Ok(TransactGetItem::builder().get(built(request)?).build())
        })
        .collect()
}

fn transact_write(value: Option<&Value>) -> Result<Vec<TransactWriteItem>, String> {
    let Some(Value::Array(actions)) = value else {
        return Err("it has no --transact-items".into());
    };
    let mut out = Vec::with_capacity(actions.len());
    for action in actions {
        let values = |body: &Value, what: &str| -> Result<Option<Attributes>, String> {
            field(body, "ExpressionAttributeValues")
                .map(|v| attributes(v, what))
                .transpose()
        };
        let key =
            |body: &Value, what: &str| attributes(field(body, "Key").unwrap_or(&Value::Null), what);
        let item = if let Some(put) = action.get("Put") {
            let request = Put::builder()
                .set_table_name(text_of(put, "TableName"))
                .set_item(Some(attributes(
                    field(put, "Item").unwrap_or(&Value::Null),
                    "Put.Item",
                )?))
                .set_condition_expression(text_of(put, "ConditionExpression"))
                .set_expression_attribute_names(names(field(put, "ExpressionAttributeNames"))?)
                .set_expression_attribute_values(values(put, "Put.ExpressionAttributeValues")?)
                .build();
            TransactWriteItem::builder().put(built(request)?).build()
        } else if let Some(update) = action.get("Update") {
            let request = Update::builder()
                .set_table_name(text_of(update, "TableName"))
                .set_key(Some(key(update, "Update.Key")?))
                .set_update_expression(text_of(update, "UpdateExpression"))
                .set_condition_expression(text_of(update, "ConditionExpression"))
                .set_expression_attribute_names(names(field(update, "ExpressionAttributeNames"))?)
                .set_expression_attribute_values(values(
                    update,
                    "Update.ExpressionAttributeValues",
                )?)
                .build();
            TransactWriteItem::builder().update(built(request)?).build()
        } else if let Some(delete) = action.get("Delete") {
            let request = Delete::builder()
                .set_table_name(text_of(delete, "TableName"))
                .set_key(Some(key(delete, "Delete.Key")?))
                .set_condition_expression(text_of(delete, "ConditionExpression"))
                .set_expression_attribute_names(names(field(delete, "ExpressionAttributeNames"))?)
                .set_expression_attribute_values(values(
                    delete,
                    "Delete.ExpressionAttributeValues",
                )?)
                .build();
            TransactWriteItem::builder().delete(built(request)?).build()
        } else if let Some(check) = action.get("ConditionCheck") {
            let request = ConditionCheck::builder()
                .set_table_name(text_of(check, "TableName"))
                .set_key(Some(key(check, "ConditionCheck.Key")?))
                .set_condition_expression(text_of(check, "ConditionExpression"))
                .set_expression_attribute_names(names(field(check, "ExpressionAttributeNames"))?)
                .set_expression_attribute_values(values(
                    check,
                    "ConditionCheck.ExpressionAttributeValues",
                )?)
                .build();
            TransactWriteItem::builder()
                .condition_check(built(request)?)
                .build()
        } else {
            return Err(
                "--transact-items: an action that is not Put, Update, Delete or ConditionCheck"
                    .into(),
            );
        };
        out.push(item);
    }
    Ok(out)
}
