//! Character classes of docutils' inline-markup recognition rules
//! (`docutils.utils.punctuation_chars`), generated from docutils 0.23's
//! tables so the start-/end-string rules see the same punctuation.

/// Opening punctuation (`openers`): may precede an inline start-string.
pub fn is_opener(c: char) -> bool {
    matches!(
        c as u32,
        0x22 | 0x27
            ..=0x28
                | 0x3C
                | 0x5B
                | 0x7B
                | 0xF3A
                | 0xF3C
                | 0x169B
                | 0x2045
                | 0x207D
                | 0x208D
                | 0x2329
                | 0x2768
                | 0x276A
                | 0x276C
                | 0x276E
                | 0x2770
                | 0x2772
                | 0x2774
                | 0x27C5
                | 0x27E6
                | 0x27E8
                | 0x27EA
                | 0x27EC
                | 0x27EE
                | 0x2983
                | 0x2985
                | 0x2987
                | 0x2989
                | 0x298B
                | 0x298D
                | 0x298F
                | 0x2991
                | 0x2993
                | 0x2995
                | 0x2997
                | 0x29D8
                | 0x29DA
                | 0x29FC
                | 0x2E22
                | 0x2E24
                | 0x2E26
                | 0x2E28
                | 0x3008
                | 0x300A
                | 0x300C
                | 0x300E
                | 0x3010
                | 0x3014
                | 0x3016
                | 0x3018
                | 0x301A
                | 0x301D
                | 0xFD3E
                | 0xFE17
                | 0xFE35
                | 0xFE37
                | 0xFE39
                | 0xFE3B
                | 0xFE3D
                | 0xFE3F
                | 0xFE41
                | 0xFE43
                | 0xFE47
                | 0xFE59
                | 0xFE5B
                | 0xFE5D
                | 0xFF08
                | 0xFF3B
                | 0xFF5B
                | 0xFF5F
                | 0xFF62
                | 0xAB
                | 0x2018
                | 0x201C
                | 0x2039
                | 0x2E02
                | 0x2E04
                | 0x2E09
                | 0x2E0C
                | 0x2E1C
                | 0x2E20
                | 0x201A
                | 0x201E
                | 0xBB
                | 0x2019
                | 0x201D
                | 0x203A
                | 0x2E03
                | 0x2E05
                | 0x2E0A
                | 0x2E0D
                | 0x2E1D
                | 0x2E21
                | 0x201B
                | 0x201F
    )
}

/// Closing punctuation (`closers`): may follow an inline end-string.
pub fn is_closer(c: char) -> bool {
    matches!(
        c as u32,
        0x22 | 0x27
            | 0x29
            | 0x3E
            | 0x5D
            | 0x7D
            | 0xF3B
            | 0xF3D
            | 0x169C
            | 0x2046
            | 0x207E
            | 0x208E
            | 0x232A
            | 0x2769
            | 0x276B
            | 0x276D
            | 0x276F
            | 0x2771
            | 0x2773
            | 0x2775
            | 0x27C6
            | 0x27E7
            | 0x27E9
            | 0x27EB
            | 0x27ED
            | 0x27EF
            | 0x2984
            | 0x2986
            | 0x2988
            | 0x298A
            | 0x298C
            | 0x298E
            | 0x2990
            | 0x2992
            | 0x2994
            | 0x2996
            | 0x2998
            | 0x29D9
            | 0x29DB
            | 0x29FD
            | 0x2E23
            | 0x2E25
            | 0x2E27
            | 0x2E29
            | 0x3009
            | 0x300B
            | 0x300D
            | 0x300F
            | 0x3011
            | 0x3015
            | 0x3017
            | 0x3019
            | 0x301B
            | 0x301E
            ..=0x301F
                | 0xFD3F
                | 0xFE18
                | 0xFE36
                | 0xFE38
                | 0xFE3A
                | 0xFE3C
                | 0xFE3E
                | 0xFE40
                | 0xFE42
                | 0xFE44
                | 0xFE48
                | 0xFE5A
                | 0xFE5C
                | 0xFE5E
                | 0xFF09
                | 0xFF3D
                | 0xFF5D
                | 0xFF60
                | 0xFF63
                | 0xBB
                | 0x2019
                | 0x201D
                | 0x203A
                | 0x2E03
                | 0x2E05
                | 0x2E0A
                | 0x2E0D
                | 0x2E1D
                | 0x2E21
                | 0x201B
                | 0x201F
                | 0xAB
                | 0x2018
                | 0x201C
                | 0x2039
                | 0x2E02
                | 0x2E04
                | 0x2E09
                | 0x2E0C
                | 0x2E1C
                | 0x2E20
                | 0x201A
                | 0x201E
    )
}

