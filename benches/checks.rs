//! Times the full check (resolution + every rule + partitions + cost) that runs on
//! every edit: on the bundled workshop model and on a generated large model. The
//! large model is timed as `analyze` runs it (on two threads: it has more than 400
//! patterns) and on one thread. Each time includes dropping the result.

// The workbench's own allocator, so the times are the ones it sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/large.rs"]
mod large;

use criterion::{Criterion, criterion_group, criterion_main};
use dynamodel::analysis::{analyze, analyze_with};
use dynamodel::model::samples;
use large::large_model;

fn bench(c: &mut Criterion) {
    let shop = samples::sample(samples::DEFAULT_SAMPLE)
        .expect("bundled sample")
        .load()
        .expect("bundled model loads");
    c.bench_function("full check: ecommerce model", |b| {
        b.iter(|| analyze(std::hint::black_box(&shop)))
    });
    let large = large_model();
    assert_eq!(
        (
            large.tables.len(),
            large.entities.len(),
            large.access_patterns.len()
        ),
        (100, 1000, 5000)
    );
    c.bench_function(
        "full check: 100 tables, 1000 entities, 5000 patterns",
        |b| b.iter(|| analyze(std::hint::black_box(&large))),
    );
    c.bench_function(
        "full check on one thread: 100 tables, 1000 entities, 5000 patterns",
        |b| b.iter(|| analyze_with(std::hint::black_box(&large), false)),
    );
}

criterion_group!(benches, bench);
criterion_main!(benches);
