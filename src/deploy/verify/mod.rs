//! Verification: every access pattern run as the resolver chose it, against the
//! seeded tables. Reads are bound to the values of seeded items of their entity
//! (`probes`); writes work on scratch items and put everything back. Each
//! pattern's result records pass/fail, items returned, consumed capacity,
//! latency and DynamoDB's message when it fails.

mod commands;
mod probes;
mod reads;
mod writes;

use std::collections::BTreeMap;

use aws_sdk_dynamodb::types::ConsumedCapacity;

use super::classify::Classifier;
use super::client::Dynamo;
use super::report::{PatternOutcome, PatternResult, VerifyReport};
use super::{Cancel, DeployError, Event, millis};
use crate::analysis::sample_items::{SampleCounts, SampleSet, generate};
use crate::analysis::{Analysis, Resolution, Status};
use crate::model::{AccessPattern, IndexKind, Item, Model};

/// Seeded items kept per entity to bind calls to (a BatchGetItem reads several).
const PROBES: usize = 5;

struct Verifier<'a> {
    dynamo: &'a Dynamo,
    model: &'a Model,
    classifier: Classifier,
    /// Items found in the tables, per entity, in the order the samples list them.
    probes: BTreeMap<String, Vec<Item>>,
    /// The sample items the probes were looked for among; a write falls back to
    /// them for an entity with no item in its table.
    samples: SampleSet,
    /// Remarks for the event log (scratch items that could not be removed, …).
    logs: Vec<String>,
}

/// Runs every pattern of `model`; `counts` are those the tables were seeded
/// with (their items are looked for first). `report` follows along.
pub async fn verify(
    dynamo: &Dynamo,
    model: &Model,
    analysis: &Analysis,
    counts: &SampleCounts,
    on_event: &mut dyn FnMut(Event),
    cancel: &Cancel,
    report: &mut VerifyReport,
) -> Result<(), DeployError> {
    let total = model.access_patterns.len() as u64;
    on_event(Event::Step {
        label: "Finding seeded items".to_string(),
        done: 0,
        total,
    });
    let seeded = model.entities.iter().any(|e| counts.of(&e.name) > 0);
    let samples = generate(
        model,
        &if seeded {
            counts.clone()
        } else {
            SampleCounts::default()
        },
    );
    let mut verifier = Verifier {
        dynamo,
        model,
        classifier: Classifier::new(model),
        probes: BTreeMap::new(),
        samples,
        logs: Vec::new(),
    };
    verifier.find_probes().await?;
    for (done, (pattern, resolution)) in model
        .access_patterns
        .iter()
        .zip(&analysis.resolutions)
        .enumerate()
    {
        if cancel.is_cancelled() {
            return Err(DeployError::Cancelled);
        }
        on_event(Event::Step {
            label: format!("Verifying {}", pattern.id),
            done: done as u64,
            total,
        });
        let result = verifier.check(pattern, resolution).await;
        for line in verifier.logs.drain(..) {
            on_event(Event::Log(line));
        }
        report.results.push(result?);
    }
    on_event(Event::Step {
        label: "Verified".to_string(),
        done: total,
        total,
    });
    Ok(())
}

impl Verifier<'_> {
    /// One pattern's result; `Err` only when the endpoint went away or the job
    /// was cancelled — anything DynamoDB rejects is a failed pattern.
    async fn check(
        &mut self,
        pattern: &AccessPattern,
        resolution: &Resolution,
    ) -> Result<PatternResult, DeployError> {
        // A pattern the model cannot place runs as the command it was imported with.
        if let Some(source) = &pattern.source
            && pattern.outside_dynamodb.is_none()
            && (resolution.status == Status::Unresolved
                || resolution.status == Status::Write && resolution.problem.is_some()
                || pattern.entities.is_empty())
        {
            return self.run_source(pattern, &source.command).await;
        }
        match (resolution.status, &resolution.plan) {
            (Status::Outside, _) => Ok(PatternResult {
                outcome: PatternOutcome::Outside,
                ..result(
                    pattern,
                    format!(
                        "served outside DynamoDB: {}",
                        pattern.outside_dynamodb.as_deref().unwrap_or_default()
                    ),
                )
            }),
            (Status::Write, _) => match &resolution.problem {
                Some(problem) => Ok(result(pattern, format!("not run: {problem}"))),
                None => self.write(pattern).await,
            },
            (_, Some(plan)) if resolution.status != Status::Unresolved => {
                self.read(pattern, plan).await
            }
            _ => Ok(result(
                pattern,
                format!(
                    "not run: {}",
                    resolution
                        .problem
                        .as_deref()
                        .unwrap_or("the pattern has no plan to run")
                ),
            )),
        }
    }

    /// A seeded item of `entity` to copy scratch items from, else a sample one.
    fn base(&self, entity: &str) -> Option<&Item> {
        self.probes
            .get(entity)
            .and_then(|p| p.first())
            .or_else(|| self.samples.items_of(entity).first())
    }
}

/// A failed result with `detail`; callers fill in what they know.
fn result(pattern: &AccessPattern, detail: String) -> PatternResult {
    PatternResult {
        pattern: pattern.id.clone(),
        description: pattern.description.clone(),
        outcome: PatternOutcome::Failed,
        call: None,
        table: None,
        index: None,
        request: String::new(),
        items_returned: None,
        entities: BTreeMap::new(),
        consumed_capacity: None,
        latency_ms: None,
        detail,
    }
}

/// Errors that end verification (`Err`), or the text of one that fails a pattern.
fn fatal(error: DeployError) -> Result<String, DeployError> {
    match error {
        e if e.is_endpoint_failure() || e == DeployError::Cancelled => Err(e),
        other => Ok(other.to_string()),
    }
}

/// The capacity units DynamoDB reported, summed; `None` when it reported none.
fn capacity<'c>(consumed: impl IntoIterator<Item = &'c ConsumedCapacity>) -> Option<f64> {
    consumed
        .into_iter()
        .filter_map(ConsumedCapacity::capacity_units)
        .fold(None, |sum, units| Some(sum.unwrap_or(0.0) + units))
}

/// How an index is named in messages: "GSI `GSI1` of table `Users`".
fn element(table: &str, index: Option<&str>, kind: IndexKind) -> String {
    match (kind, index) {
        (IndexKind::Gsi, Some(i)) => format!("GSI `{i}` of table `{table}`"),
        (IndexKind::Lsi, Some(i)) => format!("LSI `{i}` of table `{table}`"),
        _ => format!("table `{table}`"),
    }
}
