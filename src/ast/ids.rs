//! docutils' name and id normalisation (`nodes.fully_normalize_name`,
//! `nodes.whitespace_normalize_name`, `nodes.make_id`).

use unicode_normalization::UnicodeNormalization;

/// `fully_normalize_name`: lower-case, whitespace runs collapsed to one space, ends stripped.
pub fn fully_normalize_name(name: &str) -> String {
    whitespace_normalize_name(&name.to_lowercase())
}

/// `whitespace_normalize_name`: whitespace runs collapsed to one space, ends stripped.
pub fn whitespace_normalize_name(name: &str) -> String {
    name.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// docutils' `make_id`: an id matching `[a-z](-?[a-z0-9]+)*`, or empty.
pub fn make_id(text: &str) -> String {
    // ASCII text (most titles and names) needs no case folding beyond
    // ASCII, no transliteration and no decomposition; whitespace runs
    // become one hyphen like any other run of non-alphanumerics.
    if text.is_ascii() {
        return hyphenated(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    }
    make_id_unicode(text)
}

/// `make_id` for any text: Unicode lower-casing, docutils' transliteration
/// table, NFKD, then the hyphenation.
fn make_id_unicode(text: &str) -> String {
    let lower = text.to_lowercase();
    let mut mapped = String::with_capacity(lower.len());
    for c in lower.chars() {
        match c {
            'ß' => mapped.push_str("sz"),
            'æ' => mapped.push_str("ae"),
            'œ' => mapped.push_str("oe"),
            'ȸ' => mapped.push_str("db"),
            'ȹ' => mapped.push_str("qp"),
            c => mapped.push(translate_char(c)),
        }
    }
    let ascii: String = mapped.nfkd().filter(|c| c.is_ascii()).collect();
    let collapsed = ascii.split_whitespace().collect::<Vec<_>>().join(" ");
    hyphenated(collapsed.chars())
}

/// The end of `make_id`: runs of characters other than `[a-z0-9]` become
/// one hyphen, then leading hyphens and digits and trailing hyphens go.
fn hyphenated(chars: impl Iterator<Item = char>) -> String {
    let mut id = String::with_capacity(chars.size_hint().0);
    let mut in_run = false;
    for c in chars {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(c);
            in_run = false;
        } else if !in_run {
            id.push('-');
            in_run = true;
        }
    }
    let id = id.trim_start_matches(|c: char| c == '-' || c.is_ascii_digit());
    id.trim_end_matches('-').to_string()
}

/// docutils' `_non_id_translate`: stroked and hooked letters mapped to ASCII.
pub(crate) fn translate_char(c: char) -> char {
    match c {
        'ø' => 'o',
        'đ' => 'd',
        'ħ' => 'h',
        'ı' => 'i',
        'ł' => 'l',
        'ŧ' => 't',
        'ƀ' => 'b',
        'ƃ' => 'b',
        'ƈ' => 'c',
        'ƌ' => 'd',
        'ƒ' => 'f',
        'ƙ' => 'k',
        'ƚ' => 'l',
        'ƞ' => 'n',
        'ƥ' => 'p',
        'ƫ' => 't',
        'ƭ' => 't',
        'ƴ' => 'y',
        'ƶ' => 'z',
        'ǥ' => 'g',
        'ȥ' => 'z',
        'ȴ' => 'l',
        'ȵ' => 'n',
        'ȶ' => 't',
        'ȷ' => 'j',
        'ȼ' => 'c',
        'ȿ' => 's',
        'ɀ' => 'z',
        'ɇ' => 'e',
        'ɉ' => 'j',
        'ɋ' => 'q',
        'ɍ' => 'r',
        'ɏ' => 'y',
        c => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn make_id_matches_docutils_examples() {
        for (text, id) in [
            ("Hello World!", "hello-world"),
            ("1. Intro", "intro"),
            ("2023", ""),
            ("C++", "c"),
            ("Über Straße", "uber-strasze"),
            ("foo_bar.baz", "foo-bar-baz"),
            (
                "QEMU/KVM/HVF hypervisor driver",
                "qemu-kvm-hvf-hypervisor-driver",
            ),
            ("<qemu:commandline>", "qemu-commandline"),
            ("Since 8.1.0", "since-8-1-0"),
            ("x86_64", "x86-64"),
            ("Ænima œuvre", "aenima-oeuvre"),
            ("Łódź", "lodz"),
            ("日本語 text", "text"),
            ("--flag", "flag"),
            ("a--b", "a-b"),
        ] {
            assert_eq!(make_id(text), id, "{text}");
        }
    }

    #[test]
    fn ascii_ids_match_the_unicode_path() {
        // Every string of up to three characters from a sample of ASCII
        // (letters, digits, whitespace, punctuation) gives the same id
        // either way.
        let sample = [
            'a', 'Z', '0', '9', ' ', '\t', '\n', '-', '_', '.', '!', '\u{b}',
        ];
        for a in sample {
            for b in sample {
                for c in sample {
                    let text: String = [a, b, c].iter().collect();
                    assert_eq!(make_id(&text), make_id_unicode(&text), "{text:?}");
                }
            }
        }
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(fully_normalize_name("Hello  World!"), "hello world!");
        assert_eq!(whitespace_normalize_name(" Anon\n Ref "), "Anon Ref");
    }
}
