//! The layer rule of ARCHITECTURE.md, enforced: a top-level module of the library may import (`crate::X`) only from
//! its own layer or a layer below, and the import graph between top-level modules has no cycle.
//!
//! The scan reads every `.rs` file under `src/<module>` (code and unit tests alike, comments stripped) and collects the
//! `crate::<name>` paths it mentions. `forbidden_imports_are_caught` feeds the same checker a graph with an upward
//! import and a cycle, so the rule is shown to fail when it should.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Layers, bottom to top. A module may use its own layer and any layer below.
const LAYERS: &[&[&str]] = &[
    &["error", "seed", "tier", "output", "memory", "registry"],
    &["stats"],
    &["data", "linalg", "npy"],
    &["kernels", "nets", "convex", "flow"],
    &["experiments"],
    &["claims"],
    &["report"],
];

type Graph = BTreeMap<String, BTreeSet<String>>;

fn layer_of(module: &str) -> Option<usize> {
    LAYERS.iter().position(|l| l.contains(&module))
}

/// Removes `//` comments (line, doc and module docs) so links in prose do not count as imports.
fn strip_comments(src: &str) -> String {
    src.lines()
        .map(|l| match l.find("//") {
            Some(i) if !l[..i].contains('"') => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Root re-exports of the library and the module they come from.
const ROOT_REEXPORTS: &[(&str, &str)] = &[("Error", "error"), ("Result", "error")];

fn ident(s: &str) -> String {
    s.trim_start().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect()
}

/// The top-level modules named as `crate::<name>` or inside `crate::{a::…, b, …}` in `src`.
fn imports(src: &str) -> BTreeSet<String> {
    let code = strip_comments(src);
    let mut names = Vec::new();
    let mut rest = code.as_str();
    while let Some(i) = rest.find("crate::") {
        let tail = &rest[i + "crate::".len()..];
        let preceded = rest[..i].chars().last().is_some_and(|c| c.is_ascii_alphanumeric() || c == '_' || c == '$');
        if !preceded {
            if let Some(group) = tail.strip_prefix('{') {
                // Split the brace group at top-level commas.
                let (mut depth, mut start) = (0usize, 0usize);
                for (k, c) in group.char_indices() {
                    match c {
                        '{' => depth += 1,
                        '}' if depth == 0 => {
                            names.push(ident(&group[start..k]));
                            break;
                        }
                        '}' => depth -= 1,
                        ',' if depth == 0 => {
                            names.push(ident(&group[start..k]));
                            start = k + 1;
                        }
                        _ => {}
                    }
                }
            } else {
                names.push(ident(tail));
            }
        }
        rest = tail;
    }
    names
        .into_iter()
        .filter(|n| !n.is_empty() && n != "self")
        .map(|n| ROOT_REEXPORTS.iter().find(|(r, _)| *r == n).map(|(_, m)| m.to_string()).unwrap_or(n))
        .collect()
}

fn rs_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    let Ok(rd) = std::fs::read_dir(dir) else { return };
    for e in rd.flatten() {
        let p = e.path();
        if p.is_dir() {
            rs_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// The import graph between the library's top-level modules.
fn library_graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut g = Graph::new();
    for module in LAYERS.iter().flat_map(|l| l.iter()) {
        let mut files = Vec::new();
        let dir = src.join(module);
        if dir.is_dir() {
            rs_files(&dir, &mut files);
        }
        let single = src.join(format!("{module}.rs"));
        if single.is_file() {
            files.push(single);
        }
        assert!(!files.is_empty(), "layer table names `{module}` but src/ has no such module");
        let deps = g.entry(module.to_string()).or_default();
        for f in files {
            let text = std::fs::read_to_string(&f).unwrap();
            deps.extend(imports(&text).into_iter().filter(|d| d != module));
        }
    }
    g
}

/// Every violation of the rule in `g`: an import of an unknown module, an upward import, or a cycle.
fn violations(g: &Graph) -> Vec<String> {
    let mut out = Vec::new();
    for (m, deps) in g {
        let lm = layer_of(m);
        for d in deps {
            match (lm, layer_of(d)) {
                (_, None) => out.push(format!("{m} imports `{d}`, which is in no layer")),
                (Some(a), Some(b)) if b > a => out.push(format!("{m} (layer {a}) imports {d} (layer {b}, above it)")),
                _ => {}
            }
        }
    }
    // Cycle search by depth-first colouring.
    fn visit<'a>(
        g: &'a Graph,
        m: &'a str,
        state: &mut BTreeMap<&'a str, u8>,
        path: &mut Vec<&'a str>,
        out: &mut Vec<String>,
    ) {
        match state.get(m) {
            Some(2) => return,
            Some(1) => {
                let start = path.iter().position(|p| *p == m).unwrap_or(0);
                out.push(format!("import cycle: {} -> {m}", path[start..].join(" -> ")));
                return;
            }
            _ => {}
        }
        state.insert(m, 1);
        path.push(m);
        if let Some(deps) = g.get(m) {
            for d in deps {
                visit(g, d, state, path, out);
            }
        }
        path.pop();
        state.insert(m, 2);
    }
    let mut state = BTreeMap::new();
    for m in g.keys() {
        visit(g, m, &mut state, &mut Vec::new(), &mut out);
    }
    out
}

#[test]
fn library_respects_the_layers() {
    let g = library_graph();
    let v = violations(&g);
    assert!(v.is_empty(), "layer violations:\n{}", v.join("\n"));
}

#[test]
fn stats_does_not_import_claims() {
    assert!(!library_graph()["stats"].contains("claims"));
}

#[test]
fn forbidden_imports_are_caught() {
    // An upward import: stats using the claims vocabulary.
    let mut g = Graph::new();
    g.entry("stats".into()).or_default().extend(imports("use crate::claims::Verdict;\nuse crate::seed::Streams;"));
    g.entry("claims".into()).or_default().insert("stats".into());
    let v = violations(&g);
    assert!(v.iter().any(|m| m.contains("stats (layer 1) imports claims")), "{v:?}");
    assert!(v.iter().any(|m| m.contains("cycle")), "{v:?}");
    // A same-layer cycle (convex <-> flow) is caught although neither import is upward.
    let mut g = Graph::new();
    g.entry("convex".into()).or_default().insert("flow".into());
    g.entry("flow".into()).or_default().insert("convex".into());
    let v = violations(&g);
    assert_eq!(v.len(), 1, "{v:?}");
    assert!(v[0].contains("import cycle"), "{v:?}");
    // Prose links are not imports; paths that merely end in `crate::` are not either.
    assert!(imports("//! see [`crate::claims`]\nlet a = 1; // crate::report").is_empty());
    assert!(imports("use mycrate::claims;").is_empty());
    // Brace groups and root re-exports count.
    let got = imports("use crate::{Error, data::Dataset, stats::{a, b}};");
    assert_eq!(got.into_iter().collect::<Vec<_>>(), ["data", "error", "stats"]);
}
