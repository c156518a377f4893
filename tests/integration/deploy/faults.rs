//! Endpoints that misbehave, as small servers on loopback (std threads in the
//! test): one that never answers, ones that answer something that is not
//! DynamoDB, one whose ListTables pages on forever — and endpoints that are not
//! this machine. Every bound comes from the short [`limits`] the jobs run with,
//! so no test measures time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use dynamodel::deploy::{self, Cancel, DeployError, DeployReport, Job, Limits, Target};

use super::{local_endpoint, model};
use crate::cli::run as cli;

/// Bounds short enough for tests: a second to connect, two per call, two
/// attempts, 20 ListTables pages.
fn limits() -> Limits {
    Limits {
        resolve: Duration::from_secs(2),
        connect: Duration::from_secs(1),
        operation: Duration::from_secs(2),
        attempts: 2,
        list_pages: 20,
    }
}

fn run(job: Job, target: &Target) -> Result<DeployReport, DeployError> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(deploy::run_with_limits(
        job,
        &model("ecommerce"),
        target,
        &limits(),
        &mut |_| {},
        &Cancel::new(),
    ))
}

/// The error a job on `endpoint` stopped with (it started: the endpoint is local).
fn stopped_with(job: Job, endpoint: &str) -> DeployError {
    let report = run(job, &Target::local(endpoint)).expect("a local endpoint is used");
    assert!(report.local, "{}", report.target);
    report.error.expect("the job stopped")
}

/// A server on `ip` that hands every connection to `serve` on a thread of its
/// own; the number of connections so far.
fn fake_server(
    ip: &str,
    serve: impl Fn(TcpStream, &AtomicUsize) + Send + Sync + 'static,
) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind((ip, 0)).unwrap();
    let endpoint = format!("http://{ip}:{}", listener.local_addr().unwrap().port());
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    let serve = Arc::new(serve);
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (serve, counter) = (serve.clone(), counter.clone());
            std::thread::spawn(move || serve(stream, &counter));
        }
    });
    (endpoint, served)
}

/// Reads one HTTP request (headers and a Content-Length body); false at the end
/// of the connection.
fn read_request(reader: &mut BufReader<TcpStream>) -> bool {
    let mut length = 0;
    loop {
        let mut line = String::new();
        match reader.read_line(&mut line) {
            Ok(0) | Err(_) => return false,
            Ok(_) => {}
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse().unwrap_or(0);
        }
    }
    let mut body = vec![0; length];
    reader.read_exact(&mut body).is_ok()
}

/// Answers every request on the connection with `answer(n)` (n counting the
/// requests of the whole server from 1).
fn answering(answer: fn(usize) -> Vec<u8>) -> impl Fn(TcpStream, &AtomicUsize) {
    move |stream, served| {
        let mut writer = stream.try_clone().unwrap();
        let mut reader = BufReader::new(stream);
        while read_request(&mut reader) {
            let n = served.fetch_add(1, Ordering::SeqCst) + 1;
            if writer.write_all(&answer(n)).is_err() {
                return;
            }
        }
    }
}

