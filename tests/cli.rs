//! The binary end to end: formats, conversion, evaluation and bad input, through `vaner`.

use std::fs;
use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use tempfile::TempDir;

fn vaner() -> Command {
    Command::cargo_bin("vaner").expect("the vaner binary")
}

const INLINE: &str = "T/M <ORG>BAN THƯỜNG VỤ</ORG>\n<TITLE>PHÓ BÍ THƯ</TITLE>\n\n<PER>Lê Thị Hoài Thu</PER>\nCăn cứ <DIRECTIVE>Chỉ thị số 05-CT/TW</DIRECTIVE>, <DATE>ngày 15/5/2016</DATE> của <ORG>Bộ Chính trị</ORG>.\n";

fn write(dir: &Path, name: &str, content: &[u8]) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::write(&p, content).unwrap();
    p
}

/// Runs vaner and returns its one stderr line, asserting exit code 2 and no panic.
fn fails(args: &[&str]) -> String {
    let out = vaner().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(out.status.code(), Some(2), "stderr: {stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        stderr.trim_end().lines().count(),
        1,
        "one error line: {stderr}"
    );
    assert!(stderr.starts_with("vaner: "), "{stderr}");
    stderr
}

#[test]
fn inline_to_jsonl_to_inline_round_trips() {
    let dir = TempDir::new().unwrap();
    let inline = write(dir.path(), "a.inline.txt", INLINE.as_bytes());
    let jsonl = dir.path().join("a.jsonl");
    vaner()
        .args(["convert", "--format", "jsonl", "-o"])
        .arg(&jsonl)
        .arg(&inline)
        .assert()
        .success();
    let line = fs::read_to_string(&jsonl).unwrap();
    let v: serde_json::Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(v["id"], "a");
    let text = v["text"].as_str().unwrap();
    let chars: Vec<char> = text.chars().collect();
    for e in v["entities"].as_array().unwrap() {
        let (s, en) = (
            e["start"].as_u64().unwrap() as usize,
            e["end"].as_u64().unwrap() as usize,
        );
        let slice: String = chars[s..en].iter().collect();
        assert_eq!(slice, e["text"].as_str().unwrap());
    }
    assert_eq!(v["entities"][2]["text"], "Lê Thị Hoài Thu");
    vaner()
        .args(["convert", "--format", "inline"])
        .arg(&jsonl)
        .assert()
        .success()
        .stdout(INLINE);
}

#[test]
fn conll_round_trips_through_jsonl() {
    let dir = TempDir::new().unwrap();
    let conll = "# id = d1\nCăn\tO\ncứ\tO\nChỉ\tB-DIRECTIVE\nthị\tI-DIRECTIVE\n05\tI-DIRECTIVE\n\nBộ\tB-ORG\nChính\tI-ORG\ntrị\tI-ORG\n\n";
    let path = write(dir.path(), "a.conll", conll.as_bytes());
    let out = vaner()
        .args(["convert", "--format", "jsonl"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(out.status.success());
    let jsonl = write(dir.path(), "b.jsonl", &out.stdout);
    vaner()
        .args(["convert", "--format", "conll"])
        .arg(&jsonl)
        .assert()
        .success()
        .stdout(conll);
}

#[test]
fn check_counts_documents_and_entities() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "a.inline.txt", INLINE.as_bytes());
    vaner()
        .args(["convert", "--check"])
        .arg(dir.path())
        .assert()
        .success()
        .stdout(
            predicate::str::contains("1 documents").and(predicate::str::contains("6 entities")),
        );
}

