//! The fuzzing engine shared by the short run in the tests (`tests/integration/fuzz.rs`)
//! and the long run (`examples/fuzz.rs`, `scripts/fuzz.sh`).
//!
//! Inputs come from the bundled models and the fixtures: byte-level mutations of
//! their text (flips, inserted tokens, cut and repeated spans, splices of two
//! files) and structure-aware mutations of their JSON (a node replaced by an odd
//! value, an array element repeated, a key removed or renamed, a node from another
//! file), with choices drawn through `arbitrary::Unstructured` from a seeded
//! generator, so a seed and an index name an input. Templates are also made from
//! scratch out of the characters the template language cares about.
//!
//! Each input runs on a worker thread under `catch_unwind` with a deadline. The
//! properties: no panic, no run over the deadline, and for an accepted input the
//! exported NoSQL Workbench and MCP JSON files re-import, a parsed template prints
//! back to itself, and `analyze` run twice gives the same JSON. Inputs are at most
//! [`MAX_INPUT`] bytes and repeat an element at most [`MAX_REPEAT`] times, which
//! bounds the memory an input may ask of a linear reader.

use std::cell::{Cell, RefCell};
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::sync::{Arc, Once};
use std::time::{Duration, Instant};

use arbitrary::Unstructured;
use dynamodel::analysis::analyze;
use dynamodel::analysis::sample_items::SampleCounts;
use dynamodel::export::{self, ExportFormat, ExportOptions, ImportFormat, import_str};
use dynamodel::model::{Model, Template, load_str};
use serde_json::{Value, json};

/// The largest input made, in bytes.
pub const MAX_INPUT: usize = 256 * 1024;
/// The most copies of one array element a structural mutation makes.
pub const MAX_REPEAT: usize = 64;

/// What is fuzzed: each reader, and the exporters and the analysis fed with
/// models made by mutating the bundled ones.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reader {
    ModelFile,
    Template,
    NosqlWorkbench,
    McpJson,
    Mysql,
    MigrationContract,
    Markdown,
    CloudFormation,
    Analyze,
}

impl Reader {
    pub const ALL: [Reader; 9] = [
        Reader::ModelFile,
        Reader::Template,
        Reader::NosqlWorkbench,
        Reader::McpJson,
        Reader::Mysql,
        Reader::MigrationContract,
        Reader::Markdown,
        Reader::CloudFormation,
        Reader::Analyze,
    ];

    pub fn id(self) -> &'static str {
        match self {
            Reader::ModelFile => "model-file",
            Reader::Template => "template",
            Reader::NosqlWorkbench => "import-nosql-workbench",
            Reader::McpJson => "import-mcp-json",
            Reader::Mysql => "import-mysql",
            Reader::MigrationContract => "import-migration-contract",
            Reader::Markdown => "export-markdown",
            Reader::CloudFormation => "export-cloudformation",
            Reader::Analyze => "analyze",
        }
    }

    pub fn from_id(id: &str) -> Option<Reader> {
        Self::ALL.into_iter().find(|r| r.id() == id)
    }

    fn import_format(self) -> Option<ImportFormat> {
        match self {
            Reader::NosqlWorkbench => Some(ImportFormat::NosqlWorkbench),
            Reader::McpJson => Some(ImportFormat::McpJson),
            Reader::Mysql => Some(ImportFormat::Mysql),
            Reader::MigrationContract => Some(ImportFormat::MigrationContract),
            _ => None,
        }
    }
}

/// One file an input is made from: its text and, when it is JSON, its value.
pub struct Seed {
    pub text: String,
    pub value: Option<Value>,
}

/// The seed files of each kind.
pub struct Corpus {
    pub models: Vec<Seed>,
    pub workbench: Vec<Seed>,
    pub mcp: Vec<Seed>,
    pub mysql: Vec<Seed>,
    pub contract: Vec<Seed>,
    /// Every key template in the bundled models.
    pub templates: Vec<String>,
}

fn files(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let mut found: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.to_string_lossy().ends_with(ext))
                .collect()
        })
        .unwrap_or_default();
    found.sort();
    found
}

fn seeds(paths: Vec<PathBuf>) -> Vec<Seed> {
    paths
        .into_iter()
        .filter_map(|p| {
            let text = std::fs::read_to_string(&p).ok()?;
            Some(Seed {
                value: serde_json::from_str(&text).ok(),
                text,
            })
        })
        .collect()
}

