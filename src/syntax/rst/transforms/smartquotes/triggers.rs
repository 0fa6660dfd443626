//! Whether a text has anything smart quotes can change ([`Triggers`]):
//! asked of every plain text of every block, so it is made cheap.

/// What in a text educating can change: quotes, backslashes, `--`, an
/// ellipsis (`...`, `. . .`) or a character reference (`restore_escapes`
/// turns `&#34;` the author wrote into `"`). Nothing else can: a NUL
/// escape marker before a dash or period only gets a backslash that
/// `process_escapes` and `restore_escapes` take away again, and a lone
/// dash is only context. Most text holds none of these and skips the
/// dozen passes below; two `memchr` scans of the bytes decide (quotes and
/// backslashes are rare, so the first is a vector scan; dashes and
/// periods are common, but the second only stops at them).
#[derive(Default)]
pub struct Triggers {
    pub(super) quote: bool,
    pub(super) backslash: bool,
    pub(super) dashes: bool,
    pub(super) ellipsis: bool,
    pub(super) reference: bool,
}

impl Triggers {
    /// The triggers of `text`: a byte loop for short texts, `memchr`
    /// scans for the others.
    pub fn of(text: &str) -> Triggers {
        let b = text.as_bytes();
        if b.len() < SHORT_TEXT {
            return short_triggers(b);
        }
        long_triggers(text)
    }

    /// Whether a text has any trigger: [`Triggers::of`]`(text).any()`,
    /// stopping at the first.
    pub fn in_text(text: &str) -> bool {
        let b = text.as_bytes();
        if b.len() < SHORT_TEXT {
            return short_has_trigger(b);
        }
        memchr::memchr3(b'\'', b'"', b'\\', b).is_some()
            || memchr::memchr3_iter(b'-', b'.', b'&', b).any(|at| {
                let rest = &b[at..];
                match rest[0] {
                    b'-' => rest.starts_with(b"--"),
                    b'.' => starts_ellipsis(rest),
                    _ => rest.starts_with(b"&#"),
                }
            })
    }

    pub fn any(&self) -> bool {
        self.quote || self.backslash || self.dashes || self.ellipsis || self.reference
    }
}

/// Texts shorter than this are looked at byte by byte ([`TRIGGER_BYTE`]):
/// most text nodes between inline markup are a few words, and for them
/// the two `memchr` calls' set-up costs more than the loop.
const SHORT_TEXT: usize = 32;

/// [`TRIGGER_BYTE`]: a quote or backslash, a trigger by itself.
const TRIGGER: u8 = 1;
/// [`TRIGGER_BYTE`]: `-`, `.` or `&`, a trigger when the bytes after it
/// make `--`, an ellipsis or `&#`.
const MAYBE: u8 = 2;

/// What each byte can start (0: nothing).
static TRIGGER_BYTE: [u8; 256] = {
    let mut t = [0u8; 256];
    t[b'\'' as usize] = TRIGGER;
    t[b'"' as usize] = TRIGGER;
    t[b'\\' as usize] = TRIGGER;
    t[b'-' as usize] = MAYBE;
    t[b'.' as usize] = MAYBE;
    t[b'&' as usize] = MAYBE;
    t
};

/// [`Triggers::in_text`] for a short text, one table look-up a byte.
fn short_has_trigger(b: &[u8]) -> bool {
    for (at, &byte) in b.iter().enumerate() {
        match TRIGGER_BYTE[byte as usize] {
            0 => {}
            TRIGGER => return true,
            _ => {
                let rest = &b[at..];
                let starts = match byte {
                    b'-' => rest.starts_with(b"--"),
                    b'.' => starts_ellipsis(rest),
                    _ => rest.starts_with(b"&#"),
                };
                if starts {
                    return true;
                }
            }
        }
    }
    false
}

/// [`Triggers::of`] by two `memchr` scans, for texts of any length.
fn long_triggers(text: &str) -> Triggers {
    let b = text.as_bytes();
    let mut t = Triggers::default();
    for at in memchr::memchr3_iter(b'\'', b'"', b'\\', b) {
        match b[at] {
            b'\\' => t.backslash = true,
            _ => t.quote = true,
        }
        if t.backslash && t.quote {
            break;
        }
    }
    for at in memchr::memchr3_iter(b'-', b'.', b'&', b) {
        match b[at] {
            b'-' => t.dashes |= b[at..].starts_with(b"--"),
            b'.' => t.ellipsis |= starts_ellipsis(&b[at..]),
            _ => t.reference |= b[at..].starts_with(b"&#"),
        }
    }
    t
}

/// [`Triggers::of`] for a short text, one table look-up a byte.
fn short_triggers(b: &[u8]) -> Triggers {
    let mut t = Triggers::default();
    for (at, &byte) in b.iter().enumerate() {
        if TRIGGER_BYTE[usize::from(byte)] == 0 {
            continue;
        }
        let rest = &b[at..];
        match byte {
            b'\\' => t.backslash = true,
            b'\'' | b'"' => t.quote = true,
            b'-' => t.dashes |= rest.starts_with(b"--"),
            b'.' => t.ellipsis |= starts_ellipsis(rest),
            _ => t.reference |= rest.starts_with(b"&#"),
        }
    }
    t
}

/// `...` or `. . .` at the start of `b`.
pub(super) fn starts_ellipsis(b: &[u8]) -> bool {
    b.starts_with(b"...") || b.starts_with(b". . .")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Texts of every length up to past [`SHORT_TEXT`], made of the
    /// trigger bytes, their second bytes and plain ones in a fixed
    /// pseudo-random order: the short path answers as the `memchr` one.
    #[test]
    fn short_texts_are_judged_as_long_ones() {
        let alphabet = b"a -.&#'\"\\x";
        let mut state: u32 = 12345;
        let mut with_trigger = 0;
        for len in 0..(SHORT_TEXT + 8) {
            for _ in 0..400 {
                let text: String = (0..len)
                    .map(|_| {
                        state = state.wrapping_mul(1_103_515_245).wrapping_add(12345);
                        alphabet[(state >> 16) as usize % alphabet.len()] as char
                    })
                    .collect();
                let expected = Triggers::of(&text).any();
                let (short, long) = (short_triggers(text.as_bytes()), long_triggers(&text));
                assert_eq!(
                    [
                        short.quote,
                        short.backslash,
                        short.dashes,
                        short.ellipsis,
                        short.reference
                    ],
                    [
                        long.quote,
                        long.backslash,
                        long.dashes,
                        long.ellipsis,
                        long.reference
                    ],
                    "{text:?}"
                );
                assert_eq!(Triggers::in_text(&text), expected, "{text:?}");
                assert_eq!(short_has_trigger(text.as_bytes()), expected, "{text:?}");
                with_trigger += usize::from(expected);
            }
        }
        // Both answers occur.
        assert!(with_trigger > 100 && with_trigger < 400 * (SHORT_TEXT + 8) - 100);
        assert!(!Triggers::in_text("a - b . c & d"));
        assert!(Triggers::in_text("a -- b"));
        assert!(Triggers::in_text("wait. . . no"));
        assert!(Triggers::in_text("&#34;"));
    }
}
