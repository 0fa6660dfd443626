//! `os.path` on strings, with `posixpath`'s rules (kbgen models a POSIX
//! Python: conf.py paths are `/`-separated).

/// `os.path.join(a, *rest)`: an absolute part restarts the path.
pub(super) fn join(parts: &[String]) -> String {
    let mut out = String::new();
    for (i, part) in parts.iter().enumerate() {
        if part.starts_with('/') || i == 0 {
            out = part.clone();
        } else if out.is_empty() || out.ends_with('/') {
            out.push_str(part);
        } else {
            out.push('/');
            out.push_str(part);
        }
    }
    out
}

/// `os.path.split(p)`: head (trailing slashes stripped unless all slashes) and tail.
fn split(p: &str) -> (String, String) {
    let i = p.rfind('/').map_or(0, |i| i + 1);
    let (head, tail) = p.split_at(i);
    let stripped = head.trim_end_matches('/');
    let head = if stripped.is_empty() { head } else { stripped };
    (head.to_string(), tail.to_string())
}

pub(super) fn dirname(p: &str) -> String {
    split(p).0
}

pub(super) fn basename(p: &str) -> String {
    split(p).1
}

/// `os.path.splitext(p)`: the extension starts at the last dot of the last
/// component, unless that component is all leading dots.
pub(super) fn splitext(p: &str) -> (String, String) {
    let base_start = p.rfind('/').map_or(0, |i| i + 1);
    let base = &p[base_start..];
    let leading = base.len() - base.trim_start_matches('.').len();
    match base.rfind('.') {
        Some(dot) if dot >= leading => {
            let at = base_start + dot;
            (p[..at].to_string(), p[at..].to_string())
        }
        _ => (p.to_string(), String::new()),
    }
}

/// `os.path.normpath(p)`.
pub(super) fn normpath(p: &str) -> String {
    if p.is_empty() {
        return ".".into();
    }
    // POSIX keeps exactly two leading slashes, folds three or more to one.
    let slashes = p.len() - p.trim_start_matches('/').len();
    let root = match slashes {
        0 => "",
        2 => "//",
        _ => "/",
    };
    let mut parts: Vec<&str> = Vec::new();
    for comp in p.split('/') {
        match comp {
            "" | "." => {}
            ".." if parts.last().is_some_and(|l| *l != "..") => {
                parts.pop();
            }
            ".." if !root.is_empty() => {}
            c => parts.push(c),
        }
    }
    let joined = parts.join("/");
    match (root, joined.is_empty()) {
        ("", true) => ".".into(),
        (r, _) => format!("{r}{joined}"),
    }
}

/// `os.path.abspath(p)` with `cwd` as the working directory.
pub(super) fn abspath(p: &str, cwd: &str) -> String {
    if p.starts_with('/') {
        normpath(p)
    } else {
        normpath(&join(&[cwd.to_string(), p.to_string()]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> String {
        x.to_string()
    }

    #[test]
    fn posixpath_rules() {
        assert_eq!(join(&[s("a"), s("b/"), s("c")]), "a/b/c");
        assert_eq!(join(&[s("a"), s("/abs"), s("c")]), "/abs/c");
        assert_eq!(dirname("/x/docs/conf.py"), "/x/docs");
        assert_eq!(dirname("conf.py"), "");
        assert_eq!(dirname("/conf.py"), "/");
        assert_eq!(basename("/x/y/"), "");
        assert_eq!(splitext("a/b.tar.gz"), (s("a/b.tar"), s(".gz")));
        assert_eq!(splitext(".bashrc"), (s(".bashrc"), s("")));
        assert_eq!(normpath("/a/./b/../../.."), "/");
        assert_eq!(normpath("a/../../b"), "../b");
        assert_eq!(normpath(""), ".");
        assert_eq!(abspath("../VERSION", "/src/docs"), "/src/VERSION");
    }
}