impl Corpus {
    /// The bundled models, `tests/fixtures/**` and `shared/fixtures/nosql-workbench`
    /// and `shared/workshop` (read in place; missing ones are left out).
    pub fn load(root: &Path, shared: &Path) -> Corpus {
        let fixtures = root.join("tests").join("fixtures");
        let models = seeds(files(
            &root.join("assets").join("models"),
            ".dynamodel.json",
        ));
        let mut workbench = files(&fixtures.join("nosql-workbench"), ".json");
        workbench.extend(files(
            &fixtures.join("real").join("nosql-workbench"),
            ".json",
        ));
        workbench.extend(files(
            &shared.join("fixtures").join("nosql-workbench"),
            ".json",
        ));
        let mut mcp = files(&fixtures.join("mcp-json"), ".json");
        mcp.extend(files(&fixtures.join("real").join("mcp-json"), ".json"));
        let mut mysql = files(&fixtures.join("mysql"), ".sql");
        mysql.extend(files(&shared.join("workshop"), ".sql"));
        let mut contract = files(&shared.join("workshop"), ".json");
        // The contract the bundled model exports: a second seed when the
        // workshop's is not there.
        contract.push(
            root.join("tests")
                .join("golden")
                .join("ecommerce.migrationContract.json"),
        );
        let models = models;
        let mut templates = Vec::new();
        for seed in &models {
            if let Some(v) = &seed.value {
                collect_templates(v, &mut templates);
            }
        }
        templates.sort();
        templates.dedup();
        Corpus {
            models,
            workbench: seeds(workbench),
            mcp: seeds(mcp),
            mysql: seeds(mysql),
            contract: seeds(contract),
            templates,
        }
    }

    fn pool(&self, reader: Reader) -> &[Seed] {
        match reader {
            Reader::NosqlWorkbench => &self.workbench,
            Reader::McpJson => &self.mcp,
            Reader::Mysql => &self.mysql,
            Reader::MigrationContract => &self.contract,
            _ => &self.models,
        }
    }

    /// Any seed of any kind (for splices across formats).
    fn any(&self, pick: usize) -> &Seed {
        let all = [
            &self.models,
            &self.workbench,
            &self.mcp,
            &self.mysql,
            &self.contract,
        ];
        let total: usize = all.iter().map(|p| p.len()).sum();
        let mut at = pick % total.max(1);
        for pool in all {
            if at < pool.len() {
                return &pool[at];
            }
            at -= pool.len();
        }
        &self.models[0]
    }
}

fn collect_templates(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::String(s) if s.contains('{') => out.push(s.clone()),
        Value::Array(list) => list.iter().for_each(|x| collect_templates(x, out)),
        Value::Object(map) => map.values().for_each(|x| collect_templates(x, out)),
        _ => {}
    }
}

/// SplitMix64: a seed and an index give the same bytes on every machine.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64, index: u64) -> Rng {
        let mut rng = Rng(seed ^ index.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next();
        rng
    }

    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn bytes(&mut self, n: usize) -> Vec<u8> {
        (0..n.div_ceil(8))
            .flat_map(|_| self.next().to_le_bytes())
            .take(n)
            .collect()
    }
}

/// Choices drawn from `arbitrary`'s unstructured bytes; when they run out,
/// `arbitrary` answers with the smallest choice, which keeps inputs small.
struct Choices<'a>(Unstructured<'a>);

impl Choices<'_> {
    fn below(&mut self, n: usize) -> usize {
        if n <= 1 {
            return 0;
        }
        self.0.int_in_range(0..=n - 1).unwrap_or(0)
    }

    fn chance(&mut self, percent: u8) -> bool {
        percent > 0 && self.0.ratio(percent.min(100), 100).unwrap_or(false)
    }
}

/// Tokens that readers treat specially, inserted by byte mutations.
const TOKENS: &[&str] = &[
    "{",
    "}",
    "[",
    "]",
    "\"",
    ",",
    ":",
    "#",
    "{{",
    "}}",
    "{x}",
    "{a:08}",
    "{:}",
    "{a:999}",
    "null",
    "true",
    "-1",
    "0",
    "1e999",
    "-0",
    "1.5",
    "18446744073709551615",
    "4294967296",
    "\"\"",
    "\"S\"",
    "\"N\"",
    "\"B\"",
    "\\u0000",
    "\\ud800",
    "é",
    "\u{1F600}",
    "\n",
    ";",
    "--",
    "/*",
    "*/",
    "'",
    "`",
    "DELIMITER ;;",
    "CREATE TABLE t (a INT PRIMARY KEY);",
    "PRIMARY KEY",
    "VARCHAR(99999999999)",
    "ENUM(",
    "{\"S\":\"x\"}",
    "[{}]",
];