/// Delimiting punctuation (`delimiters`): may surround inline markup.
pub fn is_delimiter(c: char) -> bool {
    // ASCII fast path: this runs for nearly every character of inline text.
    if c.is_ascii() {
        return matches!(c, '-' | '/' | ':');
    }
    matches!(c as u32, 0x2D | 0x2F | 0x3A | 0xA1 | 0xB7 | 0xBF | 0x37E | 0x387 | 0x55A..=0x55F | 0x589..=0x58A | 0x5BE | 0x5C0 | 0x5C3 | 0x5C6 | 0x5F3..=0x5F4 | 0x609..=0x60A | 0x60C..=0x60D | 0x61B | 0x61E..=0x61F | 0x66A..=0x66D | 0x6D4 | 0x700..=0x70D | 0x7F7..=0x7F9 | 0x830..=0x83E | 0x964..=0x965 | 0x970 | 0xDF4 | 0xE4F | 0xE5A..=0xE5B | 0xF04..=0xF12 | 0xF85 | 0xFD0..=0xFD4 | 0x104A..=0x104F | 0x10FB | 0x1361..=0x1368 | 0x1400 | 0x166D..=0x166E | 0x16EB..=0x16ED | 0x1735..=0x1736 | 0x17D4..=0x17D6 | 0x17D8..=0x17DA | 0x1800..=0x180A | 0x1944..=0x1945 | 0x19DE..=0x19DF | 0x1A1E..=0x1A1F | 0x1AA0..=0x1AA6 | 0x1AA8..=0x1AAD | 0x1B5A..=0x1B60 | 0x1C3B..=0x1C3F | 0x1C7E..=0x1C7F | 0x1CD3 | 0x2010..=0x2017 | 0x2020..=0x2027 | 0x2030..=0x2038 | 0x203B..=0x203E | 0x2041..=0x2043 | 0x2047..=0x2051 | 0x2053 | 0x2055..=0x205E | 0x2CF9..=0x2CFC | 0x2CFE..=0x2CFF | 0x2E00..=0x2E01 | 0x2E06..=0x2E08 | 0x2E0B | 0x2E0E..=0x2E1B | 0x2E1E..=0x2E1F | 0x2E2A..=0x2E2E | 0x2E30..=0x2E31 | 0x3001..=0x3003 | 0x301C | 0x3030 | 0x303D | 0x30A0 | 0x30FB | 0xA4FE..=0xA4FF | 0xA60D..=0xA60F | 0xA673 | 0xA67E | 0xA6F2..=0xA6F7 | 0xA874..=0xA877 | 0xA8CE..=0xA8CF | 0xA8F8..=0xA8FA | 0xA92E..=0xA92F | 0xA95F | 0xA9C1..=0xA9CD | 0xA9DE..=0xA9DF | 0xAA5C..=0xAA5F | 0xAADE..=0xAADF | 0xABEB | 0xFE10..=0xFE16 | 0xFE19 | 0xFE30..=0xFE32 | 0xFE45..=0xFE46 | 0xFE49..=0xFE4C | 0xFE50..=0xFE52 | 0xFE54..=0xFE58 | 0xFE5F..=0xFE61 | 0xFE63 | 0xFE68 | 0xFE6A..=0xFE6B | 0xFF01..=0xFF03 | 0xFF05..=0xFF07 | 0xFF0A | 0xFF0C..=0xFF0F | 0xFF1A..=0xFF1B | 0xFF1F..=0xFF20 | 0xFF3C | 0xFF61 | 0xFF64..=0xFF65 | 0x10100..=0x10101 | 0x1039F | 0x103D0 | 0x10857 | 0x1091F | 0x1093F | 0x10A50..=0x10A58 | 0x10A7F | 0x10B39..=0x10B3F | 0x110BB..=0x110BC | 0x110BE..=0x110C1 | 0x12470..=0x12473)
}

