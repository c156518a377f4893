//! CPU time of one workbench frame (the egui pass with the app's UI, then
//! tessellation; no GPU) for each centre tab, with the bundled model and with the
//! generated large model; and what one edit of the large model costs the UI thread
//! (the change and its undo step; the re-check runs on a worker thread).

// The workbench's own allocator, so the times are the ones it sees.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[path = "support/large.rs"]
mod large;

use criterion::{Criterion, criterion_group, criterion_main};
use dynamodel::model::{Edit, Element, Model, PatternChange, samples};
use dynamodel::ui::{Document, StartOptions, Tab, Workbench};
use egui_kittest::Harness;

fn harness(model: Model, tab: Tab) -> Harness<'static, Workbench> {
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1440.0, 900.0))
        .build_eframe(move |cc| {
            Workbench::new(
                cc,
                StartOptions {
                    model: Some(model),
                    use_storage: false,
                    ..StartOptions::default()
                },
            )
        });
    harness.state_mut().set_tab(tab);
    harness.run_steps(4);
    harness
}

fn bench(c: &mut Criterion) {
    let shop = samples::sample(samples::DEFAULT_SAMPLE)
        .expect("bundled sample")
        .load()
        .expect("bundled model loads");
    let large = large::large_model();
    // Keystrokes in one field: one undo step, so the history holds one old model.
    let mut document = Document::new(large.clone(), None);
    let pattern = large.access_patterns[0].uid.get();
    let mut typed = 0u64;
    c.bench_function("edit: one keystroke in the large model", |b| {
        b.iter(|| {
            typed += 1;
            let edit = Edit::Pattern {
                pattern,
                change: PatternChange::Description(format!("typed {typed}")),
            };
            assert!(document.apply_typing(&edit).is_ok());
        })
    });
    // Typing a table's name: the field asks the model first (no copy), then applies.
    let mut renaming = Document::new(large.clone(), None);
    let table = large.tables[0].uid.get();
    let mut letters = 0u64;
    c.bench_function("edit: one keystroke in a table name, large model", |b| {
        b.iter(|| {
            letters += 1;
            let edit = Edit::Rename {
                element: Element::Table(table),
                name: format!("Renamed{letters}"),
            };
            assert!(renaming.model().check_edit(&edit).is_ok());
            assert!(renaming.apply_typing(&edit).is_ok());
        })
    });
    for (name, model) in [("ecommerce", &shop), ("large", &large)] {
        for tab in Tab::ALL {
            let mut h = harness(model.clone(), tab);
            c.bench_function(&format!("frame: {} tab, {name} model", tab.label()), |b| {
                b.iter(|| {
                    h.step();
                    let output = h.output();
                    let ppp = output.pixels_per_point;
                    let shapes = output.shapes.clone();
                    std::hint::black_box(h.ctx.tessellate(shapes, ppp));
                })
            });
        }
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
