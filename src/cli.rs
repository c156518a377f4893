//! The command line: `check`, `export`, `import`, `fix`, `diff`, `deploy` and
//! `completions`, parsed by clap from the argument types of each subcommand's
//! module, and the rule that tells a model file to open from a subcommand.

mod check;
mod deploy;
mod diff;
mod fix;
mod transfer;

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser, Subcommand, ValueEnum};

pub use check::{write_json, write_text};

use crate::model::{self, Model};

/// Exit codes: no errors, design errors, unreadable input or bad usage.
pub const EXIT_OK: u8 = 0;
pub const EXIT_FINDINGS: u8 = 1;
pub const EXIT_UNREADABLE: u8 = 2;

/// The synopsis at the top of `dynamodel --help`: every subcommand with its options.
const SYNOPSIS: &str = "\
dynamodel [FILE]
       dynamodel check [FILE] [--format text|json]
       dynamodel export [FILE] --to markdown|nosql-workbench|mcp-json|cloudformation|svg
                        |migration-contract
                        [--yaml] [--items N] [--baseline OLD] [-o OUT]
       dynamodel import SOURCE --from nosql-workbench|mcp-json|migration-contract|mysql
                        -o FILE
       dynamodel fix FILE [--rule ID]... [--dry-run] [-o OUT]
       dynamodel diff OLD NEW [--format text|json|markdown] [--write-rate WCU]
       dynamodel deploy FILE [--endpoint URL] [--region R] [--allow-remote] [--plan]
                        [--seed N] [--verify] [--recreate] [--table-prefix P] [--format text|json]
       dynamodel completions bash|zsh|fish
       dynamodel <COMMAND> --help";

/// A native desktop workbench for designing Amazon DynamoDB data models.
///
/// Without arguments, or with a model FILE, it opens the workbench window; the
/// subcommands below work on model files from the command line. Exit codes: 0
/// ok, 1 findings, failures or differences, 2 bad usage or unreadable input.
#[derive(Parser, Debug)]
#[command(
    name = "dynamodel",
    version,
    override_usage = SYNOPSIS,
    args_override_self = true,
    max_term_width = 100
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand, Debug)]
enum Command {
    Check(check::CheckArgs),
    Export(transfer::ExportArgs),
    Import(transfer::ImportArgs),
    Fix(fix::FixArgs),
    Diff(diff::DiffArgs),
    Deploy(deploy::DeployArgs),
    /// Print a shell completion script for dynamodel.
    ///
    /// For bash: `dynamodel completions bash > ~/.local/share/bash-completion/completions/dynamodel`;
    /// zsh: into a directory of `$fpath` as `_dynamodel`; fish:
    /// `~/.config/fish/completions/dynamodel.fish`.
    Completions {
        /// The shell to complete in.
        shell: clap_complete::Shell,
    },
}

/// The report formats of `check` and `deploy`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Format {
    #[default]
    Text,
    Json,
}

/// How long-running subcommands (deploy, seed) show their progress on stderr.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// The log lines only: for a pipe, a file or a test.
    Lines,
    /// The log lines and a progress bar drawn on the terminal.
    Bar,
}

impl Progress {
    /// A bar when the process's stderr is a terminal, else plain lines.
    pub fn for_stderr() -> Progress {
        if std::io::stderr().is_terminal() {
            Progress::Bar
        } else {
            Progress::Lines
        }
    }
}

/// What the program is asked for: the workbench window (with the model file to
/// open, if any) or a subcommand.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Invocation {
    Window(Option<PathBuf>),
    Command,
}

/// Tells a model file to open from a subcommand, an option or a mistyped
/// subcommand: a first argument that is not a subcommand is a model when it
/// exists or looks like a path (`.json`, or a directory in it). Anything else
/// goes to the parser, which suggests the subcommand it was close to.
pub fn invocation(args: &[String]) -> Invocation {
    match args.first() {
        None => Invocation::Window(None),
        Some(first) if names_a_model(first) => Invocation::Window(Some(PathBuf::from(first))),
        Some(_) => Invocation::Command,
    }
}

fn names_a_model(word: &str) -> bool {
    if word.starts_with('-') || Cli::command().find_subcommand(word).is_some() || word == "help" {
        return false;
    }
    let path = Path::new(word);
    path.exists()
        || path
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("json"))
        || path.components().count() > 1
}

/// Where a model comes from: a file, or one of the bundled samples.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Source {
    File(PathBuf),
    Sample(&'static str),
}

impl Source {
    /// The file, or the bundled workshop model when none is given.
    fn file_or_default(file: Option<PathBuf>) -> Source {
        match file {
            Some(path) => Source::File(path),
            None => Source::Sample(model::samples::DEFAULT_SAMPLE),
        }
    }