/// Odd values a structural mutation puts in place of a node.
fn odd_value(c: &mut Choices) -> Value {
    match c.below(16) {
        0 => Value::Null,
        1 => json!(true),
        2 => json!(-1),
        3 => json!(0),
        4 => json!(u64::MAX),
        5 => json!(i64::MIN),
        6 => json!(4_294_967_296u64),
        7 => json!(1.5e300),
        8 => json!(""),
        9 => json!("x".repeat(c.below(4096))),
        10 => {
            let n = 1 + c.below(200);
            json!(
                (0..n)
                    .map(|i| format!("{{p{}}}", i % 5))
                    .collect::<Vec<_>>()
                    .join("#")
            )
        }
        11 => json!(["a", 1, null]),
        12 => json!({}),
        13 => json!([]),
        14 => json!({"S": "v"}),
        _ => json!(TOKENS[c.below(TOKENS.len())]),
    }
}

/// A node picked by a random walk from the root.
fn pick_node<'v>(v: &'v mut Value, c: &mut Choices) -> &'v mut Value {
    let descend = match v {
        Value::Array(list) => !list.is_empty() && c.chance(80),
        Value::Object(map) => !map.is_empty() && c.chance(80),
        _ => false,
    };
    if !descend {
        return v;
    }
    match v {
        Value::Array(list) => {
            let i = c.below(list.len());
            pick_node(&mut list[i], c)
        }
        Value::Object(map) => {
            let i = c.below(map.len());
            let (_, child) = map.iter_mut().nth(i).expect("index below the length");
            pick_node(child, c)
        }
        _ => v,
    }
}

/// A copy of a node picked by a random walk (for splices): the walk
/// [`pick_node`] takes, without copying the rest of the tree.
fn some_node(v: &Value, c: &mut Choices) -> Value {
    let descend = match v {
        Value::Array(list) => !list.is_empty() && c.chance(80),
        Value::Object(map) => !map.is_empty() && c.chance(80),
        _ => false,
    };
    if !descend {
        return v.clone();
    }
    match v {
        Value::Array(list) => some_node(&list[c.below(list.len())], c),
        Value::Object(map) => {
            let i = c.below(map.len());
            let (_, child) = map.iter().nth(i).expect("index below the length");
            some_node(child, c)
        }
        _ => v.clone(),
    }
}

fn mutate_value(v: &mut Value, donor: &Value, c: &mut Choices) {
    let node = pick_node(v, c);
    match c.below(8) {
        0 | 1 => *node = odd_value(c),
        2 => match node {
            Value::Array(list) if !list.is_empty() => {
                let i = c.below(list.len());
                let copies = 1 + c.below(MAX_REPEAT);
                let item = list[i].clone();
                for _ in 0..copies {
                    list.insert(i, item.clone());
                }
            }
            Value::Object(map) if !map.is_empty() => {
                let i = c.below(map.len());
                let key = map.keys().nth(i).cloned().unwrap_or_default();
                map.shift_remove(&key);
            }
            _ => *node = odd_value(c),
        },
        3 => match node {
            Value::Array(list) if !list.is_empty() => {
                let i = c.below(list.len());
                list.remove(i);
            }
            Value::Object(map) if !map.is_empty() => {
                // Rename a key: same value under a name the reader may not expect.
                let i = c.below(map.len());
                let key = map.keys().nth(i).cloned().unwrap_or_default();
                if let Some(value) = map.shift_remove(&key) {
                    let renamed = match c.below(3) {
                        0 => format!("{key}_"),
                        1 => key.to_uppercase(),
                        _ => String::new(),
                    };
                    map.insert(renamed, value);
                }
            }
            _ => *node = odd_value(c),
        },
        4 | 5 => *node = some_node(donor, c),
        6 => *node = json!([node.take()]),
        _ => {
            if let Value::String(s) = node {
                let mut bytes = std::mem::take(s).into_bytes();
                mutate_bytes(&mut bytes, &[], c, 2);
                *s = String::from_utf8_lossy(&bytes).into_owned();
            } else {
                *node = odd_value(c);
            }
        }
    }
}

