//! Files as they are in real repositories: CRLF and CR line endings, byte
//! order marks, tabs, invalid UTF-8, empty files, oversized files, files
//! deleted or rewritten during a build, symlink loops and symlinks out of
//! the content folder, unreadable files, and names with spaces and
//! non-ASCII characters. Each must give a build or a diagnostic — never a
//! panic, a hang, or a read of a file outside the content folder.

#[path = "hostile/support.rs"]
mod support;

use std::path::Path;

use support::{kbgen, output_text, permissions_are_ignored, site, write};

const PAGE_LF: &str = "=====\nTitle\n=====\n\nFirst paragraph\nwith two lines.\n\nSection\n=======\n\n* item\n\n  continued\n\n::\n\n    code\n\tafter tab\n";

fn dump(dir: &Path, file: &str) -> String {
    let run = kbgen(dir, &["dump", file]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    run.stdout
}

#[test]
fn crlf_cr_and_bom_parse_exactly_like_lf() {
    let crlf = PAGE_LF.replace('\n', "\r\n");
    let cr = PAGE_LF.replace('\n', "\r");
    let bom = format!("\u{feff}{crlf}");
    let dir = site(
        "endings",
        "",
        &[
            ("lf.rst", PAGE_LF.as_bytes()),
            ("crlf.rst", crlf.as_bytes()),
            ("cr.rst", cr.as_bytes()),
            ("bom.rst", bom.as_bytes()),
        ],
    );
    let reference = dump(&dir, "content/lf.rst");
    for f in ["crlf", "cr", "bom"] {
        let got = dump(&dir, &format!("content/{f}.rst"));
        // The `source` attribute names the file; everything else must match.
        assert_eq!(
            got.replace(&format!("content/{f}.rst"), "X"),
            reference.replace("content/lf.rst", "X"),
            "{f} parses differently from LF"
        );
        assert!(
            !got.contains('\r') && !got.contains('\u{feff}'),
            "{f}: {got}"
        );
    }
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    let html = output_text(&dir);
    assert!(!html.contains('\u{feff}'), "BOM leaked into the output");
    assert!(!html.contains('\r'), "CR leaked into the output");
}

#[test]
fn tabs_expand_to_eight_column_stops_like_docutils() {
    // docutils expands tabs to 8-column stops before parsing, so a tab
    // after two spaces indents as much as eight spaces.
    let tabbed = "Para:\n\n  \tindented by a tab\n";
    let spaced = "Para:\n\n        indented by a tab\n";
    let dir = site(
        "tabs",
        "",
        &[("t.rst", tabbed.as_bytes()), ("s.rst", spaced.as_bytes())],
    );
    let t = dump(&dir, "content/t.rst").replace("content/t.rst", "X");
    let s = dump(&dir, "content/s.rst").replace("content/s.rst", "X");
    assert_eq!(t, s);
}

#[test]
fn invalid_utf8_is_an_error_with_the_byte_offset() {
    let mut bytes = b"Title\n=====\n\nabc ".to_vec();
    let offset = bytes.len();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(b" more\n");
    let dir = site("utf8", "", &[("bad.rst", &bytes), ("good.rst", b"Fine.\n")]);
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(1), "{}", run.all());
    assert!(
        run.stderr.contains(&format!("offset {offset}")) && run.stderr.contains("bad.rst"),
        "no byte offset {offset} in:\n{}",
        run.stderr
    );
    assert!(run.stderr.contains("invalid-utf8"), "{}", run.stderr);
}

