//! `dynamodel deploy FILE`: create the model's tables on DynamoDB Local (or,
//! with `--allow-remote`, another endpoint) and bring the ones it already has to
//! the model's schema with the migration's steps (those that delete something
//! only with `--recreate`, local endpoints only), optionally seed them and verify
//! every access pattern, and print the report. `--plan` lists the steps and
//! whether deploy takes each.

use std::io::Write;
use std::path::PathBuf;

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, Format, Source, usage_error};
use crate::analysis::sample_items::SampleCounts;
use crate::deploy::{self, Cancel, DeployError, DeployReport, Event, Job, Target};

struct Request {
    file: PathBuf,
    target: Target,
    plan_only: bool,
    recreate: bool,
    seed: Option<usize>,
    verify: bool,
    format: Format,
}

/// `dynamodel deploy FILE [--endpoint URL] [--region R] [--allow-remote]
/// [--table-prefix P] [--plan] [--seed N] [--verify] [--recreate] [--format text|json]`
pub fn deploy_command(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let request = match parse(args) {
        Ok(r) => r,
        Err(message) => return usage_error(err, &message),
    };
    let source = Source::File(request.file.clone());
    let model = match source.load() {
        Ok(m) => m,
        Err(e) => {
            let _ = writeln!(err, "dynamodel: {e}");
            return EXIT_UNREADABLE;
        }
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            let _ = writeln!(err, "dynamodel: {}", DeployError::Runtime(e.to_string()));
            return EXIT_UNREADABLE;
        }
    };
    let jobs = jobs(&request);
    let cancel = Cancel::new();
    let mut report: Option<DeployReport> = None;
    for job in jobs {
        let mut on_event = |event: Event| {
            if let Event::Log(line) = event {
                let _ = writeln!(err, "dynamodel: {line}");
            }
        };
        let outcome = runtime.block_on(deploy::run(
            job,
            &model,
            &request.target,
            &mut on_event,
            &cancel,
        ));
        let next = match outcome {
            Ok(next) => next,
            Err(e) => {
                let _ = writeln!(err, "dynamodel: {e}");
                return EXIT_UNREADABLE;
            }
        };
        let stop = next.error.is_some();
        match &mut report {
            Some(r) => r.merge(next),
            None => report = Some(next),
        }
        if stop {
            break;
        }
    }
    let Some(report) = report else {
        return EXIT_OK;
    };
    let written = match request.format {
        Format::Text => writeln!(out, "{}", report.text()),
        Format::Json => serde_json::to_writer_pretty(&mut *out, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
    };
    if let Err(e) = written {
        let _ = writeln!(err, "dynamodel: could not write the report: {e}");
        return EXIT_UNREADABLE;
    }
    if let Some(e) = &report.error {
        let _ = writeln!(err, "dynamodel: {e}");
        if matches!(e, DeployError::Unreachable { .. }) {
            return EXIT_UNREADABLE;
        }
    }
    if report.succeeded() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// The jobs the flags ask for, run one after the other into one report.
fn jobs(request: &Request) -> Vec<Job> {
    let recreate = request.recreate;
    if request.plan_only {
        return vec![Job::Plan];
    }
    match (request.seed, request.verify) {
        (Some(n), true) => vec![Job::All {
            recreate,
            counts: SampleCounts::uniform(n),
        }],
        (Some(n), false) => vec![
            Job::Deploy { recreate },
            Job::Seed {
                counts: SampleCounts::uniform(n),
            },
        ],
        (None, true) => vec![Job::Deploy { recreate }, Job::Verify],
        (None, false) => vec![Job::Deploy { recreate }],
    }
}

fn parse(args: &[String]) -> Result<Request, String> {
    let mut file = None;
    let mut target = Target::default();
    let mut request_flags = (false, false, false); // plan, recreate, verify
    let mut seed = None;
    let mut format = Format::Text;
    let mut it = args.iter();
    while let Some(arg) = it.next() {
        let (flag, inline) = match arg.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f, Some(v.to_string())),
            _ => (arg.as_str(), None),
        };
        let mut value = |what: &str| {
            inline
                .clone()
                .or_else(|| it.next().cloned())
                .ok_or_else(|| format!("{flag} needs {what}"))
        };
        match flag {
            "--endpoint" => target.endpoint = value("a URL such as http://localhost:8000")?,
            "--region" => target.region = value("a region such as us-east-1")?,
            "--table-prefix" => target.table_prefix = value("a prefix for the table names")?,
            "--seed" => {
                let n = value("a number of items per entity")?;
                let max = crate::analysis::sample_items::MAX_SAMPLE_ITEMS;
                seed = Some(
                    n.parse::<usize>()
                        .ok()
                        .filter(|n| *n <= max)
                        .ok_or_else(|| {
                            format!(
                                "--seed takes a number of items per entity up to {max}, not `{n}`"
                            )
                        })?,
                );
            }
            "--format" | "-f" => {
                format = match value("text or json")?.as_str() {
                    "text" => Format::Text,
                    "json" => Format::Json,
                    other => return Err(format!("--format takes text or json, not `{other}`")),
                }
            }
            "--allow-remote" => target.allow_remote = true,
            "--plan" => request_flags.0 = true,
            "--recreate" => request_flags.1 = true,
            "--verify" => request_flags.2 = true,
            other if other.starts_with('-') => return Err(format!("unknown option `{other}`")),
            path if file.is_none() => file = Some(PathBuf::from(path)),
            extra => return Err(format!("unexpected argument `{extra}`")),
        }
    }
    let (plan_only, recreate, verify) = request_flags;
    if plan_only && (recreate || verify || seed.is_some()) {
        return Err(
            "--plan changes nothing: it does not combine with --seed, --verify or --recreate"
                .into(),
        );
    }
    Ok(Request {
        file: file.ok_or("deploy needs a model FILE")?,
        target,
        plan_only,
        recreate,
        seed,
        verify,
        format,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn flags_choose_the_jobs() {
        let r = parse(&args(&["m.json", "--seed=3", "--verify", "--recreate"])).unwrap();
        assert_eq!(
            jobs(&r),
            [Job::All {
                recreate: true,
                counts: SampleCounts::uniform(3)
            }]
        );
        let r = parse(&args(&[
            "m.json",
            "--verify",
            "--endpoint",
            "http://127.0.0.1:9",
        ]))
        .unwrap();
        assert_eq!(jobs(&r), [Job::Deploy { recreate: false }, Job::Verify]);
        assert_eq!(r.target.endpoint, "http://127.0.0.1:9");
        let r = parse(&args(&["m.json", "--plan", "--format", "json"])).unwrap();
        assert_eq!(jobs(&r), [Job::Plan]);
        assert_eq!(r.format, Format::Json);
    }

    #[test]
    fn bad_usage_is_explained() {
        for (list, message) in [
            (&["--verify"][..], "deploy needs a model FILE"),
            (&["m", "--seed", "many"], "--seed takes a number"),
            (&["m", "--seed"], "--seed needs a number"),
            (&["m", "--plan", "--verify"], "--plan changes nothing"),
            (&["m", "--bogus"], "unknown option `--bogus`"),
            (&["m", "n"], "unexpected argument `n`"),
        ] {
            let e = parse(&args(list)).err().unwrap();
            assert!(e.contains(message), "{list:?}: {e}");
        }
    }
}