fn mutate_bytes(bytes: &mut Vec<u8>, donor: &[u8], c: &mut Choices, rounds: usize) {
    for _ in 0..rounds {
        let len = bytes.len();
        let at = c.below(len + 1);
        match c.below(7) {
            0 if len > 0 => bytes[at.min(len - 1)] = c.below(256) as u8,
            1 | 2 => {
                let token = TOKENS[c.below(TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + 1 + c.below(64)).min(len);
                bytes.drain(at.min(end)..end);
            }
            4 => {
                let end = (at + 1 + c.below(256)).min(len);
                let span = bytes[at.min(end)..end].to_vec();
                let copies = 1 + c.below(MAX_REPEAT / 4);
                let to = c.below(len + 1);
                for _ in 0..copies {
                    bytes.splice(to..to, span.iter().copied());
                }
            }
            5 if !donor.is_empty() => {
                // A splice: this file's head, another file's tail.
                let from = c.below(donor.len());
                bytes.truncate(at);
                bytes.extend_from_slice(&donor[from..]);
            }
            _ => bytes.truncate(at),
        }
        if bytes.len() > MAX_INPUT {
            bytes.truncate(MAX_INPUT);
        }
    }
}

/// A template made of the characters the template language cares about.
fn made_template(c: &mut Choices) -> String {
    const PARTS: &[&str] = &[
        "{", "}", "#", ":", "0", "8", "a", "b", "_", ".", "-", "é", " ", "{a}", "{b:08}", "{{",
        "}}", "{a:}", "{a:0}", "{a:255}", "{a:256}", "{a b}", "ORDER", "\u{0}",
    ];
    let n = c.below(48);
    (0..n).map(|_| PARTS[c.below(PARTS.len())]).collect()
}

/// Input `index` of `reader` for `seed`.
pub fn generate(reader: Reader, corpus: &Corpus, seed: u64, index: u64) -> String {
    let mut rng = Rng::new(seed ^ reader as u64, index);
    let entropy = rng.bytes(512);
    let mut c = Choices(Unstructured::new(&entropy));
    if reader == Reader::Template {
        if corpus.templates.is_empty() || c.chance(50) {
            return made_template(&mut c);
        }
        let mut bytes = corpus.templates[c.below(corpus.templates.len())]
            .clone()
            .into_bytes();
        let rounds = 1 + c.below(4);
        mutate_bytes(&mut bytes, b"{x:08}#{y}", &mut c, rounds);
        return String::from_utf8_lossy(&bytes).into_owned();
    }
    let pool = corpus.pool(reader);
    let base = &pool[c.below(pool.len())];
    // The exporters and the analysis need models that load: mostly structural.
    let structural_percent = match reader {
        Reader::Markdown | Reader::CloudFormation | Reader::Analyze => 95,
        Reader::Mysql => 0,
        _ => 50,
    };
    let donor = if c.chance(10) {
        corpus.any(c.below(1 << 16))
    } else {
        &pool[c.below(pool.len())]
    };
    if let Some(value) = base.value.as_ref().filter(|_| c.chance(structural_percent)) {
        let mut mutated = value.clone();
        let rounds = 1 + c.below(4);
        let donor_value = donor.value.as_ref().unwrap_or(value);
        for _ in 0..rounds {
            mutate_value(&mut mutated, donor_value, &mut c);
        }
        let text = mutated.to_string();
        if text.len() <= MAX_INPUT {
            return text;
        }
        return base.text.clone();
    }
    let mut bytes = base.text.clone().into_bytes();
    let rounds = 1 + c.below(6);
    mutate_bytes(&mut bytes, donor.text.as_bytes(), &mut c, rounds);
    String::from_utf8_lossy(&bytes).into_owned()
}

/// What one input did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Verdict {
    Accepted,
    /// Refused with this error.
    Rejected(String),
    /// A property does not hold (the message says which).
    Broken(String),
}

/// Items per entity that the re-import property exports.
const ROUND_TRIP_SAMPLES: usize = 2;

/// An accepted model: its NoSQL Workbench and MCP JSON exports re-import.
fn round_trip(model: &Model) -> Verdict {
    let options = ExportOptions {
        samples: SampleCounts::uniform(ROUND_TRIP_SAMPLES),
        ..ExportOptions::default()
    };
    for (out, back) in [
        (ExportFormat::NosqlWorkbench, ImportFormat::NosqlWorkbench),
        (ExportFormat::McpJson, ImportFormat::McpJson),
    ] {
        let text = export::export(model, out, &options).text;
        if let Err(e) = import_str(&text, Path::new("round-trip.json"), back) {
            return Verdict::Broken(format!("its {} export does not re-import: {e}", out.id()));
        }
    }
    Verdict::Accepted
}

