//! Path traversal through the preview server, by exhaustive generation:
//! every request path made of up to five pieces from an alphabet of
//! traversal tricks (`..`, encoded dots and slashes, backslashes, NUL,
//! drive letters, a symlink out, a secret's name) must resolve to nothing
//! or to a file inside the output folder, and never to the secret beside it.

#[cfg(unix)]
#[test]
fn no_request_path_reaches_outside_the_output_folder() {
    use kbgen::serve::paths::resolve;

    let tmp = std::env::temp_dir().join(format!("kbgen-paths-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&tmp);
    let root = tmp.join("site");
    std::fs::create_dir_all(root.join("kbase")).unwrap();
    std::fs::write(root.join("index.html"), "index").unwrap();
    std::fs::write(root.join("kbase/a.html"), "a").unwrap();
    std::fs::write(tmp.join("secret"), "secret").unwrap();
    std::os::unix::fs::symlink(&tmp, root.join("link")).unwrap();
    std::os::unix::fs::symlink(tmp.join("secret"), root.join("kbase/s.html")).unwrap();
    let root = root.canonicalize().unwrap();
    let secret = tmp.join("secret").canonicalize().unwrap();

    const PIECES: &[&str] = &[
        "/",
        "..",
        ".",
        "%2e",
        "%2E%2e",
        "%2f",
        "%5c",
        "\\",
        "%00",
        "C:",
        "secret",
        "link",
        "kbase",
        "a.html",
        "s.html",
        "index.html",
        "%",
        "%zz",
        "site",
        "//",
    ];
    let mut checked = 0usize;
    let mut reached_inside = 0usize;
    let mut path = String::new();
    let n = PIECES.len();
    // All sequences of 1 to 4 pieces, each prefixed by "/" as request paths are.
    for len in 1..=4u32 {
        for mut code in 0..n.pow(len) {
            path.clear();
            path.push('/');
            for _ in 0..len {
                path.push_str(PIECES[code % n]);
                code /= n;
            }
            checked += 1;
            if let Some(found) = resolve(&root, &path) {
                assert!(found.starts_with(&root), "{path:?} escaped to {found:?}");
                assert_ne!(found, secret, "{path:?} reached the secret");
                reached_inside += 1;
            }
        }
    }
    let _ = std::fs::remove_dir_all(&tmp);
    assert!(checked > 160_000, "{checked}");
    // The generator does reach real files, so the check is not vacuous.
    assert!(reached_inside > 100, "{reached_inside}");
}
