//! Seeding: the model's sample items written with BatchWriteItem, 25 items per
//! request, several requests in flight, unprocessed items sent again with
//! exponential backoff. Writing the same items twice is harmless (PutRequest
//! replaces), so a seed that stopped part-way can simply run again.

use std::time::Duration;

use aws_sdk_dynamodb::types::{PutRequest, WriteRequest};
use tokio::task::JoinSet;

use super::client::Dynamo;
use super::convert::to_sdk_item;
use super::report::{EntitySeed, SeedReport};
use super::{Cancel, DeployError, Event};
use crate::analysis::sample_items::SampleSet;

/// DynamoDB's limit of items per BatchWriteItem.
pub const BATCH_SIZE: usize = 25;
/// Requests in flight at once.
pub const IN_FLIGHT: usize = 8;
/// Attempts at a batch whose items keep coming back unprocessed.
pub const MAX_ATTEMPTS: u32 = 10;

/// The pause before attempt `attempt + 1` at unprocessed items: 25 ms, doubling,
/// at most 2 s.
pub fn backoff(attempt: u32) -> Duration {
    let millis = 25u64.saturating_mul(1u64 << attempt.saturating_sub(1).min(16));
    Duration::from_millis(millis.min(2_000))
}

/// One BatchWriteItem's worth of items of one table.
struct Batch {
    table: String,
    /// (position in the report's entity list, items of it in this batch)
    entities: Vec<(usize, u64)>,
    /// The entities' names, for messages.
    names: Vec<String>,
    requests: Vec<WriteRequest>,
}

struct Written {
    entities: Vec<(usize, u64)>,
    requests: u64,
    retried: u64,
}

