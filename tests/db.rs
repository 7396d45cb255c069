//! Loading into databases through the binary: idempotent, atomic per batch, safe with hostile
//! text, clear errors. PostgreSQL tests run when VANER_TEST_POSTGRES_URL names a server
//! (`.ci/run` starts one); without it they print why they are skipped.

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use assert_cmd::cargo::CommandCargoExt;
use rusqlite::Connection;
use serde_json::json;

fn vaner() -> Command {
    Command::cargo_bin("vaner").unwrap()
}

/// A JSONL line for document `id` whose text has `n` person names, each an entity.
fn doc_line(id: &str, text_suffix: &str, n: usize) -> String {
    let mut text = String::new();
    let mut entities = Vec::new();
    for i in 0..n {
        text.push_str("Đồng chí ");
        let start = text.chars().count();
        text.push_str(&format!("Nguyễn Văn An{i}"));
        let end = text.chars().count();
        entities.push(json!({"start": start, "end": end, "label": "PER"}));
        text.push_str(" phát biểu. ");
    }
    text.push_str(text_suffix);
    json!({"id": id, "text": text, "entities": entities}).to_string()
}

fn write(path: &Path, lines: &[String]) {
    std::fs::write(path, lines.join("\n") + "\n").unwrap();
}

fn load(url: &str, file: &Path, extra: &[&str]) -> std::process::Output {
    vaner()
        .args(["db", "load", "--db", url])
        .arg(file)
        .args(extra)
        .output()
        .unwrap()
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn sqlite_loads_are_idempotent_and_replace_changed_documents() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let url = format!("sqlite:{}", db.display());
    let input = dir.path().join("in.jsonl");
    write(
        &input,
        &[
            doc_line("a", "", 2),
            doc_line("b", "", 3),
            doc_line("c", "", 1),
        ],
    );

    let out = load(&url, &input, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = Connection::open(&db).unwrap();
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), 3);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM entities"), 6);

    // The same documents again: nothing changes.
    let out = load(&url, &input, &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 unchanged"));
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), 3);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM entities"), 6);

    // A changed text replaces that document's rows only.
    write(
        &input,
        &[
            doc_line("a", "", 2),
            doc_line("b", "Thêm.", 5),
            doc_line("c", "", 1),
        ],
    );
    let out = load(&url, &input, &[]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("1 replaced, 2 unchanged"), "{stderr}");
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM entities WHERE document_id = 'b'"
        ),
        5
    );
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM entities"), 8);

    // --replace rewrites all, still without duplicates.
    let out = load(&url, &input, &["--replace"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("3 replaced"));
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), 3);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM entities"), 8);
    assert_eq!(
        count(
            &conn,
            "SELECT COUNT(*) FROM runs WHERE finished_at IS NOT NULL"
        ),
        4
    );
    let canonical: String = conn
        .query_row(
            "SELECT canonical FROM entities WHERE document_id = 'a' AND idx = 1",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(canonical, "Nguyễn Văn An1");
}

#[test]
fn hostile_text_is_stored_as_given() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let url = format!("sqlite:{}", db.display());
    let nasty =
        "Ông O'Brien nói: \"x\"; '); DROP TABLE documents; --\n'; DELETE FROM entities; \\N \u{0}";
    let input = dir.path().join("in.jsonl");
    write(
        &input,
        &[json!({"id": "x'); DROP TABLE runs; --", "text": nasty, "entities": [{"start": 4, "end": 11, "label": "PER"}]}).to_string()],
    );
    let out = load(&url, &input, &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let conn = Connection::open(&db).unwrap();
    let (id, text): (String, String) = conn
        .query_row("SELECT id, text FROM documents", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!(id, "x'); DROP TABLE runs; --");
    assert_eq!(text, nasty);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM runs"), 1);
    let name: String = conn
        .query_row("SELECT text FROM entities", [], |r| r.get(0))
        .unwrap();
    assert_eq!(name, "O'Brien");
}

fn one_line_error(out: &std::process::Output) -> String {
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr).to_string();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    stderr
}

#[test]
fn foreign_or_other_version_databases_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    write(&input, &[doc_line("a", "", 1)]);

    let foreign = dir.path().join("foreign.db");
    Connection::open(&foreign)
        .unwrap()
        .execute_batch("CREATE TABLE invoices (id INTEGER);")
        .unwrap();
    let e = one_line_error(&load(&format!("sqlite:{}", foreign.display()), &input, &[]));
    assert!(
        e.contains("did not create") && e.contains("invoices"),
        "{e}"
    );

    let older = dir.path().join("older.db");
    let url = format!("sqlite:{}", older.display());
    assert!(load(&url, &input, &[]).status.success());
    Connection::open(&older)
        .unwrap()
        .execute_batch("UPDATE vaner_schema SET version = 99;")
        .unwrap();
    let e = one_line_error(&load(&url, &input, &[]));
    assert!(e.contains("schema version 99"), "{e}");

    let e = one_line_error(&load("mysql://x", &input, &[]));
    assert!(e.contains("unsupported database URL"), "{e}");
    let missing = dir.path().join("no/such/folder/v.db");
    let e = one_line_error(&load(&format!("sqlite:{}", missing.display()), &input, &[]));
    assert!(e.contains("unable to open"), "{e}");
}

