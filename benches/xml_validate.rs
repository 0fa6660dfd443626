//! Time per XML example, without criterion: the seed article's example and
//! a large generated one (a `<domain>` with thousands of passthrough
//! arguments, elision lines and an unclosed root), each prepared, parsed
//! and validated many times with `std::time`. Run with
//! `cargo bench --bench xml_validate`.

use std::hint::black_box;
use std::time::{Duration, Instant};

use kbgen::diag::Severity;
use kbgen::passes::xml_examples::SchemaSet;
use kbgen::passes::xml_examples::check::{Ctx, check};
use kbgen::passes::xml_examples::prepare::prepare;
use kbgen::source::SourceFile;

const QEMU: &str = "http://libvirt.org/schemas/domain/qemu/1.0";

fn seed() -> String {
    format!(
        "<domain type='kvm' xmlns:qemu='{QEMU}'>\n  <name>QEMUGuest1</name>\n  ...\n  <qemu:commandline>\n    <qemu:arg value='-newarg'/>\n    <qemu:arg value='parameter'/>\n    <qemu:env name='ID' value='wibble'/>\n    <qemu:env name='BAR'/>\n  </qemu:commandline>\n</domain>\n"
    )
}

fn large(args: usize) -> String {
    let mut s = format!("...\n<domain type='kvm' xmlns:qemu='{QEMU}'>\n  <devices>\n");
    for i in 0..args / 10 {
        s.push_str(&format!("    <disk type='file' ...>\n      <source file='/img/{i}.qcow2'/>\n    </disk>\n    ...\n"));
    }
    s.push_str("  </devices>\n  <qemu:commandline>\n");
    for i in 0..args {
        s.push_str(&format!(
            "    <qemu:arg value='-arg{i}'/>\n    <qemu:env name='VAR_{i}' value='{i}'/>\n"
        ));
    }
    s.push_str("  </qemu:commandline>\n");
    s
}

fn time(name: &str, text: &str, schemas: &SchemaSet, min: Duration) -> f64 {
    let source = SourceFile::new("bench.rst", text);
    let mut iterations = 0u32;
    let start = Instant::now();
    while start.elapsed() < min || iterations < 10 {
        let prepared = prepare(black_box(text));
        let map = |o: usize| prepared.body_offset(o);
        let ctx = Ctx {
            source: &source,
            map: &map,
            schemas,
            malformed: Some(Severity::Warning),
        };
        let out = check(&prepared.text, &ctx);
        assert!(
            out.diags.is_empty() && out.label.is_some(),
            "{name}: {:?}",
            out.diags
        );
        black_box(out);
        iterations += 1;
    }
    let per = start.elapsed().as_secs_f64() / f64::from(iterations);
    println!(
        "{name:>28}: {:>9.1} µs/example  ({} bytes, {iterations} iterations)",
        per * 1e6,
        text.len()
    );
    per
}

fn main() {
    let t = Instant::now();
    let schemas = SchemaSet::builtin();
    println!(
        "compile shipped schemas: {:.2} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let min = Duration::from_millis(500);
    time("seed example", &seed(), &schemas, min);
    let small = time("large example, 1k args", &large(1_000), &schemas, min);
    let big = time("large example, 10k args", &large(10_000), &schemas, min);
    println!(
        "10x the input costs {:.1}x the time (linear: ~10x)",
        big / small
    );
}
