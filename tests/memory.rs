//! `vaner extract` streams: memory does not grow with the number of documents. Speed is
//! measured by `scripts/bench.sh`, not here; this only compares peak memory of two runs.

use std::io::Write;
use std::os::unix::process::ExitStatusExt;
use std::path::Path;
use std::process::{Command, Stdio};

/// Peak resident memory (KiB) of one `vaner extract` run over `input`, and its output lines.
// The child is reaped by wait4, which clippy does not see.
#[allow(clippy::zombie_processes)]
fn peak_kib(input: &Path) -> (i64, usize) {
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("vaner"))
        .args(["--threads", "2", "extract", "--model"])
        .arg(&model)
        .arg(input)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let reader = std::thread::spawn(move || {
        let mut out = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut out).unwrap();
        out.iter().filter(|&&b| b == b'\n').count()
    });
    // wait4 rather than Child::wait: it reports the child's own peak resident memory.
    let mut status = 0;
    // SAFETY: rusage is plain data, filled in by the call.
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: the pid is our own child, not yet reaped.
    let pid = unsafe { libc::wait4(child.id() as i32, &mut status, 0, &mut usage) };
    assert_eq!(pid, child.id() as i32);
    let lines = reader.join().unwrap();
    let status = std::process::ExitStatus::from_raw(status);
    assert!(status.success(), "{status:?}");
    (usage.ru_maxrss, lines)
}

/// JSONL of `n` documents, each a short sentence and 24 KiB of blank lines: little work
/// for the model, but 24 KiB a document to keep if anything held on to documents.
fn write_input(path: &Path, n: usize) {
    let pad = format!("{}\n", " ".repeat(63)).repeat(384);
    let mut f = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
    for i in 0..n {
        let text = format!("Ông Lê Văn {i} dự họp với Sở Y tế.{pad}");
        writeln!(
            f,
            "{}",
            serde_json::json!({"id": format!("d{i}"), "text": text})
        )
        .unwrap();
    }
}

#[test]
fn ten_times_the_documents_take_no_more_memory() {
    let dir = tempfile::tempdir().unwrap();
    let (small, large) = (
        dir.path().join("small.jsonl"),
        dir.path().join("large.jsonl"),
    );
    write_input(&small, 200);
    write_input(&large, 2000);
    let (small_kib, small_lines) = peak_kib(&small);
    let (large_kib, large_lines) = peak_kib(&large);
    assert_eq!((small_lines, large_lines), (200, 2000));
    // Keeping the extra 1,800 documents would take over 40 MiB.
    assert!(
        large_kib < small_kib + 20 * 1024,
        "peak {small_kib} KiB for 200 documents, {large_kib} KiB for 2,000"
    );
}

/// A single document of 5 MB is tagged whole, in bounded memory: every copy of a paragraph
/// that names a person, a position, a body, a date and a directive gives its entities.
#[test]
fn a_five_megabyte_document_is_tagged_whole() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.txt");
    let paragraph = "Ngày 14/3/2024, đồng chí Lê Văn Tám, Phó Bí thư Tỉnh ủy, làm việc với Sở Y tế về Kế hoạch số 12-KH/TU.\n\n";
    let copies = 5 * 1024 * 1024 / paragraph.len() + 1;
    std::fs::write(&input, paragraph.repeat(copies)).unwrap();
    let out = dir.path().join("out.jsonl");
    let model = Path::new(env!("CARGO_MANIFEST_DIR")).join("models/default");
    let status = Command::new(assert_cmd::cargo::cargo_bin("vaner"))
        .args(["--threads", "2", "extract", "--model"])
        .arg(&model)
        .arg(&input)
        .arg("-o")
        .arg(&out)
        .status()
        .unwrap();
    assert!(status.success());
    let line = std::fs::read_to_string(&out).unwrap();
    assert_eq!(line.lines().count(), 1);
    let v: serde_json::Value = serde_json::from_str(line.trim_end()).unwrap();
    let entities = v["entities"].as_array().unwrap();
    // Five entities a paragraph; a few may differ where windows meet.
    assert!(
        entities.len() * 100 >= copies * 5 * 98,
        "{} entities for {copies} paragraphs",
        entities.len()
    );
    let chars = paragraph.chars().count() * copies;
    let last = entities.last().unwrap();
    assert!(last["end"].as_u64().unwrap() as usize <= chars);
    assert!(last["start"].as_u64().unwrap() as usize > chars - paragraph.chars().count());
}
