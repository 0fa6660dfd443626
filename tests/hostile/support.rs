//! Helpers shared by the robustness tests: temporary sites, running the
//! `kbgen` binary with a time limit (a hang is a failure, not a stuck CI
//! job), and reading what it wrote.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// What one `kbgen` run produced.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Both streams, for assertions that do not care where a message went.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Fails the test if kbgen crashed (a panic exits with 101, a signal has no code).
    pub fn assert_no_crash(&self) {
        assert!(
            matches!(self.code, Some(0..=2)),
            "kbgen crashed (status {:?}):\n{}",
            self.code,
            self.all()
        );
        assert!(
            !self.stderr.contains("panicked"),
            "kbgen panicked:\n{}",
            self.stderr
        );
    }
}

/// Runs the binary in `dir`, killing it after `limit` (then the test fails
/// with "hung"), so a hang on hostile input shows up as a failing test.
pub fn kbgen_timed(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let start = Instant::now();
    let out_path = dir.join(".kbgen-test-stdout");
    let err_path = dir.join(".kbgen-test-stderr");
    let mut child = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(std::fs::File::create(&out_path).unwrap())
        .stderr(std::fs::File::create(&err_path).unwrap())
        .spawn()
        .expect("kbgen starts");
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "kbgen {args:?} hung: killed after {limit:?} in {}",
                dir.display()
            );
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let run = Run {
        code: status.code(),
        stdout: std::fs::read_to_string(&out_path).unwrap_or_default(),
        stderr: std::fs::read_to_string(&err_path).unwrap_or_default(),
        elapsed: start.elapsed(),
    };
    let _ = std::fs::remove_file(out_path);
    let _ = std::fs::remove_file(err_path);
    run
}

/// `kbgen_timed` with the default limit of 60 seconds (debug builds are slow).
pub fn kbgen(dir: &Path, args: &[&str]) -> Run {
    kbgen_timed(dir, args, Duration::from_secs(60))
}

/// A fresh folder under the system temp dir, unique per test and process.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("kbgen-robust-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

pub fn write(dir: &Path, rel: &str, bytes: impl AsRef<[u8]>) {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, bytes).unwrap();
}

/// A site with `book.toml` (`extra` appended) and the given pages.
pub fn site(name: &str, extra_config: &str, pages: &[(&str, &[u8])]) -> PathBuf {
    let dir = temp_dir(name);
    write(&dir, "book.toml", format!("title = \"T\"\n{extra_config}"));
    std::fs::create_dir_all(dir.join("content")).unwrap();
    for (rel, bytes) in pages {
        write(&dir, &format!("content/{rel}"), bytes);
    }
    dir
}

/// Every file of the built site, concatenated: for "does X appear anywhere".
pub fn output_text(dir: &Path) -> String {
    let mut s = String::new();
    let out = dir.join("book");
    if !out.exists() {
        return s;
    }
    for e in walkdir::WalkDir::new(&out).sort_by_file_name() {
        let e = e.unwrap();
        if e.file_type().is_file() {
            s.push_str(&String::from_utf8_lossy(&std::fs::read(e.path()).unwrap()));
            s.push('\n');
        }
    }
    s
}

/// Whether this process can read a file after `chmod 000` (true as root),
/// in which case permission tests cannot test anything and are skipped.
pub fn permissions_are_ignored(probe: &Path) -> bool {
    std::fs::read(probe).is_ok()
}
