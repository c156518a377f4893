//! Deploying a model to DynamoDB (Local): plan the tables against what the
//! endpoint has, create them, seed the sample items, and run every access
//! pattern as the resolver chose it. Runs on tokio with aws-sdk-dynamodb; the
//! model core never sees either.
//!
//! The GUI calls [`spawn`] (a background thread with its own runtime, progress as
//! [`Event`]s on a channel); the CLI awaits [`run`] on its own runtime.

mod calls;
mod changes;
mod classify;
mod client;
mod convert;
pub mod locality;
pub mod plan;
pub mod report;
mod scratch;
mod seed;
mod steps;
pub mod target;
#[cfg(test)]
mod test_support;
mod update;
mod verify;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::Sender;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

pub use plan::{Action, DeployPlan, StepMode, TableAction, TablePlan, TableSpec, TableStep};
pub use report::{
    DeployReport, EntitySeed, PatternOutcome, PatternResult, SeedReport, StepTaken, TablesReport,
    VerifyReport,
};
pub use target::{DEFAULT_ENDPOINT, DEFAULT_REGION, Target};

use crate::analysis::sample_items::SampleCounts;
use crate::model::Model;
use client::Dynamo;
use steps::Steps;

/// What to do. Every job first plans (reads what the endpoint has).
#[derive(Clone, Debug, PartialEq)]
pub enum Job {
    /// Compare the model's tables with the endpoint's; change nothing.
    Plan,
    /// Create the missing tables and take the steps that change the differing
    /// ones in place (new GSIs, time to live, streams, capacity); with
    /// `recreate` (loopback endpoints only) also the steps that delete: a GSI
    /// dropped or reshaped, a table whose keys changed deleted and created again.
    Deploy { recreate: bool },
    /// Write the sample items (tables must exist).
    Seed { counts: SampleCounts },
    /// Run every access pattern against the seeded tables.
    Verify,
    /// Deploy, seed and verify.
    All {
        recreate: bool,
        counts: SampleCounts,
    },
}

/// Progress of a running job, in order; the last one is `Finished` or `Failed`.
// A few hundred bytes per event, a few hundred events per job: boxing the report
// would buy nothing and cost every receiver a deref.
#[allow(clippy::large_enum_variant)]
#[derive(Clone, Debug, PartialEq)]
pub enum Event {
    /// The current step and how far it is (`done` of `total`).
    Step {
        label: String,
        done: u64,
        total: u64,
    },
    /// A line for the log.
    Log(String),
    /// What the endpoint has compared with the model (every job sends one first,
    /// unless the endpoint cannot be reached).
    Planned(DeployPlan),
    /// The job ended. When it stopped part-way, `report.error` says why and the
    /// report says how far it got; running the job again continues safely.
    Finished(DeployReport),
    /// The job could not start (an endpoint refused before any request was made).
    Failed(String),
}

/// Asks a running job to stop at the next table, batch or pattern.
#[derive(Clone, Debug, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn cancel(&self) {
        self.0.store(true, Ordering::SeqCst);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::SeqCst)
    }
}

/// One table's schema differences, for [`DeployError::TableDiffers`].
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct TableDifferences {
    pub table: String,
    pub differences: Vec<String>,
    /// The steps deploy takes only with recreate: `delete GSI GSI1 of Users`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<String>,
}