#[test]
fn truncated_multibyte_character_is_an_error_not_a_panic() {
    // What an editor leaves for an instant while saving: the file ends in
    // the middle of "é" (0xC3 0xA9).
    let mut bytes = "Café".as_bytes().to_vec();
    bytes.pop();
    let dir = site("truncated", "", &[("half.rst", &bytes)]);
    let run = kbgen(&dir, &["check"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("offset 3"), "{}", run.stderr);
}

#[test]
fn empty_and_blank_files_build() {
    let dir = site(
        "empty",
        "",
        &[
            ("empty.rst", b""),
            ("blank.rst", b"\n\n   \n\t\n"),
            ("bom-only.rst", "\u{feff}".as_bytes()),
            ("empty-markdown.md", b""),
        ],
    );
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    for f in ["empty.html", "blank.html", "bom-only.html"] {
        assert!(dir.join("book").join(f).is_file(), "{f} missing");
    }
}

#[test]
fn oversized_file_is_refused_without_reading_it() {
    let dir = site("huge", "", &[("ok.rst", b"Fine.\n")]);
    // A sparse file: its size is over the limit but nothing is written to disk.
    let f = std::fs::File::create(dir.join("content/huge.rst")).unwrap();
    f.set_len(kbgen::source::MAX_FILE_BYTES + 1).unwrap();
    drop(f);
    let run = kbgen(&dir, &["check"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("file-too-large"), "{}", run.stderr);
    assert!(run.stderr.contains("huge.rst"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn symlink_loops_are_diagnosed_and_the_build_goes_on() {
    let dir = site("loop", "", &[("a.rst", b"Page A.\n")]);
    let content = dir.join("content");
    // A folder that links to its own parent, and a file that links to itself.
    std::os::unix::fs::symlink(&content, content.join("loop")).unwrap();
    std::os::unix::fs::symlink("self.rst", content.join("self.rst")).unwrap();
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert!(run.code == Some(0) || run.code == Some(1), "{}", run.all());
    assert!(
        run.stderr.to_lowercase().contains("loop"),
        "the loop is not mentioned:\n{}",
        run.stderr
    );
    assert!(run.elapsed.as_secs() < 30);
}

#[cfg(unix)]
#[test]
fn symlinked_pages_and_folders_pointing_outside_content_are_not_read() {
    let dir = site("linkout", "", &[("a.rst", b"Page A.\n")]);
    write(&dir, "secret/leak.rst", "TOPSECRET-PAGE\n");
    write(&dir, "secret/inner.rst", "TOPSECRET-DIR\n");
    let content = dir.join("content");
    std::os::unix::fs::symlink(dir.join("secret/leak.rst"), content.join("leak.rst")).unwrap();
    std::os::unix::fs::symlink(dir.join("secret"), content.join("sub")).unwrap();
    // A link that stays inside the content folder is fine.
    std::os::unix::fs::symlink(content.join("a.rst"), content.join("alias.rst")).unwrap();
    let run = kbgen(&dir, &["build", "--force"]);
    run.assert_no_crash();
    let out = output_text(&dir);
    assert!(
        !out.contains("TOPSECRET"),
        "a file outside the content folder was published"
    );
    assert!(
        run.stderr.contains("leak.rst") && run.stderr.contains("outside"),
        "the refused link is not reported:\n{}",
        run.stderr
    );
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let dir = site(
        "unreadable",
        "",
        &[("ok.rst", b"Fine.\n"), ("locked.rst", b"x\n")],
    );
    let locked = dir.join("content/locked.rst");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if permissions_are_ignored(&locked) {
        eprintln!(
            "skipped unreadable_file_is_an_error_naming_it: running as root, chmod 000 does not stop reads"
        );
        return;
    }
    let run = kbgen(&dir, &["check"]);
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o644)).unwrap();
    run.assert_no_crash();
    assert_eq!(run.code, Some(1));
    assert!(run.stderr.contains("locked.rst"), "{}", run.stderr);
}

#[test]
fn names_with_spaces_and_non_ascii_characters() {
    let dir = site(
        "names",
        "",
        &[
            ("my page.rst", b"Spaced\n======\n\nText.\n"),
            (
                "ünïcødé/日本語.rst",
                "日本語\n======\n\nテキスト。\n".as_bytes(),
            ),
            ("a&b <c>.rst", b"Amp\n===\n\nText.\n"),
        ],
    );
    let run = kbgen(&dir, &["build"]);
    run.assert_no_crash();
    assert_eq!(run.code, Some(0), "{}", run.all());
    let book = dir.join("book");
    assert!(book.join("my page.html").is_file());
    assert!(book.join("ünïcødé/日本語.html").is_file());
    assert!(book.join("a&b <c>.html").is_file());
    let index = std::fs::read_to_string(book.join("index.html")).unwrap();
    assert!(
        !index.contains("a&b <c>"),
        "a file name went into the index unescaped"
    );
}

#[test]
fn files_deleted_and_rewritten_during_builds_never_crash() {
    // A writer thread keeps deleting, truncating and rewriting pages (as an
    // editor saving, or `git checkout`) while builds run in-process; each
    // build must end with an outcome or a diagnostic.
    let dir = site(
        "churn",
        "",
        &[
            ("stable.rst", b"Stable\n======\n\nText.\n"),
            ("churn.rst", b"x\n"),
        ],
    );
    let content = dir.join("content");
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let writer = {
        let stop = stop.clone();
        let content = content.clone();
        std::thread::spawn(move || {
            let mut i = 0u32;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                let p = content.join("churn.rst");
                match i % 4 {
                    0 => {
                        let _ = std::fs::remove_file(&p);
                    }
                    1 => {
                        let _ = std::fs::write(&p, "Café\n====\n\n".repeat(50));
                    }
                    2 => {
                        let _ = std::fs::write(&p, &"Café".as_bytes()[..4]);
                    }
                    _ => {
                        let _ = std::fs::remove_dir_all(content.join("d"));
                        let _ = std::fs::create_dir_all(content.join("d"));
                        let _ = std::fs::write(content.join("d/new.rst"), "New\n===\n");
                    }
                }
                i += 1;
                std::thread::sleep(std::time::Duration::from_micros(300));
            }
        })
    };
    let opts = kbgen::site::BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(dir.join("out")),
        write: true,
        force: true,
    };
    for _ in 0..25 {
        match kbgen::site::build(&opts) {
            Ok(outcome) => {
                if outcome.written {
                    assert!(dir.join("out/stable.html").is_file());
                }
            }
            Err(d) => assert!(!d.message.is_empty()),
        }
    }
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    writer.join().unwrap();
}

/// `kbgen dump page.rst` in a sub-folder of a site reads `../header.rst`
/// from the site's content folder (the include root a build uses), and
/// still nothing above it.
#[test]
fn dump_in_a_sub_folder_includes_from_the_content_folder_only() {
    let dir = site(
        "dump-sub-folder",
        "",
        &[
            ("header.rst", b".. |x| replace:: from the header\n"),
            ("sub/page.rst", b".. include:: ../header.rst\n\nSee |x|.\n"),
            ("sub/outside.rst", b".. include:: ../../book.toml\n"),
        ],
    );
    let sub = dir.join("content/sub");
    let page = dump(&sub, "page.rst");
    assert!(page.contains("See \n        from the header"), "{page}");
    assert!(!page.contains("system_message"), "{page}");
    let outside = kbgen(&sub, &["dump", "outside.rst"]);
    outside.assert_no_crash();
    assert!(
        outside.stdout.contains("outside the content folder"),
        "{}",
        outside.all()
    );
    assert!(!outside.all().contains("title = "), "{}", outside.all());
}
