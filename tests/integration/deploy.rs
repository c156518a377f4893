//! Deploying to the real DynamoDB Local: `DYNAMODB_ENDPOINT` when set (as
//! `scripts/test.sh` does), else `scripts/dynamodb-local.sh start` is run first.
//! A server that cannot be reached fails these tests; they never skip.
//!
//! The server is shared by every test of the run (`-sharedDb`), so each test puts
//! its own prefix before the model's table names.

use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use dynamodel::analysis::sample_items::SampleCounts;
use dynamodel::analysis::{self, Status};
use dynamodel::deploy::{
    self, Cancel, DeployError, DeployReport, Event, Job, PatternOutcome, Target,
};
use dynamodel::export::{self, ExportFormat, ExportOptions};
use dynamodel::model::{Model, Projection, Table, samples};

use crate::cli::run as cli;

/// Changing tables the endpoint already has: the plan's steps, taken in place or
/// only with recreate.
mod changes;
/// Endpoints that never answer, answer garbage, page forever, or are not here.
mod faults;
/// The DynamoDB Local the tests talk to, and the tables each test leaves there.
mod server;

pub use server::{DropTables, local_client, local_endpoint, local_target};
use server::{OwnServer, free_port};

fn model(id: &str) -> Model {
    samples::sample(id).unwrap().load().unwrap()
}

/// The workshop model with AP2 (users by username) pinned to GSI2 (by user id).
fn pinned_to_the_wrong_index() -> Model {
    let mut broken = model("ecommerce");
    let ap2 = broken.access_patterns.iter_mut().find(|p| p.id == "AP2");
    ap2.unwrap().index = Some("GSI2".into());
    broken
}

fn users_table(model: &mut Model) -> &mut Table {
    model.tables.iter_mut().find(|t| t.name == "Users").unwrap()
}

/// Runs a job to its end on a runtime of its own, collecting the events.
fn run(
    job: Job,
    model: &Model,
    target: &Target,
) -> (Result<DeployReport, DeployError>, Vec<Event>) {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    let mut events = Vec::new();
    let result = runtime.block_on(deploy::run(
        job,
        model,
        target,
        &mut |e| events.push(e),
        &Cancel::new(),
    ));
    (result, events)
}

/// A job that must run to its end without an error.
fn complete(job: Job, model: &Model, target: &Target) -> DeployReport {
    let (result, _) = run(job, model, target);
    let report = result.expect("the job starts");
    assert_eq!(report.error, None, "{}", report.text());
    report
}

fn all(count: usize) -> Job {
    Job::All {
        recreate: false,
        counts: SampleCounts::uniform(count),
    }
}