#[test]
fn eval_scores_strict_and_partial() {
    let dir = TempDir::new().unwrap();
    let text = "Ông Lê Văn Tám, Bí thư Tỉnh ủy, ngày 3/4/2017.";
    // gold: PER 4..14, TITLE 16..30, DATE 32..45
    let gold = format!(
        "{{\"id\":\"a\",\"text\":\"{text}\",\"entities\":[{{\"start\":4,\"end\":14,\"label\":\"PER\"}},{{\"start\":16,\"end\":30,\"label\":\"TITLE\"}},{{\"start\":32,\"end\":45,\"label\":\"DATE\"}}]}}\n"
    );
    // pred: PER exact, TITLE too short (partial), ORG spurious; DATE missed
    let pred = "{\"id\":\"a\",\"entities\":[{\"start\":4,\"end\":14,\"label\":\"PER\"},{\"start\":16,\"end\":22,\"label\":\"TITLE\"},{\"start\":23,\"end\":30,\"label\":\"ORG\"}]}\n";
    let g = write(dir.path(), "gold.jsonl", gold.as_bytes());
    let p = write(dir.path(), "pred.jsonl", pred.as_bytes());
    let out = vaner()
        .args(["eval", "--json", "--gold"])
        .arg(&g)
        .arg("--pred")
        .arg(&p)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    // strict: tp 1, fp 2, fn 2 → P 1/3, R 1/3
    assert!((r["micro"]["strict"]["f1"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    // partial: PER and TITLE match, ORG spurious, DATE missed → tp 2, fp 1, fn 1
    assert!((r["micro"]["partial"]["f1"].as_f64().unwrap() - 2.0 / 3.0).abs() < 1e-9);
    assert_eq!(r["labels"]["TITLE"]["strict"]["f1"].as_f64(), Some(0.0));
    assert_eq!(r["labels"]["TITLE"]["partial"]["f1"].as_f64(), Some(1.0));
    assert_eq!(r["labels"]["PER"]["strict"]["support"].as_u64(), Some(1));
    // the readable report names the error kinds
    vaner()
        .args(["eval", "--gold"])
        .arg(&g)
        .arg("--pred")
        .arg(&p)
        .assert()
        .success()
        .stdout(predicate::str::contains("boundary").and(predicate::str::contains("missed")));
}

#[test]
fn eval_on_realdocs_against_itself_is_perfect() {
    let gold = Path::new("../shared/realdocs/gold.jsonl");
    if !gold.exists() {
        eprintln!("skipped: ../shared/realdocs/gold.jsonl is not here");
        return;
    }
    let out = vaner()
        .args(["eval", "--json", "--gold"])
        .arg(gold)
        .arg("--pred")
        .arg(gold)
        .output()
        .unwrap();
    assert!(out.status.success());
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["micro"]["strict"]["f1"].as_f64(), Some(1.0));
    assert_eq!(r["micro"]["partial"]["f1"].as_f64(), Some(1.0));
    assert_eq!(r["documents_scored"].as_u64(), Some(40));
}

#[test]
fn html_output_is_one_escaped_page() {
    let dir = TempDir::new().unwrap();
    let inline = write(dir.path(), "a.inline.txt", b"<ORG>A & B</ORG> <x>\n");
    vaner()
        .args(["convert", "--format", "html"])
        .arg(&inline)
        .assert()
        .success()
        .stdout(
            predicate::str::starts_with("<!DOCTYPE html>").and(predicate::str::contains(
                "<mark class=\"ORG\" title=\"ORG\">A &amp; B</mark> &lt;x&gt;",
            )),
        );
}

#[test]
fn bad_input_gives_one_clear_error() {
    let dir = TempDir::new().unwrap();
    let bad_utf8 = write(dir.path(), "bad.inline.txt", b"ab\xffcd");
    let e = fails(&["convert", bad_utf8.to_str().unwrap()]);
    assert!(
        e.contains("bad.inline.txt") && e.contains("invalid UTF-8 at byte 2"),
        "{e}"
    );

    let bad_json = write(
        dir.path(),
        "bad.jsonl",
        b"{\"id\":\"a\",\"text\":\"x\"}\n{\"id\": \n",
    );
    let e = fails(&["convert", bad_json.to_str().unwrap()]);
    assert!(e.contains("bad.jsonl:2: invalid JSON"), "{e}");

    let overlap = write(
        dir.path(),
        "o.jsonl",
        b"{\"id\":\"a\",\"text\":\"abcdef\",\"entities\":[{\"start\":0,\"end\":4,\"label\":\"ORG\"},{\"start\":2,\"end\":6,\"label\":\"PER\"}]}\n",
    );
    let e = fails(&[
        "eval",
        "--gold",
        overlap.to_str().unwrap(),
        "--pred",
        overlap.to_str().unwrap(),
    ]);
    assert!(e.contains("o.jsonl:1") && e.contains("overlaps"), "{e}");

    let range = write(
        dir.path(),
        "r.jsonl",
        b"{\"id\":\"a\",\"text\":\"abc\",\"entities\":[{\"start\":1,\"end\":9,\"label\":\"ORG\"}]}\n",
    );
    let e = fails(&["convert", range.to_str().unwrap()]);
    assert!(e.contains("outside the text"), "{e}");

    let nested = write(
        dir.path(),
        "n.inline.txt",
        "<ORG>a <PER>b</PER></ORG>".as_bytes(),
    );
    let e = fails(&["convert", nested.to_str().unwrap()]);
    assert!(e.contains("n.inline.txt:1") && e.contains("flat"), "{e}");

    let text = write(dir.path(), "doc.txt", "Ông Lê Văn Tám".as_bytes());
    let e = fails(&[
        "extract",
        "--model",
        dir.path().join("nothing").to_str().unwrap(),
        text.to_str().unwrap(),
    ]);
    assert!(e.contains("not found"), "{e}");

    let e = fails(&["extract", dir.path().join("missing.txt").to_str().unwrap()]);
    assert!(
        e.contains("missing.txt") && e.contains("no such file"),
        "{e}"
    );
}

#[test]
fn failed_write_keeps_the_old_output() {
    let dir = TempDir::new().unwrap();
    let out = write(dir.path(), "out.jsonl", b"old contents\n");
    let good = write(dir.path(), "a.inline.txt", INLINE.as_bytes());
    let bad = write(dir.path(), "b.inline.txt", b"<PER>never closed");
    vaner()
        .args(["convert", "-o"])
        .arg(&out)
        .arg(&good)
        .arg(&bad)
        .assert()
        .code(2);
    assert_eq!(fs::read_to_string(&out).unwrap(), "old contents\n");
    let leftovers = fs::read_dir(dir.path()).unwrap().count();
    assert_eq!(leftovers, 3, "no temporary file is left behind");
}

#[test]
fn help_for_each_subcommand() {
    for sub in [
        "extract", "eval", "convert", "tokenize", "train", "pretrain",
    ] {
        vaner()
            .args([sub, "--help"])
            .assert()
            .success()
            .stdout(predicate::str::contains("Usage"));
    }
}
