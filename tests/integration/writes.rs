//! Files the program writes: killed at any moment, a writer leaves the old file or
//! the new one and, once the next write to that file has run, no temporary file;
//! an output that is the input is refused; an existing output keeps its mode and
//! a symbolic link stays one.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use dynamodel::model::{self, AttrValue, Item, TEMP_MARK};

use crate::cli::run;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("dynamodel-writes-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn temp_files(dir: &Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains(TEMP_MARK))
        .collect()
}

/// A small deterministic sequence of kill delays.
struct Delays(u64);

impl Delays {
    fn next(&mut self, upto: Duration) -> Duration {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let fraction = (self.0 >> 11) as f64 / (1u64 << 53) as f64;
        upto.mul_f64(fraction)
    }
}

/// Runs `args` `trials` times, killing it after a delay spread over one whole
/// run; after each, `out` holds exactly `old` or `new`. Then one more run to the
/// end leaves no temporary file. Returns (trials that left the old file, that
/// left the new one, that left a temporary file).
fn kill_trials(args: &[String], out: &Path, old: &[u8], trials: usize) -> (usize, usize, usize) {
    let bin = env!("CARGO_BIN_EXE_dynamodel");
    let dir = out.parent().unwrap();
    std::fs::write(out, old).unwrap();
    let started = Instant::now();
    let status = Command::new(bin)
        .args(args)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success(), "{args:?}");
    let whole = started.elapsed();
    let new = std::fs::read(out).unwrap();
    assert_ne!(new, old);
    let mut delays = Delays(7);
    let (mut olds, mut news, mut litter) = (0, 0, 0);
    for trial in 0..trials {
        std::fs::write(out, old).unwrap();
        let mut child = Command::new(bin)
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(delays.next(whole.mul_f64(1.1)));
        let _ = child.kill();
        let _ = child.wait();
        let now = std::fs::read(out).unwrap();
        if now == old {
            olds += 1;
        } else if now == new {
            news += 1;
        } else {
            panic!(
                "trial {trial}: {} holds neither the old nor the new file",
                out.display()
            );
        }
        if !temp_files(dir).is_empty() {
            litter += 1;
        }
    }
    let status = Command::new(bin)
        .args(args)
        .stderr(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    assert_eq!(
        temp_files(dir),
        Vec::<String>::new(),
        "the next run removes what killed runs left"
    );
    (olds, news, litter)
}

/// A model whose file is most of a megabyte (kept example items), so that writing it
/// takes a while.
fn big_model(dir: &Path) -> PathBuf {
    let mut m = model::samples::sample("ecommerce").unwrap().load().unwrap();
    let entity = &mut m.entities[0];
    entity.example_items = (0..3_000)
        .map(|i| {
            let mut item = Item::new();
            item.insert("PK".into(), AttrValue::S(format!("user{i}@example.com")));
            item.insert("SK".into(), AttrValue::S("#META".into()));
            item.insert("bio".into(), AttrValue::S("x".repeat(200)));
            item
        })
        .collect();
    let path = dir.join("big.dynamodel.json");
    model::save(&m, &path).unwrap();
    path
}

#[test]
fn a_model_save_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let dir = scratch("save");
    let input = big_model(&dir);
    let out = dir.join("out.dynamodel.json");
    let args: Vec<String> = ["fix", input.to_str().unwrap(), "-o", out.to_str().unwrap()]
        .map(String::from)
        .to_vec();
    let (olds, news, litter) = kill_trials(&args, &out, b"{\"old\": true}", 100);
    eprintln!("model save: {olds} old, {news} new, {litter} with a temporary file");
    assert_eq!(olds + news, 100);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_export_killed_at_any_moment_leaves_the_old_or_the_new_file() {
    let dir = scratch("export");
    let out = dir.join("model.json");
    let model = crate::root().join("assets/models/ecommerce.dynamodel.json");
    let args: Vec<String> = [
        "export",
        model.to_str().unwrap(),
        "--to",
        "nosql-workbench",
        "--items",
        "100",
        "-o",
        out.to_str().unwrap(),
    ]
    .map(String::from)
    .to_vec();
    let (olds, news, litter) = kill_trials(&args, &out, b"old export", 100);
    eprintln!("export: {olds} old, {news} new, {litter} with a temporary file");
    assert_eq!(olds + news, 100);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn an_output_that_is_the_input_is_refused_and_the_input_kept() {
    let dir = scratch("same");
    let input = dir.join("m.dynamodel.json");
    std::fs::copy(
        crate::root().join("assets/models/ecommerce.dynamodel.json"),
        &input,
    )
    .unwrap();
    let before = std::fs::read(&input).unwrap();
    let path = input.to_str().unwrap();
    // The same file by another spelling too.
    let other = format!("{}/./m.dynamodel.json", dir.display());
    for out in [path, other.as_str()] {
        let (code, _, err) = run(&["export", path, "--to", "markdown", "-o", out]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("is the file being exported"), "{err}");
        let (code, _, err) = run(&["import", path, "--from", "mcp-json", "-o", out]);
        assert_eq!(code, 2, "{err}");
        assert!(err.contains("is the file being imported"), "{err}");
    }
    assert_eq!(std::fs::read(&input).unwrap(), before);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[cfg(unix)]
#[test]
fn an_existing_output_keeps_its_mode_and_a_link_its_target() {
    use std::os::unix::fs::{PermissionsExt, symlink};
    let dir = scratch("mode");
    let real = dir.join("doc.md");
    std::fs::write(&real, "old").unwrap();
    std::fs::set_permissions(&real, std::fs::Permissions::from_mode(0o600)).unwrap();
    let link = dir.join("link.md");
    symlink(&real, &link).unwrap();
    let (code, _, err) = run(&["export", "--to", "markdown", "-o", link.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    let text = std::fs::read_to_string(&real).unwrap();
    assert!(
        text.starts_with("# DynamoDB Data Model"),
        "the link's target was written"
    );
    let mode = std::fs::metadata(&real).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    std::fs::remove_dir_all(&dir).unwrap();
}