#[test]
fn every_served_pattern_of_the_workshop_model_passes() {
    let model = model("ecommerce");
    let target = local_target("ecommerce");
    let started = Instant::now();
    let report = complete(all(5), &model, &target);
    eprintln!(
        "deploy + seed (5 per entity) + verify of ecommerce: {:.0} ms wall, {:.0} ms in the job",
        started.elapsed().as_secs_f64() * 1000.0,
        report.elapsed_ms
    );
    let tables = report.tables.as_ref().unwrap();
    assert_eq!(tables.created.len(), 3, "{tables:?}");
    assert!(
        tables
            .created
            .iter()
            .all(|t| t.starts_with(&target.table_prefix))
    );
    let seed = report.seed.as_ref().unwrap();
    assert!(seed.items_total >= 30);
    assert_eq!(seed.items_written, seed.items_total);
    let verify = report.verify.as_ref().unwrap();
    let analysis = analysis::analyze(&model);
    assert_eq!(verify.results.len(), model.access_patterns.len());
    for (result, resolution) in verify.results.iter().zip(&analysis.resolutions) {
        assert_eq!(*result.pattern, *resolution.pattern);
        if resolution.status == Status::Outside {
            assert_eq!(result.outcome, PatternOutcome::Outside, "{result:?}");
            assert!(result.detail.starts_with("served outside DynamoDB"));
            continue;
        }
        assert_eq!(result.outcome, PatternOutcome::Passed, "{result:?}");
        assert!(result.latency_ms.is_some(), "{result:?}");
        assert!(
            result.consumed_capacity.is_some_and(|c| c > 0.0),
            "{result:?}"
        );
        if let Some(plan) = &resolution.plan {
            assert_eq!(result.call.as_deref(), Some(plan.call.as_str()));
            assert_eq!(result.index.as_deref(), plan.index.as_deref());
            assert!(result.items_returned.is_some_and(|n| n >= 1), "{result:?}");
        }
    }
    // AP31 reads an order with its lines: both entities come back, nothing else.
    let ap31 = verify.result("AP31").unwrap();
    assert!(ap31.entities.contains_key("Order") && ap31.entities.contains_key("OrderItem"));
    assert_eq!(ap31.entities.len(), 2, "{ap31:?}");
    // Writes leave the seeded items as they were: verifying again finds them all.
    let again = complete(Job::Verify, &model, &target);
    assert!(again.verify.unwrap().all_passed());
    // The run shows in the design document's Validation Results.
    let live = report.to_live_run().unwrap();
    assert_eq!(live.results.len(), model.access_patterns.len());
    let options = ExportOptions {
        live_run: Some(live),
        ..ExportOptions::default()
    };
    let doc = export::export(&model, ExportFormat::Markdown, &options).text;
    assert!(
        doc.contains(&format!(
            "Against DynamoDB Local at {}: 43 passed, 0 failed, 5 patterns not run.",
            target.endpoint
        )),
        "{doc}"
    );
    assert!(doc.contains("| AP38 | ✅ passed |"), "{doc}");
}

#[test]
fn the_first_draft_deploys_seeds_and_verifies_too() {
    let model = model("ecommerce-initial");
    let report = complete(all(3), &model, &local_target("initial"));
    assert_eq!(report.tables.as_ref().unwrap().created.len(), 5);
    let verify = report.verify.unwrap();
    assert_eq!(verify.results.len(), model.access_patterns.len());
    assert_eq!(verify.count(PatternOutcome::Outside), 3);
    // Its category listings scan the table, and the scans run as scans.
    let ap20 = verify.result("AP20").unwrap();
    assert_eq!(ap20.call.as_deref(), Some("Scan"));
    assert_eq!(ap20.outcome, PatternOutcome::Passed, "{ap20:?}");
    assert!(verify.all_passed(), "{:?}", verify.results);
}

#[test]
fn a_pattern_pinned_to_an_index_that_cannot_serve_it_fails_with_the_reason() {
    let broken = pinned_to_the_wrong_index();
    let report = complete(all(2), &broken, &local_target("pinned"));
    let verify = report.verify.as_ref().unwrap();
    let ap2 = verify.result("AP2").unwrap();
    assert_eq!(ap2.outcome, PatternOutcome::Failed);
    assert!(
        ap2.detail.contains("pinned index `GSI2` cannot serve it")
            && ap2.detail.contains("user_id"),
        "{}",
        ap2.detail
    );
    assert_eq!(verify.count(PatternOutcome::Failed), 1, "only AP2 fails");
    assert!(!report.succeeded());
    assert!(report.text().contains("AP2   ✘ FAILED"));
}

#[test]
fn a_query_that_cannot_tell_entities_apart_fails_on_what_came_back() {
    let mut broken = model("ecommerce");
    // Cart lines without their CART# marker share the user's partition unmarked:
    // a query for them also returns the user's profile items.
    let cart = broken
        .entities
        .iter_mut()
        .find(|e| e.name == "CartItem")
        .unwrap();
    cart.keys.insert("SK".into(), "{product_id}".into());
    let report = complete(all(3), &broken, &local_target("unmarked"));
    let ap38 = report.verify.as_ref().unwrap().result("AP38").unwrap();
    assert_eq!(ap38.outcome, PatternOutcome::Failed, "{ap38:?}");
    assert!(
        ap38.detail.contains("besides `CartItem`") && ap38.detail.contains("`User`"),
        "{}",
        ap38.detail
    );
    assert!(ap38.entities.contains_key("User"));
}

