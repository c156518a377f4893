//! Runs one former hot spot of the scaling benchmark once, at a size, for
//! instruction counts that do not swing with a shared machine's load:
//!
//! ```sh
//! cargo build --release --example profile_scaling
//! for n in 250 500 1000; do
//!   valgrind --tool=callgrind --callgrind-out-file=/dev/null \
//!     --toggle-collect='profile_scaling::inputs::Input::run' \
//!     target/release/examples/profile_scaling gsis $n 2>&1 | grep 'Collected'
//! done
//! ```
//!
//! Arguments: the hot spot (`gsis`, `placeholders`, `items`, `segments`) and the
//! size (default: the benchmark's three, one after another).

// The workbench's own allocator, so the counts are the ones it sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "../benches/support/scaling.rs"]
mod inputs;

use inputs::Spot;

fn main() {
    let mut args = std::env::args().skip(1);
    let id = args.next().unwrap_or_default();
    let Some(spot) = Spot::ALL.into_iter().find(|s| s.id() == id) else {
        eprintln!("usage: profile_scaling gsis|placeholders|items|segments [SIZE]");
        std::process::exit(2);
    };
    let sizes: Vec<usize> = match args.next().and_then(|n| n.parse().ok()) {
        Some(n) => vec![n],
        None => spot.sizes().to_vec(),
    };
    for n in sizes {
        let input = spot.input(n);
        let start = std::time::Instant::now();
        let out = std::hint::black_box(input.run());
        println!(
            "{}/{}: {:.2} ms ({out})",
            spot.group(),
            spot.label(n),
            start.elapsed().as_secs_f64() * 1000.0
        );
    }
}