/// Writes every item of `samples`; `report` follows along, so it tells how far a
/// seed that stopped got.
pub async fn seed(
    dynamo: &Dynamo,
    samples: &SampleSet,
    on_event: &mut dyn FnMut(Event),
    cancel: &Cancel,
    report: &mut SeedReport,
) -> Result<(), DeployError> {
    report.entities = samples
        .entities
        .iter()
        .map(|e| EntitySeed {
            entity: e.entity.clone(),
            table: e.table.clone(),
            items: e.items.len() as u64,
            written: 0,
            duplicate_keys: e.duplicate_keys as u64,
        })
        .collect();
    report.items_total = samples.len() as u64;
    let mut batches = batches(samples)?.into_iter();
    on_event(Event::Log(format!(
        "Writing {} items of {} entities, {BATCH_SIZE} per request, {IN_FLIGHT} requests at a time",
        report.items_total,
        report.entities.len()
    )));
    let step = |report: &SeedReport| Event::Step {
        label: "Seeding items".to_string(),
        done: report.items_written,
        total: report.items_total,
    };
    on_event(step(report));
    let mut in_flight: JoinSet<Result<Written, DeployError>> = JoinSet::new();
    let mut failure: Option<DeployError> = None;
    loop {
        while failure.is_none() && in_flight.len() < IN_FLIGHT {
            if cancel.is_cancelled() {
                failure = Some(DeployError::Cancelled);
                break;
            }
            let Some(batch) = batches.next() else { break };
            in_flight.spawn(write_batch(dynamo.clone(), batch));
        }
        // After a failure, the requests already sent still finish and count.
        let Some(joined) = in_flight.join_next().await else {
            break;
        };
        match joined {
            Ok(Ok(written)) => {
                for (e, n) in written.entities {
                    report.entities[e].written += n;
                    report.items_written += n;
                }
                report.requests += written.requests;
                report.retried_items += written.retried;
                on_event(step(report));
            }
            Ok(Err(e)) => {
                failure.get_or_insert(e);
            }
            Err(join) => {
                failure.get_or_insert(DeployError::Rejected {
                    operation: "BatchWriteItem".into(),
                    element: "the seed".into(),
                    message: format!("a write task stopped: {join}"),
                });
            }
        }
    }
    match failure {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

/// The items grouped by table, in model order, cut into batches.
fn batches(samples: &SampleSet) -> Result<Vec<Batch>, DeployError> {
    let mut tables: Vec<&str> = Vec::new();
    for e in &samples.entities {
        if !tables.contains(&e.table.as_str()) {
            tables.push(&e.table);
        }
    }
    let mut out: Vec<Batch> = Vec::new();
    for table in tables {
        let mut current: Option<Batch> = None;
        for (position, entity) in samples.entities.iter().enumerate() {
            if entity.table != table {
                continue;
            }
            for item in &entity.items {
                let batch = current.get_or_insert_with(|| Batch {
                    table: table.to_string(),
                    entities: Vec::new(),
                    names: Vec::new(),
                    requests: Vec::with_capacity(BATCH_SIZE),
                });
                let put = PutRequest::builder()
                    .set_item(Some(to_sdk_item(item)))
                    .build()
                    .map_err(|e| DeployError::Rejected {
                        operation: "BatchWriteItem".into(),
                        element: format!("an item of `{}`", entity.entity),
                        message: e.to_string(),
                    })?;
                batch
                    .requests
                    .push(WriteRequest::builder().put_request(put).build());
                match batch.entities.last_mut() {
                    Some((e, n)) if *e == position => *n += 1,
                    _ => {
                        batch.entities.push((position, 1));
                        batch.names.push(format!("`{}`", entity.entity));
                    }
                }
                if batch.requests.len() == BATCH_SIZE {
                    out.extend(current.take());
                }
            }
        }
        out.extend(current.take());
    }
    Ok(out)
}

async fn write_batch(dynamo: Dynamo, batch: Batch) -> Result<Written, DeployError> {
    let Batch {
        table,
        entities,
        names,
        mut requests,
    } = batch;
    let element = || format!("{} items in table `{table}`", names.join(", "));
    let mut sent = 0;
    let mut retried = 0;
    let mut attempt = 0;
    loop {
        attempt += 1;
        sent += 1;
        let out = dynamo
            .client
            .batch_write_item()
            .request_items(table.clone(), requests)
            .send()
            .await
            .map_err(|e| dynamo.error("BatchWriteItem", &element(), e))?;
        requests = out
            .unprocessed_items
            .and_then(|mut left| left.remove(&table))
            .unwrap_or_default();
        if requests.is_empty() {
            return Ok(Written {
                entities,
                requests: sent,
                retried,
            });
        }
        if attempt >= MAX_ATTEMPTS {
            return Err(DeployError::Rejected {
                operation: "BatchWriteItem".into(),
                element: format!("table `{table}`"),
                message: format!(
                    "{} items were still unprocessed after {MAX_ATTEMPTS} attempts (the table is throttling writes)",
                    requests.len()
                ),
            });
        }
        retried += requests.len() as u64;
        tokio::time::sleep(backoff(attempt)).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::sample_items::{SampleCounts, generate};
    use crate::model::samples;

    #[test]
    fn backoff_doubles_up_to_a_cap() {
        let ms: Vec<u128> = (1..=9).map(|a| backoff(a).as_millis()).collect();
        assert_eq!(ms, [25, 50, 100, 200, 400, 800, 1600, 2000, 2000]);
        assert_eq!(backoff(0).as_millis(), 25);
        assert_eq!(backoff(u32::MAX).as_millis(), 2000);
    }

    #[test]
    fn batches_hold_25_items_of_one_table() {
        let model = samples::sample("ecommerce").unwrap().load().unwrap();
        let set = generate(&model, &SampleCounts::uniform(30));
        let batches = batches(&set).unwrap();
        let items: usize = batches.iter().map(|b| b.requests.len()).sum();
        assert_eq!(items, set.len());
        for b in &batches {
            assert!(!b.requests.is_empty() && b.requests.len() <= BATCH_SIZE);
            let counted: u64 = b.entities.iter().map(|(_, n)| n).sum();
            assert_eq!(counted as usize, b.requests.len());
            for (e, _) in &b.entities {
                assert_eq!(set.entities[*e].table, b.table);
            }
        }
        // Three tables: the last batch of each may be short, no other.
        let short = batches
            .iter()
            .filter(|b| b.requests.len() < BATCH_SIZE)
            .count();
        assert!(short <= 3, "{short} short batches");
    }
}
