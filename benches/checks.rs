//! Times the full check (resolution + every rule + partitions + cost) that runs on
//! every edit: on the bundled workshop model and on a generated large model. The
//! large model is timed as `analyze` runs it (on two threads: it has more than 400
//! patterns) and on one thread. Each time includes dropping the result. Also the
//! diagram's layout of the large model and of its half (linear: half the time).
//! And the comparison of two designs (both analyses given, as the Compare view
//! has them): the bundled first draft against the redesign, and the large model
//! against a copy with every tenth pattern's rate changed.

// The workbench's own allocator, so the times are the ones it sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/large.rs"]
mod large;

use criterion::{Criterion, criterion_group, criterion_main};
use dynamodel::analysis::compare::{Options, compare};
use dynamodel::analysis::diagram::diagram;
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
    // The Diagram tab lays the model out again after each edit.
    let analysis = analyze(&large);
    c.bench_function(
        "diagram layout: 100 tables, 1000 entities, 5000 patterns",
        |b| b.iter(|| diagram(std::hint::black_box(&large), &analysis)),
    );
    let draft = samples::sample("ecommerce-initial")
        .expect("bundled sample")
        .load()
        .expect("bundled model loads");
    let (draft_analysis, shop_analysis) = (analyze(&draft), analyze(&shop));
    c.bench_function("compare: first draft → redesign", |b| {
        b.iter(|| {
            compare(
                std::hint::black_box(&draft),
                &draft_analysis,
                &shop,
                &shop_analysis,
                Options::default(),
            )
        })
    });
    let mut retuned = large.clone();
    for p in retuned.access_patterns.iter_mut().step_by(10) {
        p.average_rps *= 2.0;
    }
    let retuned_analysis = analyze(&retuned);
    c.bench_function(
        "compare: 5000-pattern model → itself with every tenth rate doubled",
        |b| {
            b.iter(|| {
                compare(
                    std::hint::black_box(&large),
                    &analysis,
                    &retuned,
                    &retuned_analysis,
                    Options::default(),
                )
            })
        },
    );
    let half = halved(&large);
    let half_analysis = analyze(&half);
    c.bench_function(
        "diagram layout: 50 tables, 500 entities, 2500 patterns",
        |b| b.iter(|| diagram(std::hint::black_box(&half), &half_analysis)),
    );
}

/// The first half of the large model's tables with their entities, and half its
/// patterns: the diagram's time should halve with it.
fn halved(model: &dynamodel::model::Model) -> dynamodel::model::Model {
    let mut half = model.clone();
    half.tables.truncate(model.tables.len() / 2);
    let kept: std::collections::HashSet<String> =
        half.tables.iter().map(|t| t.name.clone()).collect();
    half.entities.retain(|e| kept.contains(&e.table));
    half.access_patterns
        .truncate(model.access_patterns.len() / 2);
    half
}

criterion_group!(benches, bench);
criterion_main!(benches);
