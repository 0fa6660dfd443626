//! A one-shot build's link diagnostics, set aside on disk as the link check
//! makes them and read back only once the site's pages are dropped.
//!
//! A big site's broken links are thousands of diagnostics, each with its
//! message, file, source line and hint (about 5 MB for libvirt ×65). Held
//! until the report is printed, they sat in memory beside the page list,
//! the ids and the index render: the build's peak. Set aside in the link
//! spill, they come back when nothing else of the site is alive.

use crate::diag::{Diagnostic, Location, Severity};
use crate::site::spill::{Decoder, Spill, SpillRef, put_number, put_text, unreadable};

/// The codes the link check gives, in the order they are stored. A
/// diagnostic with another code stays in memory (its code is a `&'static
/// str`, which cannot be read back from a file).
const CODES: [&str; 4] = [
    "link-broken",
    "link-unsafe-scheme",
    "page-unreachable",
    "io",
];

/// The set-aside diagnostics, in the order they were made.
#[derive(Debug, Default)]
pub struct SetAsideDiags {
    parts: Vec<Part>,
    /// How many of them are errors: whether the build may write its output
    /// is known without reading them back.
    errors: usize,
}

#[derive(Debug)]
enum Part {
    /// Diagnostics that could not be set aside.
    Kept(Vec<Diagnostic>),
    Spilled(SpillRef),
}

impl SetAsideDiags {
    /// Sets `diags` aside in `spill` (in memory when there is none, when one
    /// cannot be encoded or when the write fails).
    pub fn put(&mut self, diags: Vec<Diagnostic>, spill: Option<&Spill>) {
        if diags.is_empty() {
            return;
        }
        self.errors += diags.iter().filter(|d| d.severity.is_error()).count();
        let spilled = spill.and_then(|spill| spill.put(&encode(&diags)?));
        self.parts.push(match spilled {
            Some(at) => Part::Spilled(at),
            None => Part::Kept(diags),
        });
    }

    pub fn errors(&self) -> usize {
        self.errors
    }

    /// The diagnostics, in the order they were put. Parts that cannot be
    /// read back become one error, so the build fails instead of passing
    /// silently without them.
    pub fn read_back(self, spill: Option<&Spill>) -> Vec<Diagnostic> {
        let mut out = Vec::new();
        for part in self.parts {
            let at = match part {
                Part::Kept(diags) => {
                    out.extend(diags);
                    continue;
                }
                Part::Spilled(at) => at,
            };
            let read = spill
                .ok_or_else(|| unreadable("missing"))
                .and_then(|s| s.get(at))
                .and_then(|bytes| decode(&bytes, &mut out).ok_or_else(|| unreadable("damaged")));
            if let Err(e) = read {
                out.push(Diagnostic::error(
                    "io",
                    format!("cannot read back the link check's diagnostics: {e}"),
                ));
            }
        }
        out
    }
}

/// `diags` as bytes; `None` when one has a code outside [`CODES`] or a
/// file name that is not UTF-8.
fn encode(diags: &[Diagnostic]) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(diags.len() * 160);
    put_number(&mut out, diags.len() as u64);
    for d in diags {
        let code = CODES.iter().position(|c| *c == d.code)?;
        put_number(&mut out, d.severity as u64);
        put_number(&mut out, code as u64);
        put_text(&mut out, &d.message);
        match &d.location {
            None => put_number(&mut out, 0),
            Some(loc) => {
                put_number(&mut out, 1);
                put_text(&mut out, loc.file.to_str()?);
                for n in [loc.line, loc.column, loc.end_line, loc.end_column] {
                    put_number(&mut out, u64::from(n));
                }
            }
        }
        put_optional(&mut out, d.source_line.as_deref());
        put_optional(&mut out, d.help.as_deref());
    }
    Some(out)
}

fn put_optional(out: &mut Vec<u8>, text: Option<&str>) {
    match text {
        None => put_number(out, 0),
        Some(t) => {
            put_number(out, 1);
            put_text(out, t);
        }
    }
}

/// Appends the diagnostics [`encode`] wrote to `out`; `None` for bytes it
/// did not write.
fn decode(bytes: &[u8], out: &mut Vec<Diagnostic>) -> Option<()> {
    let mut r = Decoder::new(bytes);
    let count = r.number()?;
    for _ in 0..count {
        let severity = match r.number()? {
            1 => Severity::Info,
            2 => Severity::Warning,
            3 => Severity::Error,
            4 => Severity::Severe,
            _ => return None,
        };
        let code = *CODES.get(usize::try_from(r.number()?).ok()?)?;
        let message = r.text()?;
        let location = match r.number()? {
            0 => None,
            1 => Some(Location {
                file: r.text()?.into(),
                line: r.u32()?,
                column: r.u32()?,
                end_line: r.u32()?,
                end_column: r.u32()?,
            }),
            _ => return None,
        };
        out.push(Diagnostic {
            severity,
            code,
            message,
            location,
            source_line: optional(&mut r)?,
            help: optional(&mut r)?,
        });
    }
    r.done().then_some(())
}

fn optional(r: &mut Decoder) -> Option<Option<String>> {
    match r.number()? {
        0 => Some(None),
        1 => Some(Some(r.text()?)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn samples() -> Vec<Diagnostic> {
        let at = Location {
            file: "docs/a é.rst".into(),
            line: 3,
            column: 7,
            end_line: 3,
            end_column: 19,
        };
        let mut broken = Diagnostic::error("link-broken", "broken link `x.html`")
            .with_help("did you mean `y.html`?");
        broken.location = Some(at.clone());
        broken.source_line = Some("see `x <x.html>`_".into());
        vec![
            broken,
            Diagnostic::warning("page-unreachable", "no page links here").in_file("docs/b.rst"),
            Diagnostic::new(Severity::Severe, "io", "no location"),
        ]
    }

    #[test]
    fn diagnostics_come_back_as_they_were_put_and_errors_are_counted() {
        for spill in [Some(Spill::in_memory()), None] {
            let mut store = SetAsideDiags::default();
            store.put(samples(), spill.as_ref());
            store.put(Vec::new(), spill.as_ref());
            // A code the store cannot name again stays in memory, in order.
            let odd = vec![Diagnostic::warning("xml-malformed", "kept")];
            store.put(odd.clone(), spill.as_ref());
            store.put(samples(), spill.as_ref());
            assert_eq!(store.errors(), 4);
            let mut expected = samples();
            expected.extend(odd);
            expected.extend(samples());
            assert_eq!(store.read_back(spill.as_ref()), expected);
        }
    }

    #[test]
    fn damaged_bytes_are_refused_and_reported() {
        let bytes = encode(&samples()).unwrap();
        for cut in 0..bytes.len() {
            assert!(decode(&bytes[..cut], &mut Vec::new()).is_none(), "{cut}");
        }
        let spill = Spill::in_memory();
        let mut store = SetAsideDiags::default();
        store.put(samples(), Some(&spill));
        let back = store.read_back(Some(&Spill::in_memory()));
        assert!(back.len() == 1 && back[0].code == "io", "{back:?}");
    }
}