#[derive(thiserror::Error, Serialize, Deserialize, Clone, Debug, PartialEq)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DeployError {
    #[error("`{endpoint}` is not an endpoint URL: {reason}")]
    InvalidEndpoint { endpoint: String, reason: String },
    #[error(
        "{endpoint} is not on this machine{}: deploying there needs an explicit opt-in (--allow-remote, or confirming the endpoint in the Deploy tab)",
        if reason.is_empty() { String::new() } else { format!(" ({reason})") }
    )]
    RemoteNotAllowed {
        endpoint: String,
        /// Why it is not local: `it resolves to 10.0.0.5`.
        #[serde(default, skip_serializing_if = "String::is_empty")]
        reason: String,
    },
    #[error(
        "tables on {endpoint} are never deleted or replaced: recreate works on a local endpoint only"
    )]
    RemoteRecreate { endpoint: String },
    #[error("{}", unreachable_text(endpoint, *local, detail))]
    Unreachable {
        endpoint: String,
        local: bool,
        detail: String,
    },
    #[error(
        "{operation} on {element} timed out after {seconds} s waiting for {waiting_for} from {endpoint}"
    )]
    TimedOut {
        endpoint: String,
        operation: String,
        element: String,
        seconds: f64,
        /// `an answer`, or `the connection to be accepted (each of 3 attempts)`.
        waiting_for: String,
    },
    #[error("not a DynamoDB endpoint: {endpoint} answered {operation} with {detail}")]
    NotDynamoDb {
        endpoint: String,
        operation: String,
        detail: String,
    },
    #[error(
        "ListTables on {endpoint} still offered a next page after {pages} pages ({names} table names): stopped at that limit; an endpoint that pages on and on is not DynamoDB as deploy knows it"
    )]
    EndlessListing {
        endpoint: String,
        pages: usize,
        names: usize,
    },
    #[error("{}", differs_text(tables, *can_recreate))]
    TableDiffers {
        tables: Vec<TableDifferences>,
        can_recreate: bool,
    },
    #[error("{} {} not exist on the endpoint: deploy the model first", tables.iter().map(|t| format!("table {t}")).collect::<Vec<_>>().join(", "), if tables.len() == 1 { "does" } else { "do" })]
    MissingTables { tables: Vec<String> },
    #[error("DynamoDB rejected CreateTable for {element}: {message}")]
    CreateRejected {
        table: String,
        /// The model element the message concerns: "GSI `GSI1` of table `Users`".
        element: String,
        message: String,
    },
    #[error("DynamoDB rejected {operation} on {element}: {message}")]
    Rejected {
        operation: String,
        element: String,
        message: String,
    },
    #[error(
        "gave up after {seconds} s waiting for {element} to {what}; DynamoDB goes on with it: check the table with DescribeTable and deploy again once it is ACTIVE"
    )]
    WaitTimedOut {
        element: String,
        what: String,
        seconds: u64,
    },
    #[error("table {table} still differs from the model after its steps: {}", differences.join("; "))]
    StillDiffers {
        table: String,
        differences: Vec<String>,
    },
    #[error("cancelled")]
    Cancelled,
    #[error("could not start the deploy runtime: {0}")]
    Runtime(String),
}

impl DeployError {
    /// The endpoint cannot be used at all (nothing answers, it does not answer in
    /// time, or it is not DynamoDB): nothing else is worth trying on it.
    pub fn is_endpoint_failure(&self) -> bool {
        matches!(
            self,
            DeployError::Unreachable { .. }
                | DeployError::TimedOut { .. }
                | DeployError::NotDynamoDb { .. }
                | DeployError::EndlessListing { .. }
        )
    }
}

/// The bounds every job runs within: each is stated in the error that hits it.
#[derive(Clone, Debug, PartialEq)]
pub struct Limits {
    /// Resolving the endpoint's host name before the first request.
    pub resolve: Duration,
    /// Opening one connection.
    pub connect: Duration,
    /// One call, every attempt and the pauses between them included: a server
    /// that accepts the connection and never answers fails after this.
    pub operation: Duration,
    /// Attempts at one call (the SDK's standard retries: throttling, 5xx,
    /// connection errors).
    pub attempts: u32,
    /// ListTables pages read at most (100 names a page): 100,000 tables, ten
    /// times DynamoDB's largest table quota per account and region.
    pub list_pages: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            resolve: Duration::from_secs(5),
            connect: Duration::from_secs(3),
            operation: Duration::from_secs(20),
            attempts: 3,
            list_pages: 1000,
        }
    }
}

fn unreachable_text(endpoint: &str, local: bool, detail: &str) -> String {
    if local {
        format!(
            "Could not reach DynamoDB Local at {endpoint} — start it with scripts/dynamodb-local.sh"
        )
    } else {
        format!("Could not reach DynamoDB at {endpoint}: {detail}")
    }
}