/// Runs `reader` on `text` and checks the properties (panics propagate).
pub fn check(reader: Reader, text: &str) -> Verdict {
    let model_path = Path::new("fuzz.dynamodel.json");
    if let Some(format) = reader.import_format() {
        let path = Path::new(match format {
            ImportFormat::Mysql => "fuzz.sql",
            _ => "fuzz.json",
        });
        return match import_str(text, path, format) {
            Ok(imported) => round_trip(&imported.model),
            Err(e) => Verdict::Rejected(e.to_string()),
        };
    }
    if reader == Reader::Template {
        return match Template::parse(text) {
            Ok(template) => {
                let printed = template.to_string();
                match Template::parse(&printed) {
                    Ok(again) if again.segments.len() == template.segments.len() => {
                        Verdict::Accepted
                    }
                    Ok(_) => Verdict::Broken(format!("prints as {printed:?}, which parses apart")),
                    Err(e) => Verdict::Broken(format!("prints as {printed:?}, which fails: {e}")),
                }
            }
            Err(e) => Verdict::Rejected(e.to_string()),
        };
    }
    let model = match load_str(text, model_path) {
        Ok(model) => model,
        Err(e) => return Verdict::Rejected(e.to_string()),
    };
    match reader {
        Reader::Markdown => {
            export::export(&model, ExportFormat::Markdown, &ExportOptions::default());
            Verdict::Accepted
        }
        Reader::CloudFormation => {
            for yaml in [false, true] {
                let options = ExportOptions {
                    yaml,
                    ..ExportOptions::default()
                };
                export::export(&model, ExportFormat::CloudFormation, &options);
            }
            Verdict::Accepted
        }
        Reader::Analyze => {
            let first = serde_json::to_string(&analyze(&model));
            let second = serde_json::to_string(&analyze(&model));
            match (first, second) {
                (Ok(a), Ok(b)) if a == b => Verdict::Accepted,
                (Ok(_), Ok(_)) => Verdict::Broken("two analyses differ".into()),
                (Err(e), _) | (_, Err(e)) => {
                    Verdict::Broken(format!("the analysis does not serialize: {e}"))
                }
            }
        }
        _ => round_trip(&model),
    }
}

/// What running one input came to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    Done(Verdict),
    Panicked(String),
    TimedOut,
}

thread_local! {
    /// Set on fuzz workers: their panics are caught and reported, not printed.
    static IN_WORKER: Cell<bool> = const { Cell::new(false) };
    static PANIC_AT: RefCell<Option<String>> = const { RefCell::new(None) };
}

static QUIET: Once = Once::new();

/// Panics on fuzz workers record where they happened instead of printing; other
/// threads keep the hook they had.
fn quiet_worker_panics() {
    QUIET.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if IN_WORKER.get() {
                let at = info.location().map(|l| l.to_string()).unwrap_or_default();
                PANIC_AT.with(|p| *p.borrow_mut() = Some(at));
            } else {
                previous(info);
            }
        }));
    });
}

