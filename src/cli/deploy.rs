//! `dynamodel deploy FILE`: create the model's tables on DynamoDB Local (or,
//! with `--allow-remote`, another endpoint) and bring the ones it already has to
//! the model's schema with the migration's steps (those that delete something
//! only with `--recreate`, local endpoints only), optionally seed them and verify
//! every access pattern, and print the report. `--plan` lists the steps and
//! whether deploy takes each.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use clap::Args;
use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::{EXIT_FINDINGS, EXIT_OK, EXIT_UNREADABLE, Format, Progress, Source, sample_count};
use crate::analysis::sample_items::SampleCounts;
use crate::deploy::{
    self, Cancel, DEFAULT_ENDPOINT, DEFAULT_REGION, DeployError, DeployReport, Event, Job, Target,
};

/// Create the model's tables on DynamoDB Local (or, with --allow-remote,
/// another endpoint), optionally seed them and verify every access pattern.
///
/// Tables the endpoint already has are brought to the model's schema with the
/// migration's steps; those that delete something only with --recreate, on a
/// local endpoint only. --plan lists the steps and whether deploy takes each.
/// Exit 0 when every step ran and every pattern verified passed, 1 when one
/// failed, 2 when FILE cannot be read or the endpoint cannot be used (nothing
/// answers, not in time, or not as DynamoDB).
#[derive(Args, Debug)]
pub struct DeployArgs {
    /// The model file to deploy.
    file: PathBuf,
    /// The DynamoDB endpoint.
    #[arg(long, value_name = "URL", default_value = DEFAULT_ENDPOINT)]
    endpoint: String,
    /// The region to sign requests for.
    #[arg(long, value_name = "R", default_value = DEFAULT_REGION)]
    region: String,
    /// Allow an endpoint that is not on this machine (nothing there is ever deleted).
    #[arg(long)]
    allow_remote: bool,
    /// Put P before every table name of the model, so copies can share an endpoint.
    #[arg(long, value_name = "P")]
    table_prefix: Option<String>,
    /// Only compare the endpoint with the model and list the steps: changes nothing.
    #[arg(long, conflicts_with_all = ["seed", "verify", "recreate"])]
    plan: bool,
    /// Write N sample items per entity after deploying.
    #[arg(long, value_name = "N", value_parser = sample_count)]
    seed: Option<usize>,
    /// Run every access pattern against the tables and check what comes back.
    #[arg(long)]
    verify: bool,
    /// Take the steps that delete something (a GSI, a table to rebuild): local endpoints only.
    #[arg(long)]
    recreate: bool,
    /// The report: text for people, json for tools.
    #[arg(short, long, value_enum, default_value_t = Format::Text)]
    format: Format,
}

impl DeployArgs {
    fn target(&self) -> Target {
        Target {
            endpoint: self.endpoint.clone(),
            region: self.region.clone(),
            allow_remote: self.allow_remote,
            table_prefix: self.table_prefix.clone().unwrap_or_default(),
        }
    }
}