#[test]
fn a_locked_database_gives_one_error_and_keeps_its_rows() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let url = format!("sqlite:{}", db.display());
    let input = dir.path().join("in.jsonl");
    write(&input, &[doc_line("a", "", 1)]);
    assert!(load(&url, &input, &[]).status.success());
    let holder = Connection::open(&db).unwrap();
    holder.execute_batch("BEGIN EXCLUSIVE;").unwrap();
    write(&input, &[doc_line("a", "changed", 2)]);
    let e = one_line_error(&load(&url, &input, &[]));
    assert!(e.contains("locked"), "{e}");
    holder.execute_batch("ROLLBACK;").unwrap();
    assert_eq!(count(&holder, "SELECT COUNT(*) FROM entities"), 1);
}

#[test]
fn a_killed_load_leaves_whole_documents() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("v.db");
    let url = format!("sqlite:{}", db.display());
    let input = dir.path().join("in.jsonl");
    let lines: Vec<String> = (0..4000)
        .map(|i| doc_line(&format!("d{i}"), "", i % 7 + 1))
        .collect();
    write(&input, &lines);
    let mut child = vaner()
        .args(["db", "load", "--batch", "50", "--db", &url])
        .arg(&input)
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Kill it once some batches are in, before it can finish.
    let start = Instant::now();
    loop {
        std::thread::sleep(Duration::from_millis(20));
        let loaded = Connection::open(&db)
            .ok()
            .and_then(|c| {
                c.query_row("SELECT COUNT(*) FROM documents", [], |r| r.get::<_, i64>(0))
                    .ok()
            })
            .unwrap_or(0);
        if loaded >= 100 || start.elapsed() > Duration::from_secs(60) {
            break;
        }
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let conn = Connection::open(&db).unwrap();
    let check: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut stmt = conn
        .prepare("SELECT d.id, (SELECT COUNT(*) FROM entities e WHERE e.document_id = d.id) FROM documents d")
        .unwrap();
    let rows: Vec<(String, i64)> = stmt
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert!(
        !rows.is_empty() && rows.len().is_multiple_of(50),
        "{} documents",
        rows.len()
    );
    for (id, n) in rows {
        let i: i64 = id[1..].parse().unwrap();
        assert_eq!(n, i % 7 + 1, "document {id} is not whole");
    }
    // Loading again completes the set without duplicates.
    assert!(load(&url, &input, &[]).status.success());
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM documents"), 4000);
}

#[test]
fn schema_is_printed_for_both_dialects() {
    let out = vaner().args(["db", "schema"]).output().unwrap();
    let ddl = String::from_utf8(out.stdout).unwrap();
    assert!(ddl.contains("CREATE TABLE entities") && ddl.contains("normalized TEXT"));
    let out = vaner()
        .args(["db", "schema", "--kind", "postgres"])
        .output()
        .unwrap();
    let ddl = String::from_utf8(out.stdout).unwrap();
    assert!(ddl.contains("normalized JSONB") && ddl.contains("BIGSERIAL"));
    // The DDL is what an empty database gets.
    let conn = Connection::open_in_memory().unwrap();
    let sqlite =
        String::from_utf8(vaner().args(["db", "schema"]).output().unwrap().stdout).unwrap();
    conn.execute_batch(&sqlite).unwrap();
}

/// PostgreSQL, for real, when a server is given.
#[test]
fn postgres_loads_are_idempotent() {
    let Ok(url) = std::env::var("VANER_TEST_POSTGRES_URL") else {
        eprintln!(
            "skipped: VANER_TEST_POSTGRES_URL is not set (.ci/run starts a server and sets it)"
        );
        return;
    };
    let mut client = postgres::Client::connect(&url, postgres::NoTls).unwrap();
    client
        .batch_execute(
            "DROP TABLE IF EXISTS relations, entities, documents, runs, vaner_schema CASCADE",
        )
        .unwrap();
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let nasty = "Ông O'Brien: \"x\", '); DROP TABLE documents; --\n\\N";
    write(
        &input,
        &[
            doc_line("a", "", 2),
            doc_line("b", "", 3),
            json!({"id": "n", "text": nasty, "entities": [{"start": 4, "end": 11, "label": "PER"}]}).to_string(),
            json!({"id": "empty", "text": "", "entities": []}).to_string(),
        ],
    );
    for _ in 0..2 {
        let out = load(&url, &input, &[]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let n = |c: &mut postgres::Client, sql: &str| -> i64 { c.query_one(sql, &[]).unwrap().get(0) };
    assert_eq!(n(&mut client, "SELECT COUNT(*) FROM documents"), 4);
    assert_eq!(n(&mut client, "SELECT COUNT(*) FROM entities"), 6);
    let text: String = client
        .query_one("SELECT text FROM documents WHERE id = 'n'", &[])
        .unwrap()
        .get(0);
    assert_eq!(text, nasty);
    let empty: String = client
        .query_one("SELECT text FROM documents WHERE id = 'empty'", &[])
        .unwrap()
        .get(0);
    assert_eq!(empty, "");
    write(&input, &[doc_line("b", "Thêm.", 4)]);
    let out = load(&url, &input, &[]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("1 replaced"));
    assert_eq!(n(&mut client, "SELECT COUNT(*) FROM entities"), 7);
    let e = one_line_error(&load(
        "postgres://nobody:wrong@127.0.0.1:1/none",
        &input,
        &[],
    ));
    assert!(e.contains("***") && !e.contains("wrong"), "{e}");
}
