//! The shape of the house, checked from the source: the top-level modules of
//! `src/` import each other along a directed graph without cycles, and so do
//! the files inside each module. Read from `crate::` and `super::` paths in
//! code (comments and `#[cfg(test)]` modules aside: a test may build its
//! inputs with a layer above the one it tests).

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The `.rs` files under `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// The code of a file: without its test module, a `tests.rs` file (a test
/// module of its own) and line comments.
fn code(path: &Path) -> String {
    if path.file_name().is_some_and(|n| n == "tests.rs") {
        return String::new();
    }
    let text = fs::read_to_string(path).unwrap();
    let text = match text.find("#[cfg(test)]\nmod tests") {
        Some(i) => &text[..i],
        None => &text,
    };
    text.lines()
        .map(|l| l.find("//").map_or(l, |i| &l[..i]))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The names that follow `prefix` in `code` (`crate::a::b` gives `a` for
/// `crate::`; `crate::{a, b::c}` gives `a` and `b`).
fn names_after(code: &str, prefix: &str) -> BTreeSet<String> {
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .collect()
    };
    let mut out = BTreeSet::new();
    for (i, _) in code.match_indices(prefix) {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let rest = &code[i + prefix.len()..];
        if let Some(group) = rest.strip_prefix('{') {
            let group = &group[..group.find('}').unwrap_or(group.len())];
            out.extend(group.split(',').map(|p| ident(p.trim())));
        } else {
            out.insert(ident(rest));
        }
    }
    out.remove("");
    out
}

/// A cycle of `graph`, if any, as the nodes along it.
fn cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        n: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(i) = path.iter().position(|p| p == n) {
            let mut c = path[i..].to_vec();
            c.push(n.to_owned());
            return Some(c);
        }
        if done.contains(n) {
            return None;
        }
        path.push(n.to_owned());
        for m in graph.get(n).into_iter().flatten() {
            if let Some(c) = visit(m, graph, path, done) {
                return Some(c);
            }
        }
        path.pop();
        done.insert(n.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|n| visit(n, graph, &mut Vec::new(), &mut done))
}

/// The module a path under `dir` belongs to: its first component, without
/// `.rs`; `None` for `dir`'s own `mod.rs`, `lib.rs` and `main.rs`.
fn child(dir: &Path, path: &Path) -> Option<String> {
    let first = path.strip_prefix(dir).ok()?.components().next()?;
    let name = first.as_os_str().to_str()?;
    let name = name.strip_suffix(".rs").unwrap_or(name);
    (!matches!(name, "mod" | "lib" | "main")).then(|| name.to_owned())
}

/// Who imports whom among the children of `dir` (a module folder, or `src`
/// itself): `prefixes` are how a child names a sibling (`crate::` at the
/// top; `crate::m::` and, from a file of `dir`, `super::` inside module `m`).
fn graph(dir: &Path, prefixes: &[String]) -> BTreeMap<String, BTreeSet<String>> {
    let files = rust_files(dir);
    let children: BTreeSet<String> = files.iter().filter_map(|p| child(dir, p)).collect();
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for path in &files {
        let Some(from) = child(dir, path) else {
            continue;
        };
        let code = code(path);
        let direct = path.parent() == Some(dir);
        let entry = graph.entry(from.clone()).or_default();
        for prefix in prefixes {
            if prefix == "super::" && !direct {
                continue;
            }
            for to in names_after(&code, prefix) {
                if to != from && children.contains(&to) {
                    entry.insert(to);
                }
            }
        }
    }
    graph
}

#[test]
fn top_level_modules_import_each_other_along_a_graph_without_cycles() {
    let top = graph(&src(), &["crate::".to_owned()]);
    assert_eq!(cycle(&top), None, "a cycle of top-level modules");
    // `cli` is what a person runs: nothing in the library reaches up to it.
    for (from, to) in &top {
        assert!(!to.contains("cli"), "{from} imports cli");
    }
    // `git` and `files` sit at the bottom: they print nothing, they return
    // what they found.
    for low in ["git", "files"] {
        for above in ["pipeline", "decide", "learn", "check"] {
            assert!(!top[low].contains(above), "{low} imports {above}");
        }
    }
}

/// The library's public surface is the core: `lib.rs` declares exactly these
/// modules `pub` (and `cli`, public for its entry point only); every other
/// module is crate-private.
#[test]
fn the_public_modules_are_the_core() {
    let lib = fs::read_to_string(src().join("lib.rs")).unwrap();
    let mut public = BTreeSet::new();
    let mut private = BTreeSet::new();
    for line in lib.lines().map(str::trim) {
        if let Some(m) = line.strip_prefix("pub mod ") {
            public.insert(m.trim_end_matches(';').to_owned());
        } else if let Some(m) = line
            .strip_prefix("pub(crate) mod ")
            .or(line.strip_prefix("mod "))
        {
            private.insert(m.trim_end_matches(';').to_owned());
        } else {
            assert!(!line.starts_with("pub"), "lib.rs: {line}");
        }
    }
    let core = [
        "article", "cli", "conflict", "decide", "files", "git", "merge", "pipeline",
    ];
    assert_eq!(
        public,
        core.map(String::from).into(),
        "public modules of lib.rs"
    );
    let dirs = fs::read_dir(src()).unwrap().map(|e| {
        let name = e.unwrap().file_name().into_string().unwrap();
        name.strip_suffix(".rs").unwrap_or(&name).to_owned()
    });
    for m in dirs.filter(|m| !matches!(m.as_str(), "lib" | "main")) {
        assert!(
            public.contains(&m) || private.contains(&m),
            "src/{m} is not a module of lib.rs"
        );
    }
}

#[test]
fn the_files_of_each_module_import_each_other_without_cycles() {
    let root = src();
    let mut dirs: Vec<PathBuf> = rust_files(&root)
        .iter()
        .filter_map(|p| p.parent().map(Path::to_path_buf))
        .filter(|d| *d != root)
        .collect();
    dirs.sort();
    dirs.dedup();
    assert!(dirs.iter().any(|d| d.ends_with("conflict")));
    for dir in dirs {
        let name: Vec<&str> = dir
            .strip_prefix(&root)
            .unwrap()
            .components()
            .map(|c| c.as_os_str().to_str().unwrap())
            .collect();
        let name = name.join("::");
        let g = graph(&dir, &[format!("crate::{name}::"), "super::".to_owned()]);
        assert_eq!(cycle(&g), None, "a cycle inside {name}");
    }
}

#[test]
fn nothing_below_the_command_line_prints_reads_a_terminal_or_exits() {
    let root = src();
    for path in rust_files(&root) {
        let rel = path.strip_prefix(&root).unwrap();
        if rel.starts_with("cli") || rel == Path::new("main.rs") {
            continue;
        }
        let code = code(&path);
        for word in [
            "print!",
            "println!",
            "eprint!",
            "eprintln!",
            "errln!",
            "outln!",
            "io::stdout",
            "io::stderr",
            "Term::",
            "process::exit",
        ] {
            assert!(!code.contains(word), "{}: {word}", rel.display());
        }
    }
}

/// Where code outside `article/` names a frontmatter format's variant (a
/// match arm, a comparison, an import of the variants) or a format's own
/// file or error (`frontmatter::yaml`, `ArticleError::Yaml`):
/// `path:line: text`.
fn format_variants_named(root: &Path, code_of: impl Fn(&Path) -> String) -> Vec<String> {
    let mut found = Vec::new();
    for path in rust_files(root) {
        let rel = path.strip_prefix(root).unwrap();
        if rel.starts_with("article") {
            continue;
        }
        for (n, line) in code_of(&path).lines().enumerate() {
            let named = [
                "Format::Yaml",
                "Format::Toml",
                "Format::Json",
                "Format::{",
                "Format::*",
                "frontmatter::yaml",
                "frontmatter::plain_yaml",
                "frontmatter::toml",
                "frontmatter::json",
                "ArticleError::Yaml",
            ]
            .iter()
            .any(|v| line.contains(v));
            if named {
                found.push(format!("{}:{}: {}", rel.display(), n + 1, line.trim()));
            }
        }
    }
    found
}

/// A frontmatter format is known in `article/` only: everything else asks
/// `Format::syntax()` (one implementation per format file), so a new format
/// is a new file there and one arm.
#[test]
fn only_article_tells_the_frontmatter_formats_apart() {
    let found = format_variants_named(&src(), code);
    assert!(
        found.is_empty(),
        "formats named outside article/ (ask format.syntax() instead):\n{}",
        found.join("\n")
    );
}

#[test]
fn the_reader_of_format_names_sees_arms_and_comparisons() {
    let dir = std::env::temp_dir().join(format!("frontmerge-house-{}", std::process::id()));
    fs::create_dir_all(dir.join("article")).unwrap();
    fs::write(
        dir.join("article/mod.rs"),
        "match f { Format::Yaml => 1 }\n",
    )
    .unwrap();
    fs::write(
        dir.join("render.rs"),
        "// Format::Toml in a comment\nif f == Format::Toml {}\nuse crate::article::frontmatter::yaml;\n#[cfg(test)]\nmod tests {\n    Format::Json\n}\n",
    )
    .unwrap();
    let found = format_variants_named(&dir, code);
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(
        found,
        [
            "render.rs:2: if f == Format::Toml {}",
            "render.rs:3: use crate::article::frontmatter::yaml;"
        ]
    );
}

#[test]
fn the_reader_of_imports_sees_groups_and_skips_longer_paths() {
    let code = "use crate::{a, b::c};\nuse crate::d::e;\nlet x = my_crate::f;";
    let names: Vec<String> = names_after(code, "crate::").into_iter().collect();
    assert_eq!(names, ["a", "b", "d"]);
    let mut g: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    g.entry("a".into()).or_default().insert("b".into());
    assert_eq!(cycle(&g), None);
    g.entry("b".into()).or_default().insert("a".into());
    assert_eq!(cycle(&g), Some(vec!["a".into(), "b".into(), "a".into()]));
}

/// `mod NAME;` lines of a Rust file.
fn declared_modules(file: &Path) -> BTreeSet<String> {
    fs::read_to_string(file)
        .unwrap()
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            let l = l.strip_prefix("pub ").unwrap_or(l);
            l.strip_prefix("mod ")?.strip_suffix(';').map(str::to_owned)
        })
        .collect()
}

/// As jujutsu does: a test file that no module includes is never compiled,
/// and its tests never run. Every file of `tests/it/` is a module of
/// `main.rs`, and every file of a folder `tests/it/X/` a module of `X.rs`.
#[test]
fn every_integration_test_file_is_a_module() {
    let it = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/it");
    let mut missing = Vec::new();
    for e in fs::read_dir(&it).unwrap() {
        let path = e.unwrap().path();
        let name = path.file_stem().unwrap().to_str().unwrap().to_owned();
        if path.is_dir() {
            let parent = it.join(format!("{name}.rs"));
            let declared = declared_modules(&parent);
            for f in rust_files(&path) {
                let stem = f.file_stem().unwrap().to_str().unwrap().to_owned();
                if !declared.contains(&stem) {
                    missing.push(f.strip_prefix(&it).unwrap().display().to_string());
                }
            }
        } else if path.extension().is_some_and(|x| x == "rs")
            && name != "main"
            && !declared_modules(&it.join("main.rs")).contains(&name)
        {
            missing.push(format!("{name}.rs"));
        }
    }
    missing.sort();
    assert!(
        missing.is_empty(),
        "test files no module includes (add `mod NAME;`): {missing:?}"
    );
}

/// The private-use characters (U+E000..=U+F8FF and planes 15 and 16) in
/// `text`, written as themselves or as `\u{…}` escapes: `line: text`.
fn private_use(text: &str) -> Vec<String> {
    let private = |c: u32| (0xE000..=0xF8FF).contains(&c) || c >= 0xF0000;
    let mut found = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let literal = line.chars().any(|c| private(c as u32));
        let escaped = line.match_indices("\\u{").any(|(i, m)| {
            let hex: String = line[i + m.len()..]
                .chars()
                .take_while(char::is_ascii_hexdigit)
                .collect();
            u32::from_str_radix(&hex, 16).is_ok_and(private)
        });
        if literal || escaped {
            found.push(format!("{}: {}", n + 1, line.trim()));
        }
    }
    found
}

/// Sides stay data until they are shown: the library builds messages as
/// `conflict::worded::Worded` (text and `Side`s) and only `cli/` names the
/// sides. No stand-in character for a side is written into a string below
/// the command line, tests included.
#[test]
fn no_private_use_placeholder_stands_for_a_side_below_the_command_line() {
    assert_eq!(private_use("a \\u{E001} b\nc"), ["1: a \\u{E001} b"]);
    assert_eq!(private_use("x\n\u{E000}"), ["2: \u{E000}"]);
    assert!(private_use("\\u{2190} ← \\u{e}").is_empty());
    let root = src();
    let mut found = Vec::new();
    for path in rust_files(&root) {
        let rel = path.strip_prefix(&root).unwrap();
        if rel.starts_with("cli") {
            continue;
        }
        let text = fs::read_to_string(&path).unwrap();
        for hit in private_use(&text) {
            found.push(format!("{}:{hit}", rel.display()));
        }
    }
    assert!(
        found.is_empty(),
        "private-use characters outside cli/ (build a Worded message instead):\n{}",
        found.join("\n")
    );
}
