//! `kbgen validate` end to end: exit status, the diagnostic format shared
//! with `build`, and book.toml's `[xml] schemas` adding or replacing a namespace.

use std::path::Path;
use std::process::Command;

fn kbgen(dir: &Path, args: &[&str]) -> (i32, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_kbgen"))
        .current_dir(dir)
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("kbgen-xml-cli-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const QEMU: &str = "http://libvirt.org/schemas/domain/qemu/1.0";

#[test]
fn validate_exits_0_on_valid_and_1_on_invalid_files() {
    let dir = temp("exit");
    std::fs::write(dir.join("good.xml"), format!("<domain xmlns:qemu='{QEMU}'>\n  <qemu:commandline><qemu:arg value='-S'/></qemu:commandline>\n</domain>\n")).unwrap();
    std::fs::write(dir.join("bad.xml"), format!("<domain xmlns:qemu='{QEMU}'>\n  <qemu:commandline>\n    <qemu:env name='FOO-BAR'/>\n  </qemu:commandline>\n</domain>\n")).unwrap();
    let (code, err) = kbgen(&dir, &["validate", "good.xml"]);
    assert_eq!(code, 0, "{err}");
    let (code, err) = kbgen(&dir, &["validate", "good.xml", "bad.xml"]);
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("bad.xml:3:15: error[xml-schema]: `FOO-BAR` is not a valid env name: letters, digits and `_` only"),
        "{err}"
    );
    let (code, err) = kbgen(&dir, &["validate", "missing.xml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[io]"), "{err}");
}

#[test]
fn book_toml_can_replace_and_add_schemas() {
    let dir = temp("config");
    std::fs::write(
        dir.join("book.toml"),
        format!("[xml.schemas]\n\"{QEMU}\" = \"strict-qemu.rng\"\n\"http://example.org/ext/1.0\" = \"ext.rng\"\n"),
    )
    .unwrap();
    // A stricter qemu schema: commandline needs at least one arg.
    std::fs::write(
        dir.join("strict-qemu.rng"),
        format!("<element name='commandline' ns='{QEMU}' xmlns='http://relaxng.org/ns/structure/1.0'><oneOrMore><element name='arg'><attribute name='value'/></element></oneOrMore></element>"),
    )
    .unwrap();
    std::fs::write(
        dir.join("ext.rng"),
        "<element name='opt' ns='http://example.org/ext/1.0' xmlns='http://relaxng.org/ns/structure/1.0'><attribute name='level'><choice><value>low</value><value>high</value></choice></attribute></element>",
    )
    .unwrap();
    std::fs::write(
        dir.join("empty.xml"),
        format!("<qemu:commandline xmlns:qemu='{QEMU}'/>\n"),
    )
    .unwrap();
    std::fs::write(
        dir.join("ext.xml"),
        "<x:opt xmlns:x='http://example.org/ext/1.0' level='medium'/>\n",
    )
    .unwrap();
    let (code, err) = kbgen(&dir, &["validate", "empty.xml"]);
    assert_eq!(code, 1, "the replaced schema applies: {err}");
    assert!(err.contains("empty.xml:1:1: error[xml-schema]"), "{err}");
    let (code, err) = kbgen(&dir, &["validate", "ext.xml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("`medium` is not a valid opt level"), "{err}");
    std::fs::write(
        dir.join("book.toml"),
        "[xml.schemas]\n\"http://example.org/ext/1.0\" = \"nope.rng\"\n",
    )
    .unwrap();
    let (code, err) = kbgen(&dir, &["validate", "ext.xml"]);
    assert_eq!(code, 1, "{err}");
    assert!(err.contains("error[xml-schema-load]"), "{err}");
}
