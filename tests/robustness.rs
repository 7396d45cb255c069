//! A table of bad inputs to `vaner extract` (with the shipped model), each with its asserted
//! behaviour: exit code, what stderr says, what stdout holds. No input may make it panic.

use std::path::Path;

use assert_cmd::Command;

struct Case {
    name: &'static str,
    file: &'static str,
    content: Vec<u8>,
    flags: &'static [&'static str],
    exit: i32,
    /// stderr contains this (empty: stderr is empty).
    stderr: &'static str,
    /// How many JSONL documents stdout holds.
    documents: usize,
}

fn cases() -> Vec<Case> {
    let jsonl = |lines: &[&str]| (lines.join("\n") + "\n").into_bytes();
    vec![
        Case {
            name: "invalid UTF-8",
            file: "bad.txt",
            content: b"Ong \xff\xfe Nguyen".to_vec(),
            flags: &[],
            exit: 2,
            stderr: "bad.txt: invalid UTF-8 at byte 4",
            documents: 0,
        },
        Case {
            name: "invalid UTF-8, --lossy",
            file: "bad.txt",
            content: b"Ong \xff\xfe Nguyen".to_vec(),
            flags: &["--lossy"],
            exit: 0,
            stderr: "",
            documents: 1,
        },
        Case {
            name: "empty file",
            file: "empty.txt",
            content: Vec::new(),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 1,
        },
        Case {
            name: "BOM",
            file: "bom.txt",
            content: "\u{feff}Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy"
                .as_bytes()
                .to_vec(),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 1,
        },
        Case {
            name: "CRLF",
            file: "crlf.txt",
            content: b"TINH UY\r\nSo 12-TB/TU\r\n".to_vec(),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 1,
        },
        Case {
            name: "NUL bytes",
            file: "nul.txt",
            content: b"Ban\x00 Chap\x00 hanh".to_vec(),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 1,
        },
        Case {
            name: "JSONL line that is not an object",
            file: "a.jsonl",
            content: jsonl(&[
                r#"{"id":"a","text":"x"}"#,
                "[1,2]",
                r#"{"id":"c","text":"y"}"#,
            ]),
            flags: &[],
            exit: 2,
            stderr: "a.jsonl:2: not a JSON object",
            documents: 1,
        },
        Case {
            name: "the same, --keep-going",
            file: "a.jsonl",
            content: jsonl(&[
                r#"{"id":"a","text":"x"}"#,
                "[1,2]",
                r#"{"id":"c","text":"y"}"#,
            ]),
            flags: &["--keep-going"],
            exit: 1,
            stderr: "1 documents failed",
            documents: 2,
        },
        Case {
            name: "JSONL line without text",
            file: "b.jsonl",
            content: jsonl(&[r#"{"id":"a"}"#]),
            flags: &[],
            exit: 2,
            stderr: "b.jsonl:1: no \"text\" field",
            documents: 0,
        },
        Case {
            name: "JSONL line that is not JSON",
            file: "c.jsonl",
            content: jsonl(&["{\"id\": "]),
            flags: &[],
            exit: 2,
            stderr: "c.jsonl:1: invalid JSON",
            documents: 0,
        },
        Case {
            name: "duplicate ids",
            file: "d.jsonl",
            content: jsonl(&[r#"{"id":"a","text":"x"}"#, r#"{"id":"a","text":"y"}"#]),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 2,
        },
    ]
}

#[test]
fn bad_inputs_behave_as_the_table_says() {
    let dir = tempfile::tempdir().unwrap();
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
    for case in cases() {
        let path = dir.path().join(case.file);
        std::fs::write(&path, &case.content).unwrap();
        let out = Command::cargo_bin("vaner")
            .unwrap()
            .args(["--threads", "1", "extract", "--model"])
            .arg(&model)
            .arg(&path)
            .args(case.flags)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(!stderr.contains("panicked"), "{}: {stderr}", case.name);
        assert_eq!(
            out.status.code(),
            Some(case.exit),
            "{}: {stderr}",
            case.name
        );
        if case.stderr.is_empty() {
            assert!(stderr.is_empty(), "{}: {stderr}", case.name);
        } else {
            assert!(stderr.contains(case.stderr), "{}: {stderr}", case.name);
        }
        assert_eq!(
            stdout.lines().count(),
            case.documents,
            "{}: {stdout}",
            case.name
        );
        for line in stdout.lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            assert!(
                v["entities"].is_array() && v["relations"].is_array(),
                "{}",
                case.name
            );
        }
    }
}