/// `match_chars`: whether `a` opens and `b` closes a quoting pair.
pub fn match_chars(a: char, b: char) -> bool {
    let pair = match a {
        '"' => '"',
        '\'' => '\'',
        '(' => ')',
        '<' => '>',
        '[' => ']',
        '{' => '}',
        '\u{ab}' => '\u{bb}',
        '\u{2018}' => '\u{2019}',
        '\u{201c}' => '\u{201d}',
        '\u{2039}' => '\u{203a}',
        '\u{201a}' => '\u{2019}',
        '\u{201e}' => '\u{201d}',
        '\u{bb}' => '\u{ab}',
        '\u{2019}' => '\u{2018}',
        '\u{201d}' => '\u{201c}',
        '\u{203a}' => '\u{2039}',
        c if is_opener(c) => char::from_u32(c as u32 + 1).unwrap_or(c),
        _ => return false,
    };
    if b == pair {
        return true;
    }
    // docutils' quote_pairs
    matches!(
        (a, b),
        ('\u{bb}', '\u{bb}')
            | ('\u{2018}', '\u{201a}')
            | ('\u{2019}', '\u{2019}')
            | ('\u{201a}', '\u{2018}')
            | ('\u{201a}', '\u{2019}')
            | ('\u{201c}', '\u{201e}')
            | ('\u{201e}', '\u{201c}')
            | ('\u{201e}', '\u{201d}')
            | ('\u{201d}', '\u{201d}')
            | ('\u{203a}', '\u{203a}')
    )
}

/// Python's `\s` for `str` patterns.
pub fn is_space(c: char) -> bool {
    c.is_whitespace() || matches!(c, '\u{1c}'..='\u{1f}')
}

/// Python's `\w` minus `_` (simplename letters).
pub fn is_word(c: char) -> bool {
    c.is_alphanumeric()
}

/// docutils' `character_level_inline_markup` setting: where inline
/// markup may start and end. Word level (the default) needs whitespace or
/// punctuation around start- and end-strings; character level takes any
/// character before a start-string except an escaping backslash (a NUL
/// marker here) and any after an end-string, so markup can sit inside words.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Recognition {
    #[default]
    WordLevel,
    CharacterLevel,
}

impl Recognition {
    /// Whether a start-string may follow `prev` (`None`: start of text).
    pub fn prefix_ok(self, prev: Option<char>) -> bool {
        match self {
            Recognition::WordLevel => prev.is_none_or(prefix_char),
            Recognition::CharacterLevel => prev != Some('\0'),
        }
    }

    /// Whether an end-string may be followed by `next` (`None`: end of text).
    pub fn suffix_ok(self, next: Option<char>) -> bool {
        match self {
            Recognition::WordLevel => next.is_none_or(suffix_char),
            Recognition::CharacterLevel => true,
        }
    }
}

/// `start_string_prefix` lookbehind: whitespace, openers or delimiters.
/// Asked for nearly every character of inline text, so ASCII is answered
/// from a table made from the general rule.
pub fn prefix_char(c: char) -> bool {
    match ASCII_CLASSES.get(c as usize) {
        Some(class) => class & PREFIX != 0,
        None => prefix_char_general(c),
    }
}

fn prefix_char_general(c: char) -> bool {
    is_space(c) || is_opener(c) || is_delimiter(c)
}

const PREFIX: u8 = 1;
const SUFFIX: u8 = 2;

/// [`prefix_char`] and [`suffix_char`] of each ASCII character, computed
/// once from the general rules.
static ASCII_CLASSES: std::sync::LazyLock<[u8; 128]> = std::sync::LazyLock::new(|| {
    let mut t = [0u8; 128];
    for (i, slot) in t.iter_mut().enumerate() {
        let c = char::from(i as u8);
        *slot =
            u8::from(prefix_char_general(c)) * PREFIX + u8::from(suffix_char_general(c)) * SUFFIX;
    }
    t
});

