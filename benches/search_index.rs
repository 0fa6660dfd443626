//! Size and build cost of the search index for a generated 1,000-page
//! site (Markdown pages, five sections of about 120 words each, drawn from
//! a 4,000-word vocabulary). Run with `cargo bench --bench search_index`;
//! `KBGEN_BENCH_PAGES` changes the page count. Plain `std::time`, no
//! harness: the figures are printed, and the run fails if the index
//! exceeds the 2 MB budget for 1,000 pages.

use std::fmt::Write as _;
use std::time::Instant;

use kbgen::site::{BuildOptions, Site, build, load_page, search};
use kbgen::source::discover_pages;

/// Deterministic pseudo-random numbers (no dependency, same site every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }

    /// Roughly Zipf-distributed index below `n`: prose repeats common words.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() % 1_000_000) as f64 / 1_000_000.0;
        ((n as f64).powf(u) as usize).saturating_sub(1).min(n - 1)
    }
}

/// CPU time of this process (user + system) from `/proc/self/stat`, in
/// clock ticks of 10 ms: on a loaded machine wall time says little.
fn cpu_time() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    let utime: f64 = fields.get(11)?.parse().ok()?;
    let stime: f64 = fields.get(12)?.parse().ok()?;
    Some((utime + stime) * 10.0)
}

fn vocabulary() -> Vec<String> {
    let syllables = [
        "vir", "tu", "al", "qe", "mu", "lib", "dom", "ain", "net", "work", "stor", "age", "sec",
        "comp", "dev", "ice", "pass", "through", "ker", "nel",
    ];
    let mut rng = Lcg(7);
    (0..4000)
        .map(|_| {
            let n = 1 + rng.next() % 3;
            (0..n)
                .map(|_| syllables[(rng.next() % syllables.len() as u64) as usize])
                .collect()
        })
        .collect()
}

fn page(n: usize, words: &[String], rng: &mut Lcg) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "---\ntitle: Generated article {n}\ncategory: Category {}\ndescription: Synthetic page {n} for the search benchmark.\n---\n",
        n % 12
    );
    for sec in 0..5 {
        let _ = writeln!(s, "## Section {sec} {}\n", words[rng.zipf(words.len())]);
        for _para in 0..2 {
            let line: Vec<&str> = (0..60)
                .map(|_| words[rng.zipf(words.len())].as_str())
                .collect();
            let _ = writeln!(s, "{}.\n", line.join(" "));
        }
    }
    s
}

fn main() {
    let pages: usize = std::env::var("KBGEN_BENCH_PAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(1000);
    let dir = std::env::temp_dir().join(format!("kbgen-search-bench-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let content = dir.join("content");
    std::fs::create_dir_all(&content).unwrap();
    std::fs::write(dir.join("book.toml"), "title = \"Bench\"\n").unwrap();
    let words = vocabulary();
    let mut rng = Lcg(42);
    let mut source_bytes = 0;
    for n in 0..pages {
        let text = page(n, &words, &mut rng);
        source_bytes += text.len();
        std::fs::write(content.join(format!("page-{n:04}.md")), text).unwrap();
    }

    let opts = BuildOptions {
        config_path: dir.join("book.toml"),
        dest: Some(dir.join("book")),
        write: true,
        force: false,
    };
    let t = Instant::now();
    let outcome = build(&opts).expect("build");
    let build_time = t.elapsed();
    assert_eq!(outcome.pages, pages);

    let site = Site::load(&opts).unwrap();
    let sources = discover_pages(&site.source_dir).pages;
    let built: Vec<_> = sources
        .iter()
        .map(|p| load_page(&site, p).unwrap().0)
        .collect();
    let runs = 5;
    let cpu = cpu_time();
    let t = Instant::now();
    let mut js = String::new();
    for _ in 0..runs {
        js = search::index_js(&built);
    }
    let index_time = t.elapsed() / runs;
    let index_cpu = cpu.zip(cpu_time()).map(|(a, b)| (b - a) / f64::from(runs));
    let on_disk = std::fs::metadata(dir.join("book").join(search::INDEX_PATH))
        .unwrap()
        .len();
    assert_eq!(on_disk as usize, js.len());

    println!("pages:               {pages}");
    println!("markdown source:     {:.2} MB", source_bytes as f64 / 1e6);
    println!(
        "full build:          {:.0} ms",
        build_time.as_secs_f64() * 1e3
    );
    println!(
        "search index build:  {:.1} ms wall, {} CPU",
        index_time.as_secs_f64() * 1e3,
        index_cpu.map_or("?".into(), |c| format!("{c:.0} ms"))
    );
    println!(
        "search-index.js:     {:.2} MB ({} bytes, {:.0} bytes/page)",
        on_disk as f64 / 1e6,
        on_disk,
        on_disk as f64 / pages as f64
    );
    let _ = std::fs::remove_dir_all(&dir);
    if pages == 1000 {
        assert!(on_disk < 2_000_000, "index over the 2 MB budget");
    }
}