fn differs_text(tables: &[TableDifferences], can_recreate: bool) -> String {
    let each: Vec<String> = tables
        .iter()
        .map(|t| {
            let mut text = format!(
                "table {} exists with another schema ({})",
                t.table,
                t.differences.join("; ")
            );
            if !t.steps.is_empty() {
                text.push_str(&format!(
                    " and needs recreate to {}",
                    t.steps.join(", then ")
                ));
            }
            text
        })
        .collect();
    let fix = if can_recreate {
        "nothing was changed; deploy with recreate to take those steps"
    } else {
        "nothing was changed; nothing is ever deleted on a remote endpoint: change the model or use another table prefix"
    };
    format!("{} — {fix}", each.join("; "))
}

/// Runs `job` on a background thread with its own tokio runtime. Every event is
/// sent on `events`, followed by a call to `wake` (the GUI repaints); the last
/// event is always `Finished` or `Failed`.
pub fn spawn(
    job: Job,
    model: Model,
    target: Target,
    events: Sender<Event>,
    wake: Arc<dyn Fn() + Send + Sync>,
    cancel: Cancel,
) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let send = |event: Event| {
            // The receiver may be gone (the window closed): nothing to tell then.
            let _ = events.send(event);
            wake();
        };
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("dynamodel-deploy")
            .enable_all()
            .build();
        let last = match runtime {
            Err(e) => Event::Failed(DeployError::Runtime(e.to_string()).to_string()),
            Ok(runtime) => {
                let mut on_event = |event: Event| send(event);
                match runtime.block_on(run(job, &model, &target, &mut on_event, &cancel)) {
                    Ok(report) => Event::Finished(report),
                    Err(e) => Event::Failed(e.to_string()),
                }
            }
        };
        send(last);
    })
}

/// Runs `job` and returns its report. `Err` only when the job could not start
/// (a bad or refused endpoint, before any request); a job that stopped part-way
/// returns its report with `error` set.
pub async fn run(
    job: Job,
    model: &Model,
    target: &Target,
    on_event: &mut dyn FnMut(Event),
    cancel: &Cancel,
) -> Result<DeployReport, DeployError> {
    run_with_limits(job, model, target, &Limits::default(), on_event, cancel).await
}

/// [`run`] within other bounds (tests make them short).
pub async fn run_with_limits(
    job: Job,
    model: &Model,
    target: &Target,
    limits: &Limits,
    on_event: &mut dyn FnMut(Event),
    cancel: &Cancel,
) -> Result<DeployReport, DeployError> {
    target.validate()?;
    let recreate = matches!(
        job,
        Job::Deploy { recreate: true } | Job::All { recreate: true, .. }
    );
    // Decided on the resolved addresses before the first connection; the client
    // of a local endpoint connects to those addresses only.
    let place = locality::locate(target, limits.resolve).await;
    if !place.local && !target.allow_remote {
        return Err(DeployError::RemoteNotAllowed {
            endpoint: target.endpoint.clone(),
            reason: place.reason,
        });
    }
    if recreate && !place.local {
        return Err(DeployError::RemoteRecreate {
            endpoint: target.endpoint.clone(),
        });
    }
    let started = Instant::now();
    let model = plan::with_table_prefix(model, &target.table_prefix);
    let dynamo = Dynamo::connect(target, &place, limits).await;
    let mut report = DeployReport {
        target: target.description_for(place.local),
        endpoint: dynamo.endpoint.clone(),
        local: dynamo.local,
        ..DeployReport::default()
    };
    let outcome = Steps {
        model: &model,
        dynamo: &dynamo,
        on_event,
        cancel,
        report: &mut report,
    }
    .run(job)
    .await;
    report.elapsed_ms = millis(started);
    // Said once, by whoever shows the report (the CLI, the Deploy tab).
    report.error = outcome.err();
    Ok(report)
}

