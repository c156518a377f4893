use std::path::PathBuf;
use std::process::ExitCode;

/// mimalloc: the analysis that runs on every edit and each frame's UI make many
/// small, short-lived allocations, which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The command-line subcommands; any other first argument is a model file to open.
const SUBCOMMANDS: &[&str] = &["check", "export", "import", "deploy", "fix", "diff", "help"];

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let open = match args.first().map(String::as_str) {
        None => Some(None),
        Some(first) if !first.starts_with('-') && !SUBCOMMANDS.contains(&first) => {
            Some(Some(PathBuf::from(first)))
        }
        _ => None,
    };
    if let Some(file) = open {
        return match dynamodel::ui::run(file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("dynamodel: {e:#}");
                ExitCode::from(dynamodel::cli::EXIT_UNREADABLE)
            }
        };
    }
    let code = dynamodel::cli::run(&args, &mut std::io::stdout(), &mut std::io::stderr());
    ExitCode::from(code)
}
