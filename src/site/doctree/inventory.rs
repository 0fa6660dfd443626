//! `objects.inv`: Sphinx's inventory (version 2), so other projects'
//! intersphinx can link to the site's labels, pages and objects.
//!
//! Four text lines, then one zlib stream of lines
//! `name domain:type priority uri dispname`, where an anchor ending in the
//! name is abbreviated to `$` and a display name equal to the name is `-`.

use std::io::Write;

use super::SphinxProject;

/// One inventory line.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Item {
    domain: String,
    name: String,
    dispname: String,
    objtype: String,
    docname: String,
    anchor: String,
    priority: i32,
}

/// The bytes of `objects.inv`.
pub fn objects_inv(project: &SphinxProject) -> Vec<u8> {
    let mut items = Vec::new();
    let mut push = |domain: &str,
                    objtype: &str,
                    name: &str,
                    docname: &str,
                    anchor: &str,
                    disp: &str,
                    priority: i32| {
        items.push(Item {
            domain: domain.into(),
            name: name.into(),
            dispname: disp.into(),
            objtype: objtype.into(),
            docname: docname.into(),
            anchor: anchor.into(),
            priority,
        })
    };
    for (doc, title) in &project.targets.docs {
        push(
            "std",
            "doc",
            doc,
            doc,
            "",
            title.as_deref().unwrap_or(""),
            -1,
        );
    }
    for (name, label) in &project.targets.labels {
        let disp = label.title.as_deref().unwrap_or("");
        push(
            "std",
            "label",
            name,
            &label.place.docname,
            &label.place.anchor,
            disp,
            -1,
        );
    }
    for (name, place) in &project.targets.citations {
        push(
            "std",
            "label",
            &name.to_lowercase(),
            &place.docname,
            &place.anchor,
            "",
            -1,
        );
    }
    for ((domain, objtype), names) in &project.targets.objects {
        for (name, place) in names {
            let (shown, priority) = match (domain.as_str(), objtype.as_str()) {
                ("std", "term") => (name.clone(), -1),
                ("std", "cmdoption") => (
                    match name.rsplit_once(' ') {
                        Some((prog, opt)) => format!("{prog}.{opt}"),
                        None => name.clone(),
                    },
                    1,
                ),
                // Sphinx files modules at priority 0 (`PythonDomain.get_objects`).
                ("py", "module") => (name.clone(), 0),
                _ => (name.clone(), 1),
            };
            push(
                domain,
                objtype,
                &shown,
                &place.docname,
                &place.anchor,
                "",
                priority,
            );
        }
    }
    // Sphinx lists its own pages whether or not the site has them.
    for (name, page, disp) in [
        ("genindex", "genindex", "Index"),
        ("modindex", "py-modindex", "Module Index"),
        ("py-modindex", "py-modindex", "Python Module Index"),
        ("search", "search", "Search Page"),
    ] {
        push("std", "label", name, page, "", disp, -1);
    }
    items.sort();
    items.dedup();
    let mut body = String::new();
    for it in &items {
        let mut uri = format!("{}.html", it.docname);
        if !it.anchor.is_empty() {
            let anchor = match it.anchor.strip_suffix(it.name.as_str()) {
                Some(head) => format!("{head}$"),
                None => it.anchor.clone(),
            };
            uri.push('#');
            uri.push_str(&anchor);
        }
        let disp = if it.dispname.is_empty() || it.dispname == it.name {
            "-"
        } else {
            &it.dispname
        };
        body.push_str(&format!(
            "{} {}:{} {} {} {}\n",
            it.name, it.domain, it.objtype, it.priority, uri, disp
        ));
    }
    let settings = &project.settings;
    let mut out = format!(
        "# Sphinx inventory version 2\n# Project: {}\n# Version: {}\n# The remainder of this file is compressed using zlib.\n",
        collapse(&settings.project),
        collapse(&settings.version)
    )
    .into_bytes();
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing into a Vec cannot fail.
    let _ = z.write_all(body.as_bytes());
    out.extend(z.finish().unwrap_or_default());
    out
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}