#[test]
fn redeploying_an_identical_model_is_a_no_op() {
    let model = model("ecommerce");
    let target = local_target("noop");
    let first = complete(Job::Deploy { recreate: false }, &model, &target);
    assert_eq!(first.tables.unwrap().created.len(), 3);
    let (plan, events) = run(Job::Plan, &model, &target);
    let plan = plan.unwrap().plan.unwrap();
    assert!(plan.is_noop(), "{:?}", plan.summary());
    assert!(
        events
            .iter()
            .any(|e| matches!(e, Event::Planned(p) if p.is_noop()))
    );
    let second = complete(Job::Deploy { recreate: true }, &model, &target);
    let tables = second.tables.unwrap();
    assert!(tables.created.is_empty() && tables.recreated.is_empty());
    assert_eq!(tables.unchanged.len(), 3);
}

#[test]
fn create_table_errors_name_dynamodbs_message_and_the_index() {
    let mut invalid = model("ecommerce");
    // Two GSIs of one name: the model checks flag it, DynamoDB refuses it.
    users_table(&mut invalid).gsis[1].name = "GSI1".into();
    let (report, _) = run(
        Job::Deploy { recreate: false },
        &invalid,
        &local_target("rejected"),
    );
    let error = report.unwrap().error.expect("DynamoDB refuses the table");
    let DeployError::CreateRejected {
        element, message, ..
    } = &error
    else {
        panic!("{error:?}")
    };
    assert!(
        element.contains("GSI `GSI1`") && element.contains("Users"),
        "{element}: {message}"
    );
    assert!(!message.is_empty());
    assert!(
        error
            .to_string()
            .starts_with("DynamoDB rejected CreateTable for"),
        "{error}"
    );
}

#[test]
fn a_server_stopped_mid_seed_is_a_clear_error_and_a_rerun_completes() {
    let server = OwnServer::start();
    let model = model("ecommerce");
    let target = Target::local(server.endpoint());
    let job = Job::All {
        recreate: false,
        counts: SampleCounts::uniform(1000),
    };
    let (sender, events) = mpsc::channel();
    let woken = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counter = woken.clone();
    let handle = deploy::spawn(
        job.clone(),
        model.clone(),
        target.clone(),
        sender,
        Arc::new(move || {
            counter.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }),
        Cancel::new(),
    );
    let mut stopped = false;
    let report = loop {
        match events
            .recv_timeout(Duration::from_secs(120))
            .expect("the job ends")
        {
            Event::Step { label, done, .. }
                if label == "Seeding items" && done >= 500 && !stopped =>
            {
                server.script("stop");
                stopped = true;
            }
            Event::Finished(report) => break report,
            Event::Failed(e) => panic!("the job could not start: {e}"),
            _ => {}
        }
    };
    handle.join().unwrap();
    assert!(stopped, "seeding reached the server");
    assert!(woken.load(std::sync::atomic::Ordering::SeqCst) > 3);
    let error = report.error.clone().expect("the seed stopped");
    assert_eq!(
        error.to_string(),
        format!(
            "Could not reach DynamoDB Local at {} — start it with scripts/dynamodb-local.sh",
            server.endpoint()
        )
    );
    let seed = report.seed.as_ref().unwrap();
    assert!(
        seed.items_written >= 500 && seed.items_written < seed.items_total,
        "{seed:?}"
    );
    assert!(report.verify.is_none(), "verification did not start");
    assert!(
        report
            .text()
            .contains("Error: Could not reach DynamoDB Local")
    );

    server.script("start");
    let again = complete(job, &model, &target);
    let seed = again.seed.unwrap();
    assert_eq!(seed.items_written, seed.items_total);
    assert_eq!(again.verify.unwrap().count(PatternOutcome::Failed), 0);
}