fn http(status: &str, content_type: &str, body: &str) -> Vec<u8> {
    format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

#[test]
fn a_server_that_never_answers_times_out_within_the_stated_bound() {
    let (endpoint, served) = fake_server("127.0.0.1", |stream, served| {
        served.fetch_add(1, Ordering::SeqCst);
        let mut reader = BufReader::new(stream);
        // Takes the request and keeps the connection open without a word.
        read_request(&mut reader);
        let mut rest = Vec::new();
        let _ = reader.read_to_end(&mut rest);
    });
    let error = stopped_with(Job::Plan, &endpoint);
    assert_eq!(
        error,
        DeployError::TimedOut {
            endpoint: endpoint.clone(),
            operation: "ListTables".into(),
            element: "the endpoint".into(),
            seconds: 2.0,
            waiting_for: "an answer".into(),
        }
    );
    let text = error.to_string();
    assert!(
        text.contains("timed out after 2 s") && text.contains(&endpoint),
        "{text}"
    );
    assert!(!text.contains("Could not reach"), "{text}");
    assert!(error.is_endpoint_failure());
    assert!(served.load(Ordering::SeqCst) >= 1, "the request was sent");
}

#[test]
fn a_server_speaking_garbage_is_not_a_dynamodb_endpoint() {
    let (bytes, _) = fake_server("127.0.0.1", |stream, _| {
        let mut writer = stream.try_clone().unwrap();
        read_request(&mut BufReader::new(stream));
        let _ = writer
            .write_all(b"\x16\x03\x01\x00\xa5\x01\x00\x00\xa1\x03\x03garbage\r\n\r\n\xff\xfe");
    });
    let (html, _) = fake_server(
        "127.0.0.1",
        answering(|_| http("200 OK", "text/html", "<html><body>It works!</body></html>")),
    );
    let (not_found, _) = fake_server(
        "127.0.0.1",
        answering(|_| http("404 Not Found", "text/html", "<h1>Not Found</h1>")),
    );
    for (endpoint, detail) in [
        (&bytes, "something that is not HTTP"),
        (
            &html,
            "HTTP 200 (text/html): `<html><body>It works!</body></html>`",
        ),
        (
            &not_found,
            "HTTP 404 (text/html): `<h1>Not Found</h1>` (no DynamoDB error type)",
        ),
    ] {
        let error = stopped_with(Job::Plan, endpoint);
        let text = error.to_string();
        assert!(
            matches!(&error, DeployError::NotDynamoDb { operation, .. } if operation == "ListTables"),
            "{error:?}"
        );
        assert!(
            text.starts_with(&format!(
                "not a DynamoDB endpoint: {endpoint} answered ListTables with {detail}"
            )),
            "{text}"
        );
        assert!(!text.contains("Could not reach"), "{text}");
    }
    // The CLI says it once (the report on stdout carries it as its `Error:` line).
    let (_, out, err) = cli(&[
        "deploy",
        "assets/models/ecommerce.dynamodel.json",
        "--endpoint",
        &html,
    ]);
    assert_eq!(err.matches("not a DynamoDB endpoint").count(), 1, "{err}");
    assert_eq!(out.matches("not a DynamoDB endpoint").count(), 1, "{out}");
}

#[test]
fn an_endless_list_of_tables_stops_after_the_stated_number_of_pages() {
    // It ends after 500 pages, so that a client without a bound fails the test
    // (no error, 500 tables) instead of hanging it.
    let (endpoint, served) = fake_server(
        "127.0.0.1",
        answering(|n| {
            let name = format!("t{n:06}");
            let next = if n < 500 {
                format!(r#","LastEvaluatedTableName":"{name}""#)
            } else {
                String::new()
            };
            http(
                "200 OK",
                "application/x-amz-json-1.0",
                &format!(r#"{{"TableNames":["{name}"]{next}}}"#),
            )
        }),
    );
    for job in [Job::Plan, Job::Deploy { recreate: true }, Job::Verify] {
        let before = served.load(Ordering::SeqCst);
        let error = stopped_with(job, &endpoint);
        assert_eq!(
            error,
            DeployError::EndlessListing {
                endpoint: endpoint.clone(),
                pages: 20,
                names: 20,
            }
        );
        assert!(
            error
                .to_string()
                .contains("still offered a next page after 20 pages"),
            "{error}"
        );
        assert_eq!(
            served.load(Ordering::SeqCst) - before,
            20,
            "one request a page"
        );
    }
    // A next page that starts where the last one did is refused at once.
    let (same, served) = fake_server(
        "127.0.0.1",
        answering(|_| {
            http(
                "200 OK",
                "application/x-amz-json-1.0",
                r#"{"TableNames":["a"],"LastEvaluatedTableName":"a"}"#,
            )
        }),
    );
    let error = stopped_with(Job::Plan, &same);
    assert!(
        matches!(error, DeployError::NotDynamoDb { .. }),
        "{error:?}"
    );
    assert_eq!(served.load(Ordering::SeqCst), 2);
}

#[test]
fn any_loopback_address_is_local() {
    // DynamoDB Local listens on every address; 127.0.0.2 is this machine too.
    let (_, port) = deploy::target::endpoint_host(local_endpoint()).unwrap();
    let endpoint = format!("http://127.0.0.2:{port}");
    let report = run(Job::Plan, &Target::local(&endpoint)).unwrap();
    assert_eq!(report.error, None, "{}", report.text());
    assert!(report.local);
    assert_eq!(report.target, format!("DynamoDB Local at {endpoint}"));
    // A fake server bound to 127.0.0.2 only is reached there.
    let (fake, served) = fake_server(
        "127.0.0.2",
        answering(|_| {
            http(
                "200 OK",
                "application/x-amz-json-1.0",
                r#"{"TableNames":[]}"#,
            )
        }),
    );
    let report = run(Job::Plan, &Target::local(&fake)).unwrap();
    assert_eq!(report.error, None, "{}", report.text());
    assert_eq!(served.load(Ordering::SeqCst), 1);
}

#[test]
fn a_name_that_does_not_resolve_to_loopback_is_not_local() {
    // RFC 2606 reserves .invalid: no resolver maps it here.
    let target = Target::local("http://dynamodb.invalid:8000");
    let error = run(Job::Plan, &target).unwrap_err();
    let DeployError::RemoteNotAllowed { reason, .. } = &error else {
        panic!("{error:?}")
    };
    assert!(reason.starts_with("it could not be resolved"), "{reason}");
    // Opted in, it is remote: never deleted or recreated.
    let opted_in = Target {
        allow_remote: true,
        ..target
    };
    let error = run(Job::Deploy { recreate: true }, &opted_in).unwrap_err();
    assert!(
        matches!(error, DeployError::RemoteRecreate { .. }),
        "{error:?}"
    );
}