fn panic_text(payload: &(dyn std::any::Any + Send)) -> String {
    let message = payload
        .downcast_ref::<&str>()
        .map(|s| s.to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(not a string)".into());
    let at = PANIC_AT.with(|p| p.borrow_mut().take()).unwrap_or_default();
    format!("{message} at {at}")
}

type Job = (Reader, Arc<str>);

/// A thread that runs inputs; replaced when one overruns its deadline.
pub struct Worker {
    jobs: mpsc::Sender<Job>,
    outcomes: mpsc::Receiver<Outcome>,
}

/// Called with the input's text before it runs (the long run uses it to name the
/// input when memory runs out).
pub type BeforeRun = fn(&str);

impl Worker {
    pub fn start(before: Option<BeforeRun>) -> Worker {
        quiet_worker_panics();
        let (jobs, job_rx) = mpsc::channel::<Job>();
        let (outcome_tx, outcomes) = mpsc::channel();
        std::thread::Builder::new()
            .name("fuzz-worker".into())
            .stack_size(8 << 20)
            .spawn(move || {
                IN_WORKER.set(true);
                for (reader, text) in job_rx {
                    if let Some(before) = before {
                        before(&text);
                    }
                    let outcome = match std::panic::catch_unwind(|| check(reader, &text)) {
                        Ok(verdict) => Outcome::Done(verdict),
                        Err(payload) => Outcome::Panicked(panic_text(&*payload)),
                    };
                    if outcome_tx.send(outcome).is_err() {
                        break;
                    }
                }
            })
            .expect("a fuzz worker thread starts");
        Worker { jobs, outcomes }
    }

    /// Runs one input; past `deadline` the worker is abandoned (it may be stuck)
    /// and a new one takes its place.
    pub fn run(
        &mut self,
        reader: Reader,
        text: Arc<str>,
        deadline: Duration,
        before: Option<BeforeRun>,
    ) -> Outcome {
        if self.jobs.send((reader, text)).is_err() {
            *self = Worker::start(before);
            return Outcome::Panicked("the worker thread ended".into());
        }
        match self.outcomes.recv_timeout(deadline) {
            Ok(outcome) => outcome,
            Err(_) => {
                *self = Worker::start(before);
                Outcome::TimedOut
            }
        }
    }
}

/// One input that broke a property.
#[derive(Clone, Debug)]
pub struct Failure {
    pub index: u64,
    pub what: String,
    pub input: String,
}

/// The figures of one reader's run.
#[derive(Clone, Debug, Default)]
pub struct Tally {
    pub inputs: u64,
    pub accepted: u64,
    pub rejected: u64,
    pub panics: u64,
    pub timeouts: u64,
    pub broken: u64,
    /// The longest error message a rejected input got, in bytes.
    pub longest_error: usize,
    pub failures: Vec<Failure>,
}

impl Tally {
    pub fn clean(&self) -> bool {
        self.panics == 0 && self.timeouts == 0 && self.broken == 0
    }

    fn count(&mut self, index: u64, input: &Arc<str>, outcome: Outcome) {
        self.inputs += 1;
        let what = match outcome {
            Outcome::Done(Verdict::Accepted) => {
                self.accepted += 1;
                return;
            }
            Outcome::Done(Verdict::Rejected(message)) => {
                self.rejected += 1;
                self.longest_error = self.longest_error.max(message.len());
                return;
            }
            Outcome::Done(Verdict::Broken(what)) => {
                self.broken += 1;
                what
            }
            Outcome::Panicked(message) => {
                self.panics += 1;
                format!("panicked: {message}")
            }
            Outcome::TimedOut => {
                self.timeouts += 1;
                "ran over the deadline".into()
            }
        };
        // Keep the first few of each run: enough to reproduce, bounded in memory.
        if self.failures.len() < 20 {
            self.failures.push(Failure {
                index,
                what,
                input: input.to_string(),
            });
        }
    }
}

/// How one reader's run is bounded.
#[derive(Clone, Debug)]
pub struct Plan {
    pub seed: u64,
    /// Inputs `first..first + count`.
    pub first: u64,
    pub count: u64,
    /// Per input.
    pub deadline: Duration,
    /// For the whole run: stops early when reached.
    pub time_limit: Option<Duration>,
}

/// Runs `plan` for `reader`; `progress` is called now and then with the tally so far.
pub fn fuzz(
    reader: Reader,
    corpus: &Corpus,
    plan: &Plan,
    before: Option<BeforeRun>,
    mut progress: impl FnMut(&Tally),
) -> Tally {
    let started = Instant::now();
    let mut worker = Worker::start(before);
    let mut tally = Tally::default();
    for index in plan.first..plan.first + plan.count {
        if plan
            .time_limit
            .is_some_and(|limit| started.elapsed() >= limit)
        {
            break;
        }
        let input: Arc<str> = generate(reader, corpus, plan.seed, index).into();
        let outcome = worker.run(reader, input.clone(), plan.deadline, before);
        tally.count(index, &input, outcome);
        if index % 10_000 == 9_999 {
            progress(&tally);
        }
    }
    tally
}

/// A failure for a report: what broke, and the input, escaped and cut to `limit`
/// characters.
pub fn describe(reader: Reader, failure: &Failure, limit: usize) -> String {
    let shown: String = failure.input.chars().take(limit).collect();
    let cut = if failure.input.chars().count() > limit {
        format!(" (first {limit} of {} bytes)", failure.input.len())
    } else {
        String::new()
    };
    format!(
        "{} input #{}: {}\n  input{cut}: {shown:?}",
        reader.id(),
        failure.index,
        failure.what
    )
}