/// `end_string_suffix` lookahead: whitespace, NUL (escape), closing delimiters, delimiters, closers.
pub fn suffix_char(c: char) -> bool {
    match ASCII_CLASSES.get(c as usize) {
        Some(class) => class & SUFFIX != 0,
        None => suffix_char_general(c),
    }
}

fn suffix_char_general(c: char) -> bool {
    is_space(c)
        || c == '\0'
        || matches!(c, '\\' | '.' | ',' | ';' | '!' | '?')
        || is_delimiter(c)
        || is_closer(c)
}

/// URI schemes docutils recognises for standalone hyperlinks (`urischemes.schemes`).
pub fn is_known_scheme(s: &str) -> bool {
    const SCHEMES: &[&str] = &[
        "about",
        "acap",
        "addbook",
        "afp",
        "afs",
        "aim",
        "callto",
        "castanet",
        "chttp",
        "cid",
        "crid",
        "data",
        "dav",
        "dict",
        "dns",
        "eid",
        "fax",
        "feed",
        "file",
        "finger",
        "freenet",
        "ftp",
        "go",
        "gopher",
        "gsm-sms",
        "h323",
        "h324",
        "hdl",
        "hnews",
        "http",
        "https",
        "hydra",
        "iioploc",
        "ilu",
        "im",
        "imap",
        "info",
        "ior",
        "ipp",
        "irc",
        "iris.beep",
        "iseek",
        "jar",
        "javascript",
        "jdbc",
        "ldap",
        "lifn",
        "livescript",
        "lrq",
        "mailbox",
        "mailserver",
        "mailto",
        "md5",
        "mid",
        "mocha",
        "modem",
        "mtqp",
        "mupdate",
        "news",
        "nfs",
        "nntp",
        "opaquelocktoken",
        "phone",
        "pop",
        "pop3",
        "pres",
        "printer",
        "prospero",
        "rdar",
        "res",
        "rtsp",
        "rvp",
        "rwhois",
        "rx",
        "sdp",
        "service",
        "shttp",
        "sip",
        "sips",
        "smb",
        "snews",
        "snmp",
        "soap.beep",
        "soap.beeps",
        "ssh",
        "t120",
        "tag",
        "tcp",
        "tel",
        "telephone",
        "telnet",
        "tftp",
        "tip",
        "tn3270",
        "tv",
        "urn",
        "uuid",
        "vemmi",
        "videotex",
        "view-source",
        "wais",
        "whodp",
        "whois++",
        "x-man-page",
        "xmlrpc.beep",
        "xmlrpc.beeps",
        "z39.50r",
        "z39.50s",
    ];
    let lower = s.to_ascii_lowercase();
    SCHEMES.contains(&lower.as_str())
}

/// `uric`: URI characters (plus NUL for escapes).
pub fn is_uric(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_.!~*'()[];/:@&=+$,%\0".contains(c)
}

/// `urilast`: characters a URI may end with.
pub fn is_urilast(c: char) -> bool {
    c.is_ascii_alphanumeric() || "_~*/=+".contains(c)
}

/// `emailc`: e-mail address characters.
pub fn is_emailc(c: char) -> bool {
    c.is_ascii_alphanumeric() || "-_!~*'{|}/#?^`&=+$%\0".contains(c)
}

/// `nonalphanum7bit`: the punctuation usable for section adornments and transitions.
pub fn is_adornment(c: char) -> bool {
    c.is_ascii_punctuation()
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn ascii_delimiters_match_the_full_table() {
        // The fast path must agree with docutils' table for every ASCII character.
        for b in 0u8..128 {
            let c = b as char;
            assert_eq!(
                is_delimiter(c),
                matches!(c as u32, 0x2D | 0x2F | 0x3A),
                "{c:?}"
            );
        }
        assert!(is_delimiter('\u{2010}'));
        assert!(!is_delimiter('a'));
    }
}

#[cfg(test)]
mod ascii_table_tests {
    #[test]
    fn ascii_tables_agree_with_the_general_rules() {
        for i in 0u8..128 {
            let c = char::from(i);
            assert_eq!(
                super::prefix_char(c),
                super::prefix_char_general(c),
                "{i:#x}"
            );
            assert_eq!(
                super::suffix_char(c),
                super::suffix_char_general(c),
                "{i:#x}"
            );
        }
    }
}
