//! `regmatters verify --report DIR` and `repro … --report DIR`: the HTML page parsed with an HTML5 parser (no
//! browser) — every check id present as its own section and summary row, the graph inline, the page self-contained.

use scraper::{Html, Selector};
use std::path::{Path, PathBuf};
use std::process::Command;

fn bin() -> Command {
    Command::new(env!("CARGO_BIN_EXE_regmatters"))
}

fn temp(tag: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("regmatters-report-{}-{tag}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn sel(s: &str) -> Selector {
    Selector::parse(s).unwrap()
}

/// The ids `verify --list --only PATTERN` prints.
fn listed(pattern: &str) -> Vec<String> {
    let out = bin().args(["verify", "--list", "--only", pattern]).output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split_whitespace().next().map(str::to_string))
        .collect()
}

/// Parses DIR/index.html and checks what every page must have; returns the document.
fn parse_page(dir: &Path) -> Html {
    let text = std::fs::read_to_string(dir.join("index.html")).expect("index.html written");
    let doc = Html::parse_document(&text);
    assert!(doc.errors.is_empty(), "HTML parse errors: {:?}", doc.errors);
    assert_eq!(doc.select(&sel("html[lang]")).count(), 1);
    assert_eq!(doc.select(&sel("head > title")).count(), 1);
    assert_eq!(doc.select(&sel("head > meta[charset]")).count(), 1);
    assert_eq!(doc.select(&sel("h1")).count(), 1);
    assert!(doc.select(&sel("head > style")).count() >= 1, "inline CSS");
    // self-contained: no script, no linked style sheet, no image or frame, every link inside the page
    for forbidden in ["script", "link", "img", "iframe", "object", "embed"] {
        assert_eq!(doc.select(&sel(forbidden)).count(), 0, "<{forbidden}> in a self-contained page");
    }
    for a in doc.select(&sel("[href]")) {
        let href = a.value().attr("href").unwrap();
        assert!(href.starts_with('#'), "external reference {href}");
        let target = &href[1..];
        assert!(
            doc.select(&sel("[id]")).any(|e| e.value().attr("id") == Some(target)),
            "link {href} points to no element of the page"
        );
    }
    assert!(doc.select(&sel("[src]")).next().is_none());
    assert!(!text.contains("url(http") && !text.contains("@import"));
    doc
}

#[test]
fn verify_report_has_every_check_and_the_graph() {
    let pattern = "nets.";
    let dir = temp("verify");
    let out = bin().args(["verify", "--only", pattern, "--report"]).arg(&dir).output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("HTML report written to"), "{stdout}");
    let doc = parse_page(&dir);
    let ids = listed(pattern);
    assert!(ids.len() >= 3, "{ids:?}");
    let articles: Vec<_> = doc.select(&sel("article.check")).collect();
    assert_eq!(articles.len(), ids.len(), "one section per check");
    for id in &ids {
        let a = articles
            .iter()
            .find(|a| a.value().attr("data-id") == Some(id.as_str()))
            .unwrap_or_else(|| panic!("no section for {id}"));
        assert_eq!(a.value().attr("id"), Some(id.as_str()));
        let verdict = a.value().attr("data-verdict").unwrap();
        assert!(["supported", "refuted", "inconclusive"].contains(&verdict));
        let kind = a.value().attr("data-kind").unwrap();
        let expected = if kind == "claim" { "supported" } else { "refuted" };
        assert_eq!(verdict, expected, "{id}: the nets group passes at the default seed");
        let h3: String = a.select(&sel("h3")).next().unwrap().text().collect();
        assert_eq!(h3, *id);
        assert!(a.select(&sel(".statement")).next().is_some(), "{id}: statement");
        assert!(a.select(&sel("li.rule")).next().is_some(), "{id}: rule");
        assert!(a.select(&sel("table.metrics tr")).next().is_some(), "{id}: deciding numbers");
        if kind == "claim" {
            let controls: Vec<String> = a
                .select(&sel("li a"))
                .filter_map(|l| l.value().attr("href").map(|h| h[1..].to_string()))
                .filter(|h| h.starts_with(&format!("{id}:")))
                .collect();
            let want: Vec<&String> = ids.iter().filter(|c| c.starts_with(&format!("{id}:"))).collect();
            assert_eq!(controls.len(), want.len(), "{id}: its controls are linked");
        }
        let rows = doc
            .select(&sel("table.summary tbody tr"))
            .filter(|r| r.value().attr("data-id") == Some(id.as_str()))
            .count();
        assert_eq!(rows, 1, "{id}: one summary row");
    }
    let graph = doc.select(&sel("section#graph svg")).next().expect("the dependency graph inline");
    let labels: String = graph.text().collect();
    for id in &ids {
        assert!(labels.contains(id.as_str()), "{id} missing from the graph");
    }
    let status: String = doc.select(&sel("#status")).next().unwrap().text().collect();
    assert!(status.starts_with("passed"), "{status}");
    assert!(doc.select(&sel("section#robustness")).next().is_none(), "no sweep, no robustness table");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seeds_report_has_the_robustness_table() {
    let dir = temp("seeds");
    let out =
        bin().args(["verify", "--seeds", "2", "--only", "nets.homogeneity", "--report"]).arg(&dir).output().unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
    let doc = parse_page(&dir);
    let rows: Vec<_> = doc.select(&sel("section#robustness tbody tr")).collect();
    let ids = listed("nets.homogeneity");
    assert_eq!(rows.len(), ids.len());
    for id in &ids {
        assert!(rows.iter().any(|r| r.value().attr("data-id") == Some(id.as_str())), "{id}");
        assert!(doc.select(&sel("article.check")).any(|a| a.value().attr("data-id") == Some(id.as_str())));
    }
    let cells: String = rows[0].text().collect();
    assert!(cells.contains("2 / 2"), "{cells}");
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn report_path_is_checked_before_work() {
    let file = std::env::temp_dir().join(format!("regmatters-report-file-{}", std::process::id()));
    std::fs::write(&file, "x").unwrap();
    let out = bin().args(["verify", "--only", "nets.", "--report"]).arg(file.join("sub")).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("--report"), "{err}");
    let _ = std::fs::remove_file(&file);
}
