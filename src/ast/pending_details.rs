//! How docutils prints a `pending` node's internals (`pending.pformat()`:
//! the transform it calls for and its `details` dict, each value as Python's
//! `repr`). kbgen's pending nodes keep the directive's converted options as
//! attributes; the option's converter says which Python type docutils holds.

use super::Element;
use crate::python_text::str_repr as py_str;

/// The transform class and the option keys a kind of pending node carries.
fn transform_of(kind: &str) -> Option<(&'static str, &'static [&'static str])> {
    Some(match kind {
        "contents" => (
            "docutils.transforms.parts.Contents",
            &["backlinks", "class", "depth", "local"],
        ),
        "sectnum" => (
            "docutils.transforms.parts.SectNum",
            &["depth", "prefix", "start", "suffix"],
        ),
        "class" => (
            "docutils.transforms.misc.ClassAttribute",
            &["class", "directive"],
        ),
        "target-notes" => ("docutils.transforms.references.TargetNotes", &["class"]),
        _ => return None,
    })
}

/// The value of one detail as docutils' option converter leaves it.
fn repr(key: &str, value: &str) -> String {
    match key {
        "depth" | "start" => value
            .trim()
            .parse::<u64>()
            .map_or_else(|_| py_str(value), |n| n.to_string()),
        "local" => "None".to_string(),
        "backlinks" if value == "none" => "None".to_string(),
        "class" => {
            let items: Vec<String> = value.split_whitespace().map(py_str).collect();
            format!("[{}]", items.join(", "))
        }
        _ => py_str(value),
    }
}

/// The lines docutils prints under a pending node, or `None` for a node
/// docutils would not have as `pending`.
pub(super) fn internals(e: &Element) -> Option<Vec<String>> {
    let (transform, keys) = transform_of(e.get_named("kind")?)?;
    let mut lines = vec![
        ".. internal attributes:".to_string(),
        format!("     .transform: {transform}"),
        "     .details:".to_string(),
    ];
    for key in keys {
        if let Some(value) = e.get_named(key) {
            lines.push(format!("       {key}: {}", repr(key, value)));
        }
    }
    Some(lines)
}
