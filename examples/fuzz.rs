//! The long fuzz run (`scripts/fuzz.sh` runs it in release): many inputs per
//! reader, made and checked as the short run in the tests makes and checks them
//! (`tests/integration/fuzz/engine.rs`), with figures per reader.
//!
//!     cargo run --release --example fuzz -- [--reader ID]... [--count N] [--seed S]
//!         [--first I] [--deadline SECS] [--time-limit SECS] [--out DIR]
//!
//! Readers: model-file, template, import-nosql-workbench, import-mcp-json,
//! import-mysql, import-migration-contract, export-markdown,
//! export-cloudformation, analyze (all when none is given). Every input that
//! panics, overruns the deadline or breaks a property is written to DIR
//! (default target/fuzz) and the run exits 1. The heap is capped at
//! [`HEAP_LIMIT`]: an input that asks for more is written to DIR/memory-refused.txt
//! before the process aborts.

#[path = "../tests/integration/fuzz/engine.rs"]
mod engine;

use std::alloc::{GlobalAlloc, Layout};
use std::fs::File;
use std::io::Write;
use std::path::PathBuf;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicPtr, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use engine::{Corpus, Plan, Reader, Tally, describe, fuzz};

/// The most heap the run may hold at once.
const HEAP_LIMIT: usize = 3 << 30;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);
/// The input running now (the worker's copy lives until the input is done).
static INPUT_PTR: AtomicPtr<u8> = AtomicPtr::new(std::ptr::null_mut());
static INPUT_LEN: AtomicUsize = AtomicUsize::new(0);
/// Opened before the run, so reporting an allocation refused allocates nothing.
static MEMORY_REPORT: OnceLock<File> = OnceLock::new();

/// The allocator underneath: mimalloc, as the workbench uses (and cheaper than
/// the system's for the many small values parsing makes).
static INNER: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// The allocator, counting live bytes and refusing past [`HEAP_LIMIT`].
struct Bounded;

impl Bounded {
    fn reserve(&self, size: usize) -> bool {
        let live = LIVE.fetch_add(size, Ordering::Relaxed) + size;
        if live > HEAP_LIMIT {
            LIVE.fetch_sub(size, Ordering::Relaxed);
            refused(size);
            return false;
        }
        PEAK.fetch_max(live, Ordering::Relaxed);
        true
    }
}

fn refused(size: usize) {
    if let Some(mut file) = MEMORY_REPORT.get() {
        let ptr = INPUT_PTR.load(Ordering::Relaxed);
        let len = INPUT_LEN.load(Ordering::Relaxed);
        let _ = file.write_all(b"an allocation past the heap limit was refused; size in bytes (LE u64) then the input:\n");
        let _ = file.write_all(&(size as u64).to_le_bytes());
        let _ = file.write_all(b"\n");
        if !ptr.is_null() {
            // SAFETY: the worker set these from the input it is running, which
            // lives until the input is done (and the process aborts after this).
            let _ = file.write_all(unsafe { std::slice::from_raw_parts(ptr, len) });
        }
    }
}

// SAFETY: every call goes to `INNER` with the caller's layout; only counting is added.
unsafe impl GlobalAlloc for Bounded {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if !self.reserve(layout.size()) {
            return std::ptr::null_mut();
        }
        let p = unsafe { INNER.alloc(layout) };
        if p.is_null() {
            LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        }
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { INNER.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let old = layout.size();
        if new_size > old && !self.reserve(new_size - old) {
            return std::ptr::null_mut();
        }
        let p = unsafe { INNER.realloc(ptr, layout, new_size) };
        if p.is_null() {
            if new_size > old {
                LIVE.fetch_sub(new_size - old, Ordering::Relaxed);
            }
        } else if new_size < old {
            LIVE.fetch_sub(old - new_size, Ordering::Relaxed);
        }
        p
    }
}

#[global_allocator]
static ALLOCATOR: Bounded = Bounded;

fn before_run(text: &str) {
    INPUT_PTR.store(text.as_ptr() as *mut u8, Ordering::Relaxed);
    INPUT_LEN.store(text.len(), Ordering::Relaxed);
}

/// The process's peak resident set (VmHWM), in KiB.
fn max_rss_kib() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .and_then(|l| l.split_whitespace().nth(1)?.parse().ok())
        })
        .unwrap_or(0)
}

/// Starts the peak resident set afresh (Linux: `5` to clear_refs), so each
/// reader's figure is its own.
fn reset_max_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

struct Args {
    readers: Vec<Reader>,
    plan: Plan,
    out: PathBuf,
}

