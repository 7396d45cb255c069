//! A table of bad inputs to `vaner extract` (with the shipped model), each with its asserted
//! behaviour: exit code, what stderr says, what stdout holds. No input may make it panic.

use std::path::{Path, PathBuf};

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
            name: "a 2 MB line",
            file: "long.txt",
            content: long_line(),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 1,
        },
        Case {
            name: "a 2 MB JSONL line",
            file: "long.jsonl",
            content: jsonl(&[
                r#"{"id":"a","text":"x"}"#,
                &serde_json::json!({"id": "long", "text": String::from_utf8(long_line()).unwrap()})
                    .to_string(),
            ]),
            flags: &[],
            exit: 0,
            stderr: "",
            documents: 2,
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

/// A line of 2 MB: a sentence, then one 2 MB word (a single unknown subword for the model,
/// so that the test stays quick while readers, alignment and pieces see all of it).
fn long_line() -> Vec<u8> {
    let mut line = "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy, ".to_string();
    line.push_str(&"ư".repeat(1 << 20));
    line.push_str(" dự họp.");
    line.into_bytes()
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

fn model() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default")
}

fn extract() -> std::process::Command {
    let mut cmd = std::process::Command::new(assert_cmd::cargo::cargo_bin("vaner"));
    cmd.args(["--threads", "1", "extract", "--model"])
        .arg(model());
    cmd
}

/// Entries of a folder that even root cannot read as files: a dangling link, a link to
/// itself; and a link back up the tree, which must not be followed round. Reported in
/// place; with --keep-going skipped, exit 1.
#[test]
fn a_folder_with_unreadable_entries() {
    let dir = tempfile::tempdir().unwrap();
    let docs = dir.path().join("docs");
    std::fs::create_dir_all(docs.join("sub")).unwrap();
    std::fs::write(docs.join("a.txt"), "Đồng chí Lê Văn Tám").unwrap();
    std::fs::write(docs.join("sub/c.txt"), "Sở Y tế").unwrap();
    std::os::unix::fs::symlink("/nonexistent/vaner", docs.join("b.txt")).unwrap();
    std::os::unix::fs::symlink("loop.txt", docs.join("loop.txt")).unwrap();
    std::os::unix::fs::symlink("..", docs.join("sub/up")).unwrap();

    let out = extract().arg(&docs).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("b.txt: no such file or directory"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    // The documents before it were written.
    assert_eq!(String::from_utf8_lossy(&out.stdout).lines().count(), 1);

    let out = extract().arg(&docs).arg("--keep-going").output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("b.txt: no such file or directory"),
        "{stderr}"
    );
    assert!(stderr.contains("loop.txt: "), "{stderr}");
    assert!(stderr.contains("2 documents failed"), "{stderr}");
    let ids: Vec<String> = stdout
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["id"].to_string())
        .collect();
    assert_eq!(ids.len(), 2, "{stdout}");
    assert!(
        ids[0].ends_with("a.txt\"") && ids[1].ends_with("c.txt\""),
        "{ids:?}"
    );
}

/// A full disk under `-o`: exit 2 with one line, the old output file as it was, no
/// temporary file left. A real full disk (a 64 KiB tmpfs) where this test may mount one,
/// else a file-size limit on the process, which fails the same writes.
#[test]
fn a_full_disk_on_output_leaves_the_old_file() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(
        &input,
        "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy, dự họp với Sở Y tế.\n".repeat(100),
    )
    .unwrap();
    let disk = dir.path().join("disk");
    std::fs::create_dir(&disk).unwrap();
    let mounted = std::process::Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&disk)
        .output()
        .is_ok_and(|o| o.status.success());
    let old = "the old results\n";
    let target = disk.join("out.jsonl");
    std::fs::write(&target, old).unwrap();
    if mounted {
        // Fill the disk but for a few pages.
        let free = 64 * 1024 - 4096 * 3;
        let _ = std::fs::write(disk.join("filler"), vec![b'x'; free]);
    }
    let mut cmd = extract();
    cmd.arg(&input).arg("--with-text").arg("-o").arg(&target);
    if !mounted {
        use std::os::unix::process::CommandExt;
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                // An ignored SIGXFSZ stays ignored across exec: the write fails instead.
                libc::signal(libc::SIGXFSZ, libc::SIG_IGN);
                let limit = libc::rlimit {
                    rlim_cur: 4096,
                    rlim_max: 4096,
                };
                libc::setrlimit(libc::RLIMIT_FSIZE, &limit);
                Ok(())
            });
        }
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let leftovers: Vec<_> = std::fs::read_dir(&disk)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n != "out.jsonl" && n != "filler")
        .collect();
    let content = std::fs::read_to_string(&target).unwrap();
    if mounted {
        let _ = std::process::Command::new("umount").arg(&disk).status();
    }
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("vaner: "), "{stderr}");
    let expected = if mounted {
        "No space left"
    } else {
        "File too large"
    };
    assert!(stderr.contains(expected), "{stderr}");
    assert_eq!(content, old);
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// Stdout on a full device: one line, exit 2.
#[test]
fn a_full_stdout_is_one_error() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.txt");
    std::fs::write(&input, "Đồng chí Nguyễn Văn An, Bí thư Tỉnh ủy").unwrap();
    let full = std::fs::File::create("/dev/full").unwrap();
    let out = extract().arg(&input).stdout(full).output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.starts_with("vaner: writing output: No space left on device"),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
}