    pub fn load(&self) -> Result<Model, model::LoadError> {
        match self {
            Source::File(path) => model::load(path),
            Source::Sample(id) => model::samples::sample(id)
                .expect("bundled sample ids are constants")
                .load(),
        }
    }

    /// The model, or `None` after saying on `err` why it could not be read.
    fn load_or_report(&self, err: &mut dyn Write) -> Option<Model> {
        match self.load() {
            Ok(m) => Some(m),
            Err(e) => {
                let _ = writeln!(err, "dynamodel: {e}");
                None
            }
        }
    }

    pub fn display(&self) -> String {
        match self {
            Source::File(path) => path.display().to_string(),
            Source::Sample(id) => model::samples::sample(id)
                .map(|s| s.file_name())
                .unwrap_or_else(|| (*id).to_string()),
        }
    }
}

/// Runs the command line with `args` (without the program name), progress as
/// plain lines; returns the exit code.
pub fn run(args: &[String], out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    run_with(args, out, err, Progress::Lines)
}

/// [`run`], with long jobs showing their progress as `progress` says.
pub fn run_with(
    args: &[String],
    out: &mut dyn Write,
    err: &mut dyn Write,
    progress: Progress,
) -> u8 {
    // Until the workbench window is the only way to open a model, the library's
    // command line checks a model given without a subcommand.
    let with_check;
    let args = match invocation(args) {
        Invocation::Window(Some(_)) => {
            with_check = [&["check".to_string()], args].concat();
            &with_check[..]
        }
        _ => args,
    };
    let program = std::iter::once("dynamodel".to_string());
    let cli = match Cli::try_parse_from(program.chain(args.iter().cloned())) {
        Ok(cli) => cli,
        Err(e) => return print_clap_error(&e, out, err),
    };
    match cli.command {
        None => check::run(check::CheckArgs::default(), out, err),
        Some(Command::Check(a)) => check::run(a, out, err),
        Some(Command::Export(a)) => transfer::export(a, out, err),
        Some(Command::Import(a)) => transfer::import(a, out, err),
        Some(Command::Fix(a)) => fix::run(a, out, err),
        Some(Command::Diff(a)) => diff::run(a, out, err),
        Some(Command::Deploy(a)) => deploy::run(a, out, err, progress),
        Some(Command::Completions { shell }) => {
            clap_complete::generate(shell, &mut Cli::command(), "dynamodel", out);
            EXIT_OK
        }
    }
}

/// Help and the version go to `out` with exit 0; a usage error to `err` with exit 2.
fn print_clap_error(e: &clap::Error, out: &mut dyn Write, err: &mut dyn Write) -> u8 {
    let text = e.render().to_string();
    if e.use_stderr() {
        let _ = write!(err, "{text}");
        EXIT_UNREADABLE
    } else {
        let _ = write!(out, "{text}");
        EXIT_OK
    }
}

/// A usage error found after parsing (two options that do not go together), in
/// the parser's words and with `subcommand`'s usage.
fn usage_error(err: &mut dyn Write, subcommand: &str, message: &str) -> u8 {
    let mut cli = Cli::command();
    cli.build();
    let e = match cli.find_subcommand_mut(subcommand) {
        Some(sub) => sub.error(ErrorKind::ArgumentConflict, message),
        None => cli.error(ErrorKind::ArgumentConflict, message),
    };
    let _ = write!(err, "{}", e.render());
    EXIT_UNREADABLE
}

/// A number of sample items per entity, as `--items` and `--seed` take it.
fn sample_count(text: &str) -> Result<usize, String> {
    let max = crate::analysis::sample_items::MAX_SAMPLE_ITEMS;
    text.parse::<usize>()
        .ok()
        .filter(|n| *n <= max)
        .ok_or_else(|| format!("expected a number of sample items per entity, at most {max}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn the_parser_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn a_model_path_opens_the_window_and_a_word_is_a_subcommand() {
        assert_eq!(invocation(&[]), Invocation::Window(None));
        for model in [
            "m.json",
            "M.JSON",
            "dir/m",
            "./notes.dynamodel.json",
            "Cargo.toml",
        ] {
            assert_eq!(
                invocation(&args(&[model])),
                Invocation::Window(Some(PathBuf::from(model))),
                "{model}"
            );
        }
        for command in ["check", "help", "chekc", "deploi", "--help", "-V", "x"] {
            assert_eq!(
                invocation(&args(&[command, "m.json"])),
                Invocation::Command,
                "{command}"
            );
        }
    }
}