/// Milliseconds since `started`, to the microsecond.
fn millis(started: Instant) -> f64 {
    (started.elapsed().as_secs_f64() * 1_000_000.0).round() / 1000.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_read_as_sentences() {
        let unreachable = DeployError::Unreachable {
            endpoint: "http://localhost:8000".into(),
            local: true,
            detail: "connection refused".into(),
        };
        assert_eq!(
            unreachable.to_string(),
            "Could not reach DynamoDB Local at http://localhost:8000 — start it with scripts/dynamodb-local.sh"
        );
        let differs = DeployError::TableDiffers {
            tables: vec![TableDifferences {
                table: "Users".into(),
                differences: vec![
                    "GSI GSI1 projection: ALL in the model, KEYS_ONLY on the endpoint".into(),
                ],
                steps: vec![
                    "delete GSI GSI1 of Users".into(),
                    "create GSI GSI1 on Users".into(),
                ],
            }],
            can_recreate: true,
        };
        assert_eq!(
            differs.to_string(),
            "table Users exists with another schema (GSI GSI1 projection: ALL in the model, KEYS_ONLY on the endpoint) and needs recreate to delete GSI GSI1 of Users, then create GSI GSI1 on Users — nothing was changed; deploy with recreate to take those steps"
        );
        assert_eq!(
            DeployError::WaitTimedOut {
                element: "GSI `GSI1` of table `Orders`".into(),
                what: "become ACTIVE and finish its backfill".into(),
                seconds: 600,
            }
            .to_string(),
            "gave up after 600 s waiting for GSI `GSI1` of table `Orders` to become ACTIVE and finish its backfill; DynamoDB goes on with it: check the table with DescribeTable and deploy again once it is ACTIVE"
        );
        assert_eq!(
            DeployError::MissingTables {
                tables: vec!["A".into(), "B".into()]
            }
            .to_string(),
            "table A, table B do not exist on the endpoint: deploy the model first"
        );
    }

    #[test]
    fn faults_read_as_what_they_are() {
        let timed_out = DeployError::TimedOut {
            endpoint: "http://127.0.0.1:9".into(),
            operation: "ListTables".into(),
            element: "the endpoint".into(),
            seconds: 20.0,
            waiting_for: "an answer".into(),
        };
        assert_eq!(
            timed_out.to_string(),
            "ListTables on the endpoint timed out after 20 s waiting for an answer from http://127.0.0.1:9"
        );
        let garbage = DeployError::NotDynamoDb {
            endpoint: "http://127.0.0.1:9".into(),
            operation: "ListTables".into(),
            detail: "HTTP 200 (text/html): `<html>` (no JSON)".into(),
        };
        assert!(garbage.to_string().starts_with(
            "not a DynamoDB endpoint: http://127.0.0.1:9 answered ListTables with HTTP 200"
        ));
        let remote = DeployError::RemoteNotAllowed {
            endpoint: "http://db.localhost:8000".into(),
            reason: "it resolves to 10.0.0.5".into(),
        };
        assert!(
            remote
                .to_string()
                .starts_with("http://db.localhost:8000 is not on this machine (it resolves to 10.0.0.5): deploying there needs an explicit opt-in"),
            "{remote}"
        );
        for e in [&timed_out, &garbage] {
            assert!(e.is_endpoint_failure());
        }
        assert!(!remote.is_endpoint_failure() && !DeployError::Cancelled.is_endpoint_failure());
    }

    #[test]
    fn cancel_is_shared_between_clones() {
        let cancel = Cancel::new();
        let other = cancel.clone();
        assert!(!other.is_cancelled());
        cancel.cancel();
        assert!(other.is_cancelled());
    }

    #[test]
    fn a_refused_target_fails_before_any_request() {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let model = crate::model::samples::sample("ecommerce")
            .unwrap()
            .load()
            .unwrap();
        let remote = Target::local("https://dynamodb.us-east-1.amazonaws.com");
        let mut events = Vec::new();
        let result = runtime.block_on(run(
            Job::Plan,
            &model,
            &remote,
            &mut |e| events.push(e),
            &Cancel::new(),
        ));
        assert!(matches!(result, Err(DeployError::RemoteNotAllowed { .. })));
        assert!(events.is_empty(), "nothing was attempted: {events:?}");
        let allowed = Target {
            allow_remote: true,
            ..remote
        };
        let result = runtime.block_on(run(
            Job::Deploy { recreate: true },
            &model,
            &allowed,
            &mut |e| events.push(e),
            &Cancel::new(),
        ));
        assert!(matches!(result, Err(DeployError::RemoteRecreate { .. })));
        assert!(events.is_empty());
    }
}
