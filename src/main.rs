use std::process::ExitCode;

use dynamodel::cli::{self, Invocation, Progress};

/// mimalloc: the analysis that runs on every edit and each frame's UI make many
/// small, short-lived allocations, which it serves faster than the system allocator.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if let Invocation::Window(file) = cli::invocation(&args) {
        return match dynamodel::ui::run(file) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("dynamodel: {e:#}");
                ExitCode::from(cli::EXIT_UNREADABLE)
            }
        };
    }
    let code = cli::run_with(
        &args,
        &mut std::io::stdout(),
        &mut std::io::stderr(),
        Progress::for_stderr(),
    );
    ExitCode::from(code)
}
