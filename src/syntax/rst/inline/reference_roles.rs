//! The roles that make references from a number (`pep`, `rfc`) and the
//! roles docutils registers but does not implement (`index`, `target`, …).

use crate::ast::{Attr, Element, Node, Span, Tag};
use crate::diag::Severity;
use crate::python_text::int_value;

use super::super::languages::{self, NameKind};
use super::Inliner;

/// The canonical names docutils registers with its `unimplemented_role`
/// (docutils' English names for them included), for a role's base name.
pub fn unimplemented_role(base: &str) -> Option<&'static str> {
    Some(match base {
        "index" | "i" => "index",
        "named-reference" => "named-reference",
        "anonymous-reference" => "anonymous-reference",
        "uri-reference" | "uri" | "url" => "uri-reference",
        "footnote-reference" => "footnote-reference",
        "citation-reference" => "citation-reference",
        "substitution-reference" => "substitution-reference",
        "target" => "target",
        // registered "for testing purposes", in no language's table
        "restructuredtext-unimplemented-role" => "restructuredtext-unimplemented-role",
        _ => return None,
    })
}

impl Inliner<'_, '_> {
    /// docutils' `pep_reference_role`: Python's `int` of the text, 0 to
    /// 9999; the text is shown as written.
    pub(super) fn pep_reference(
        &mut self,
        rawsource: &str,
        escaped: &str,
        text: &str,
        classes: &[String],
        span: Span,
        tspan: Span,
    ) -> Vec<Node> {
        let Some(number) = int_value(text)
            .and_then(|n| n.as_u32())
            .filter(|n| *n <= 9999)
        else {
            let msg = self.warn(
                Severity::Error,
                &format!("PEP number must be a number from 0 to 9999; \"{text}\" is invalid."),
                span,
            );
            return vec![self.problematic(rawsource, span, msg)];
        };
        let mut r = Element::new(Tag::Reference, span);
        r.classes = classes.to_vec().into();
        r.set(
            Attr::Refuri,
            format!("https://peps.python.org/pep-{number:04}"),
        );
        r.push_text(format!("PEP {}", self.text_of(escaped)), tspan);
        vec![r.into()]
    }

    /// docutils' `rfc_reference_role`: Python's `int` of the text before
    /// any `#` (the section, appended to the URL), at least 1; the text
    /// shown is the number as Python prints it.
    pub(super) fn rfc_reference(
        &mut self,
        rawsource: &str,
        text: &str,
        classes: &[String],
        span: Span,
        tspan: Span,
    ) -> Vec<Node> {
        let (number, section) = match text.split_once('#') {
            Some((number, section)) => (number, Some(section)),
            None => (text, None),
        };
        let Some(number) = int_value(number).filter(|n| !n.negative && n.digits != "0") else {
            let msg = self.warn(
                Severity::Error,
                &format!(
                    "RFC number must be a number greater than or equal to 1; \"{text}\" is invalid."
                ),
                span,
            );
            return vec![self.problematic(rawsource, span, msg)];
        };
        let mut uri = format!("https://tools.ietf.org/html/rfc{}.html", number.digits);
        if let Some(section) = section {
            uri.push('#');
            uri.push_str(section);
        }
        let mut r = Element::new(Tag::Reference, span);
        r.classes = classes.to_vec().into();
        r.set(Attr::Refuri, uri);
        r.push_text(format!("RFC {}", number.digits), tspan);
        vec![r.into()]
    }

    /// docutils' `unimplemented_role`: an error naming the role as
    /// written. The name is found, so docutils remembers it: a name in no
    /// language table is reported (INFO) only the first time.
    pub(super) fn unimplemented(
        &mut self,
        rawsource: &str,
        role: &str,
        canonical: &str,
        info_given: bool,
        span: Span,
    ) -> Vec<Node> {
        let listed = canonical != "restructuredtext-unimplemented-role";
        if !info_given
            && !listed
            && languages::is_english(&self.doc.language_code)
            && !self.doc.found_names.knows(NameKind::Role, role)
        {
            let info = self.doc.unknown_name_info("role", role, self.lineno, span);
            self.messages.push(info);
        }
        self.doc
            .found_names
            .remember(NameKind::Role, role, canonical);
        let msg = self.warn(
            Severity::Error,
            &format!("Interpreted text role \"{role}\" not implemented."),
            span,
        );
        vec![self.problematic(rawsource, span, msg)]
    }
}
