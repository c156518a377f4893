//! Times each former hot spot (`support/scaling.rs` says which and why) at
//! three sizes, N, 2N and 4N, to show that the work grows linearly: each
//! doubling should about double the median. The sizes stay within what a file
//! may hold, and each input is checked to be read, not refused, before it is
//! timed. Few samples and short measurement times, so the whole bench takes
//! minutes: `cargo bench --bench scaling`. For figures that do not swing with a
//! shared machine's load, count instructions with `examples/profile_scaling.rs`.

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::hint::black_box;
use std::time::Duration;

// `Spot::id` is for the profiling example's command line.
#[allow(dead_code)]
#[path = "support/scaling.rs"]
mod inputs;

use criterion::{
    BenchmarkGroup, Criterion, criterion_group, criterion_main, measurement::WallTime,
};
use inputs::Spot;

fn short(group: &mut BenchmarkGroup<'_, WallTime>) {
    group.sample_size(10);
    group.warm_up_time(Duration::from_millis(500));
    group.measurement_time(Duration::from_secs(3));
}

fn bench(c: &mut Criterion) {
    for spot in Spot::ALL {
        let mut group = c.benchmark_group(spot.group());
        short(&mut group);
        for n in spot.sizes() {
            let input = spot.input(n);
            group.bench_function(spot.label(n), |b| b.iter(|| black_box(&input).run()));
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