pub fn run(args: DeployArgs, out: &mut dyn Write, err: &mut dyn Write, progress: Progress) -> u8 {
    let source = Source::File(args.file.clone());
    let Some(model) = source.load_or_report(err) else {
        return EXIT_UNREADABLE;
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
    let target = args.target();
    let cancel = Cancel::new();
    let mut log = EventLog::new(progress);
    let mut report: Option<DeployReport> = None;
    for job in jobs(&args) {
        let outcome = runtime.block_on(deploy::run(
            job,
            &model,
            &target,
            &mut |event| log.show(event, err),
            &cancel,
        ));
        let next = match outcome {
            Ok(next) => next,
            Err(e) => {
                log.finish();
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
    log.finish();
    let Some(report) = report else {
        return EXIT_OK;
    };
    let written = match args.format {
        Format::Text => writeln!(out, "{}", report.text()),
        Format::Json => serde_json::to_writer_pretty(&mut *out, &report)
            .map_err(std::io::Error::other)
            .and_then(|()| writeln!(out)),
    };
    if let Err(e) = written {
        let _ = writeln!(err, "dynamodel: could not write the report: {e}");
        return EXIT_UNREADABLE;
    }
    // The one place the error is said on stderr: the job does not log it.
    if let Some(e) = &report.error {
        let _ = writeln!(err, "dynamodel: {e}");
        if e.is_endpoint_failure() {
            return EXIT_UNREADABLE;
        }
    }
    if report.succeeded() {
        EXIT_OK
    } else {
        EXIT_FINDINGS
    }
}

/// A job's events on stderr: every log line, and with [`Progress::Bar`] a bar
/// for the current step (what is being done, how far, for how long).
struct EventLog {
    bar: Option<ProgressBar>,
    progress: Progress,
}

impl EventLog {
    fn new(progress: Progress) -> Self {
        EventLog {
            bar: None,
            progress,
        }
    }

    fn show(&mut self, event: Event, err: &mut dyn Write) {
        match event {
            Event::Log(line) => {
                let mut print = || {
                    let _ = writeln!(err, "dynamodel: {line}");
                };
                match &self.bar {
                    Some(bar) => bar.suspend(print),
                    None => print(),
                }
            }
            Event::Step { label, done, total } if self.progress == Progress::Bar => {
                let bar = self.bar.get_or_insert_with(|| {
                    let bar = step_bar(ProgressDrawTarget::stderr());
                    bar.enable_steady_tick(Duration::from_millis(120));
                    bar
                });
                // A new count (not the next table of the same count) starts its clock anew.
                if bar.length() != Some(total) || done < bar.position() {
                    bar.reset();
                }
                bar.set_message(label);
                bar.set_length(total);
                bar.set_position(done);
            }
            _ => {}
        }
    }

    fn finish(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish_and_clear();
        }
    }
}

fn step_bar(target: ProgressDrawTarget) -> ProgressBar {
    let style = ProgressStyle::with_template(
        "{spinner} [{bar:30}] {human_pos}/{human_len} {elapsed:>4}  {wide_msg}",
    )
    .unwrap_or_else(|_| ProgressStyle::default_bar())
    .progress_chars("=> ");
    ProgressBar::with_draw_target(None, target).with_style(style)
}

/// The jobs the flags ask for, run one after the other into one report.
fn jobs(request: &DeployArgs) -> Vec<Job> {
    let recreate = request.recreate;
    if request.plan {
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

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    fn parse(list: &[&str]) -> Result<DeployArgs, String> {
        let args = ["dynamodel", "deploy"].iter().chain(list);
        match Cli::try_parse_from(args) {
            Ok(Cli {
                command: Some(Command::Deploy(args)),
            }) => Ok(args),
            Ok(other) => Err(format!("not a deploy: {other:?}")),
            Err(e) => Err(e.to_string()),
        }
    }

    #[test]
    fn flags_choose_the_jobs() {
        let r = parse(&["m.json", "--seed=3", "--verify", "--recreate"]).unwrap();
        assert_eq!(
            jobs(&r),
            [Job::All {
                recreate: true,
                counts: SampleCounts::uniform(3)
            }]
        );
        let r = parse(&["m.json", "--verify", "--endpoint", "http://127.0.0.1:9"]).unwrap();
        assert_eq!(jobs(&r), [Job::Deploy { recreate: false }, Job::Verify]);
        assert_eq!(r.target().endpoint, "http://127.0.0.1:9");
        let r = parse(&["m.json", "--plan", "--format", "json"]).unwrap();
        assert_eq!(jobs(&r), [Job::Plan]);
        assert_eq!(r.format, Format::Json);
        let r = parse(&["m.json", "--seed", "2"]).unwrap();
        assert_eq!(
            jobs(&r),
            [
                Job::Deploy { recreate: false },
                Job::Seed {
                    counts: SampleCounts::uniform(2)
                }
            ]
        );
    }

    #[test]
    fn the_target_defaults_to_dynamodb_local() {
        assert_eq!(parse(&["m.json"]).unwrap().target(), Target::default());
        let r = parse(&[
            "m.json",
            "--region=eu-west-1",
            "--table-prefix",
            "t-",
            "--allow-remote",
        ])
        .unwrap();
        assert_eq!(
            r.target(),
            Target {
                region: "eu-west-1".into(),
                table_prefix: "t-".into(),
                allow_remote: true,
                ..Target::default()
            }
        );
    }

    #[test]
    fn bad_usage_names_the_option() {
        for (list, message) in [
            (&["--verify"][..], "<FILE>"),
            (&["m", "--seed", "many"], "'--seed <N>'"),
            (&["m", "--seed"], "'--seed <N>'"),
            (
                &["m", "--plan", "--verify"],
                "'--plan' cannot be used with '--verify'",
            ),
            (&["m", "--bogus"], "unexpected argument '--bogus'"),
            (&["m", "n"], "unexpected argument 'n'"),
        ] {
            let e = parse(list).err().unwrap();
            assert!(e.contains(message), "{list:?}: {e}");
        }
    }

    fn log_of(progress: Progress, events: Vec<Event>) -> (EventLog, String) {
        let mut log = EventLog::new(progress);
        let mut err = Vec::new();
        for event in events {
            log.show(event, &mut err);
        }
        (log, String::from_utf8(err).unwrap())
    }

    fn step(label: &str, done: u64, total: u64) -> Event {
        Event::Step {
            label: label.into(),
            done,
            total,
        }
    }

    #[test]
    fn without_a_terminal_only_the_log_lines_are_printed() {
        let (log, err) = log_of(
            Progress::Lines,
            vec![
                Event::Log("Creating table Users".into()),
                step("Seeding items", 3, 10),
                Event::Log("Writing 40 items of 2 entities".into()),
            ],
        );
        assert_eq!(
            err,
            "dynamodel: Creating table Users\ndynamodel: Writing 40 items of 2 entities\n"
        );
        assert!(log.bar.is_none());
    }

    #[test]
    fn on_a_terminal_the_bar_follows_the_steps() {
        let mut log = EventLog::new(Progress::Bar);
        log.bar = Some(step_bar(ProgressDrawTarget::hidden()));
        let mut err = Vec::new();
        for event in [
            step("Reading the endpoint's tables", 2, 3),
            Event::Log("Creating table Users".into()),
            step("Seeding items", 0, 40),
            step("Seeding items", 25, 40),
        ] {
            log.show(event, &mut err);
        }
        let bar = log.bar.as_ref().unwrap();
        assert_eq!(bar.message(), "Seeding items");
        assert_eq!((bar.position(), bar.length()), (25, Some(40)));
        assert_eq!(
            String::from_utf8(err).unwrap(),
            "dynamodel: Creating table Users\n"
        );
        log.finish();
        assert!(log.bar.is_none());
    }
}