#[test]
fn nothing_listening_is_named_with_the_fix() {
    let endpoint = format!("http://localhost:{}", free_port());
    let (report, events) = run(Job::Plan, &model("ecommerce"), &Target::local(&endpoint));
    let error = report.unwrap().error.unwrap();
    assert_eq!(
        error.to_string(),
        format!(
            "Could not reach DynamoDB Local at {endpoint} — start it with scripts/dynamodb-local.sh"
        )
    );
    assert!(!events.iter().any(|e| matches!(e, Event::Planned(_))));
    let (code, _, err) = cli(&[
        "deploy",
        "assets/models/ecommerce.dynamodel.json",
        "--endpoint",
        &endpoint,
    ]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(
        err.matches("Could not reach DynamoDB Local").count(),
        1,
        "said once: {err}"
    );
}

#[test]
fn a_remote_endpoint_is_refused_before_any_request() {
    // Not routable: a request would hang, not fail fast.
    let remote = Target::local("http://10.255.255.1:8000");
    let (result, events) = run(Job::Plan, &model("ecommerce"), &remote);
    assert_eq!(
        result.unwrap_err(),
        DeployError::RemoteNotAllowed {
            endpoint: remote.endpoint.clone(),
            reason: "it is not a loopback address".into()
        }
    );
    assert!(events.is_empty());

    let (sender, receiver) = mpsc::channel();
    deploy::spawn(
        Job::All {
            recreate: false,
            counts: SampleCounts::default(),
        },
        model("ecommerce"),
        remote.clone(),
        sender,
        Arc::new(|| {}),
        Cancel::new(),
    )
    .join()
    .unwrap();
    let received: Vec<Event> = receiver.try_iter().collect();
    assert!(
        matches!(received.as_slice(), [Event::Failed(m)] if m.contains("explicit opt-in")),
        "{received:?}"
    );

    let opted_in = Target {
        allow_remote: true,
        ..remote
    };
    let (result, _) = run(
        Job::Deploy { recreate: true },
        &model("ecommerce"),
        &opted_in,
    );
    assert!(matches!(result, Err(DeployError::RemoteRecreate { .. })));

    let (code, _, err) = cli(&[
        "deploy",
        "assets/models/ecommerce.dynamodel.json",
        "--endpoint",
        "https://dynamodb.us-east-1.amazonaws.com",
    ]);
    assert_eq!(code, 2);
    assert!(err.contains("--allow-remote"), "{err}");
}

#[test]
fn a_cancelled_job_stops_and_says_so() {
    let model = model("ecommerce");
    let cancel = Cancel::new();
    cancel.cancel();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let report = runtime
        .block_on(deploy::run(
            all(2),
            &model,
            &local_target("cancelled"),
            &mut |_| {},
            &cancel,
        ))
        .unwrap();
    assert_eq!(report.error, Some(DeployError::Cancelled));
    assert!(report.plan.is_some(), "the plan ran before the first table");
    assert!(report.tables.unwrap().created.is_empty());
}

#[test]
fn the_cli_deploys_seeds_verifies_and_sets_the_exit_code() {
    let target = local_target("cli");
    let (code, out, err) = cli(&[
        "deploy",
        "assets/models/ecommerce.dynamodel.json",
        "--endpoint",
        &target.endpoint,
        "--table-prefix",
        &target.table_prefix,
        "--seed",
        "2",
        "--verify",
        "--format",
        "json",
    ]);
    assert_eq!(code, 0, "{err}\n{out}");
    let report: DeployReport = serde_json::from_str(&out).unwrap();
    assert!(report.succeeded());
    assert_eq!(report.verify.unwrap().results.len(), 48);

    // The same tables, now with a pattern that fails: exit code 1.
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("broken.dynamodel.json");
    dynamodel::model::save(&pinned_to_the_wrong_index(), &file).unwrap();
    let (code, out, err) = cli(&[
        "deploy",
        file.to_str().unwrap(),
        "--endpoint",
        &target.endpoint,
        "--table-prefix",
        &target.table_prefix,
        "--verify",
    ]);
    assert_eq!(code, 1, "{err}\n{out}");
    assert!(out.contains("AP2   ✘ FAILED"), "{out}");
    assert!(
        out.contains("Verify: 42 passed, 1 failed, 5 outside DynamoDB"),
        "{out}"
    );

    let (code, _, err) = cli(&[
        "deploy",
        "no/such/file.json",
        "--endpoint",
        &target.endpoint,
    ]);
    assert_eq!(code, 2, "{err}");
    let (code, _, err) = cli(&["deploy", "--seed", "x"]);
    assert_eq!(code, 2, "{err}");
}

/// The hand-written MCP server model (type-prefixed keys, writes of new items, an
/// INCLUDE GSI, a 2+2 multi-attribute GSI, a stream, a pattern no entity fits):
/// imported, deployed, seeded and verified, every pattern passes — as many as
/// the MCP server's own validation runs (every pattern with an implementation).
#[test]
fn an_imported_mcp_model_verifies_every_pattern_its_source_runs() {
    let path = crate::import_mcp::shop_fixture();
    let model = export::import(&path, export::ImportFormat::McpJson)
        .unwrap()
        .model;
    let report = complete(all(5), &model, &local_target("mcp"));
    let verify = report.verify.as_ref().unwrap();
    let source: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    let runnable = source["access_patterns"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|p| p.get("implementation").is_some())
        .count();
    assert_eq!(runnable, 18);
    assert_eq!(
        verify.count(PatternOutcome::Passed),
        runnable,
        "{}",
        report.text()
    );
    assert_eq!(verify.count(PatternOutcome::Outside), 1);
    assert!(verify.all_passed(), "{}", report.text());
    // Pattern 11 reads the 2+2 multi-attribute GSI with its resolver-chosen plan.
    let p11 = verify.result("11").unwrap();
    assert_eq!(p11.index.as_deref(), Some("ByCategoryBrand"));
    assert!(p11.items_returned.is_some_and(|n| n >= 1), "{p11:?}");
    // Pattern 17 fits no entity: it ran as its own command.
    let p17 = verify.result("17").unwrap();
    assert!(
        p17.detail
            .starts_with("ran the command it was imported with"),
        "{p17:?}"
    );
    assert!(p17.request.contains("aws dynamodb scan"), "{p17:?}");
}

/// The MCP server's own models (its CDK tests: multi-attribute GSI keys up to 4 + 4,
/// TTL, binary and number keys, names with quotes and braces) create their tables
/// on DynamoDB Local as imported, and then compare as identical.
#[test]
fn the_mcp_servers_own_models_deploy_as_imported() {
    let dir = crate::root().join("tests/fixtures/real/mcp-json");
    let mut deployed = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("cdk-") {
            continue; // the guide's template holds placeholders, not a model
        }
        let model = export::import(&path, export::ImportFormat::McpJson)
            .unwrap_or_else(|e| panic!("{e}"))
            .model;
        let target = local_target(&format!("real-{}", deployed));
        let report = complete(Job::Deploy { recreate: false }, &model, &target);
        let created = report.tables.as_ref().unwrap().created.len();
        assert_eq!(created, model.tables.len(), "{name}: {}", report.text());
        let plan = complete(Job::Plan, &model, &target).plan.unwrap();
        assert!(plan.is_noop(), "{name}: {:?}", plan.summary());
        deployed += 1;
    }
    assert_eq!(deployed, 6);
}