fn parse_args() -> Result<Args, String> {
    let mut readers = Vec::new();
    let mut plan = Plan {
        seed: 0x0D15_EA5E,
        first: 0,
        count: 1_000_000,
        deadline: Duration::from_secs(10),
        time_limit: None,
    };
    let mut out = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("fuzz");
    let mut args = std::env::args().skip(1);
    while let Some(flag) = args.next() {
        let mut value = || args.next().ok_or(format!("{flag} needs a value"));
        let number = |v: String| -> Result<u64, String> {
            let v = v.replace('_', "");
            match v.strip_prefix("0x") {
                Some(hex) => u64::from_str_radix(hex, 16),
                None => v.parse(),
            }
            .map_err(|e| format!("{flag}: {v}: {e}"))
        };
        match flag.as_str() {
            "--reader" => {
                let id = value()?;
                readers.push(Reader::from_id(&id).ok_or(format!("unknown reader {id}"))?);
            }
            "--count" => plan.count = number(value()?)?,
            "--seed" => plan.seed = number(value()?)?,
            "--first" => plan.first = number(value()?)?,
            "--deadline" => plan.deadline = Duration::from_secs(number(value()?)?),
            "--time-limit" => plan.time_limit = Some(Duration::from_secs(number(value()?)?)),
            "--out" => out = PathBuf::from(value()?),
            "--help" | "-h" => return Err(String::new()),
            other => return Err(format!("unknown argument {other}")),
        }
    }
    if readers.is_empty() {
        readers = Reader::ALL.to_vec();
    }
    Ok(Args { readers, plan, out })
}

fn line(reader: Reader, t: &Tally, rss_kib: u64, secs: f64) -> String {
    format!(
        "{:<26} {:>9} {:>9} {:>9} {:>6} {:>8} {:>6} {:>8.0} {:>9.1} {:>8.0}",
        reader.id(),
        t.inputs,
        t.accepted,
        t.rejected,
        t.panics,
        t.timeouts,
        t.broken,
        rss_kib as f64 / 1024.0,
        PEAK.load(Ordering::Relaxed) as f64 / (1 << 20) as f64,
        secs
    )
}

fn main() {
    let args = match parse_args() {
        Ok(args) => args,
        Err(message) => {
            if !message.is_empty() {
                eprintln!("error: {message}");
            }
            eprintln!(
                "{}",
                include_str!("fuzz.rs").lines().nth(4).unwrap_or_default()
            );
            std::process::exit(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let corpus = Corpus::load(&root, &root.join("..").join("shared"));
    if let Err(e) = std::fs::create_dir_all(&args.out) {
        eprintln!("error: {}: {e}", args.out.display());
        std::process::exit(2);
    }
    println!(
        "seed {:#x}, inputs {}..{}, deadline {:?} per input, heap limit {} MiB",
        args.plan.seed,
        args.plan.first,
        args.plan.first + args.plan.count,
        args.plan.deadline,
        HEAP_LIMIT >> 20
    );
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>6} {:>8} {:>6} {:>8} {:>9} {:>8}",
        "reader",
        "inputs",
        "accepted",
        "rejected",
        "panics",
        "timeouts",
        "broken",
        "RSS MiB",
        "heap MiB",
        "secs"
    );
    let memory_report = args.out.join("memory-refused.txt");
    if let Ok(file) = File::create(&memory_report) {
        let _ = MEMORY_REPORT.set(file);
    }
    let mut clean = true;
    for reader in args.readers {
        reset_max_rss();
        PEAK.store(LIVE.load(Ordering::Relaxed), Ordering::Relaxed);
        let started = Instant::now();
        let tally = fuzz(reader, &corpus, &args.plan, Some(before_run), |t| {
            eprintln!(
                "  {}: {} inputs, {} panics, {} timeouts, {} broken, {:.0} s",
                reader.id(),
                t.inputs,
                t.panics,
                t.timeouts,
                t.broken,
                started.elapsed().as_secs_f64()
            );
        });
        println!(
            "{}",
            line(
                reader,
                &tally,
                max_rss_kib(),
                started.elapsed().as_secs_f64()
            )
        );
        for failure in &tally.failures {
            let path = args
                .out
                .join(format!("{}-{}.txt", reader.id(), failure.index));
            let _ = std::fs::write(&path, &failure.input);
            println!("  {} -> {}", describe(reader, failure, 300), path.display());
        }
        clean &= tally.clean();
    }
    // Nothing refused: no report left behind.
    if std::fs::metadata(&memory_report).is_ok_and(|m| m.len() == 0) {
        let _ = std::fs::remove_file(&memory_report);
    }
    std::process::exit(if clean { 0 } else { 1 });
}
