//! Runs the full check of the generated large model a few times, for profilers.
//! Wall-clock times on shared machines swing with memory contention; instruction
//! counts do not:
//!
//! ```sh
//! cargo build --release --example profile_check
//! valgrind --tool=callgrind --toggle-collect='dynamodel::analysis::analyze_with' \
//!     target/release/examples/profile_check 3 one-thread
//! ```
//!
//! Arguments: how many runs (default 3), and `one-thread` to keep to one thread.

// The workbench's own allocator, so the counts are the ones it sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/large.rs"]
mod large;

fn main() {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(3);
    let parallel = args.next().as_deref() != Some("one-thread");
    let model = large::large_model();
    let mut times = Vec::new();
    for _ in 0..runs {
        let start = std::time::Instant::now();
        std::hint::black_box(dynamodel::analysis::analyze_with(&model, parallel));
        times.push(start.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    if runs > 10 {
        eprintln!("min {:.2} ms, median {:.2} ms", times[0], times[runs / 2]);
    }
}
