//! The shared store: PostgreSQL through the `postgres` client; entities and relations go in
//! with COPY.

use std::collections::HashMap;
use std::io::Write;

use postgres::{Client, NoTls};

use super::{plan, schema, DbError, DocumentRow, Kind, LoadStats, RunInfo, Store, TABLES};

pub struct PostgresStore {
    url: String,
    client: Client,
}

/// One CSV field for COPY: quoted text, or nothing for NULL (so `""` stays an empty string).
/// PostgreSQL text cannot hold NUL; it becomes U+FFFD, one character for one, so character
/// offsets still hold.
fn field(out: &mut String, value: Option<&str>) {
    if let Some(v) = value {
        out.push('"');
        out.push_str(&v.replace('"', "\"\"").replace('\0', "\u{FFFD}"));
        out.push('"');
    }
}

fn row(out: &mut String, fields: &[Option<&str>]) {
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        field(out, *f);
    }
    out.push('\n');
}

impl PostgresStore {
    pub fn open(url: &str) -> Result<Self, DbError> {
        let client = Client::connect(url, NoTls).map_err(|e| DbError::Open {
            url: redact(url),
            message: first_line(&e),
        })?;
        let mut store = PostgresStore {
            url: redact(url),
            client,
        };
        store.check_schema()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(postgres::Error) -> DbError + '_ {
        move |e| DbError::Sql {
            url: self.url.clone(),
            message: first_line(&e),
        }
    }

    fn check_schema(&mut self) -> Result<(), DbError> {
        let url = self.url.clone();
        let err = move |e: postgres::Error| DbError::Open {
            url: url.clone(),
            message: first_line(&e),
        };
        let tables: Vec<String> = self
            .client
            .query(
                "SELECT table_name::text FROM information_schema.tables
                 WHERE table_schema = current_schema() ORDER BY table_name",
                &[],
            )
            .map_err(&err)?
            .iter()
            .map(|r| r.get(0))
            .collect();
        if tables.is_empty() {
            let mut tx = self.client.transaction().map_err(&err)?;
            tx.batch_execute(&schema(Kind::Postgres)).map_err(&err)?;
            return tx.commit().map_err(&err);
        }
        if !tables.iter().any(|t| t == "vaner_schema") {
            return Err(DbError::Foreign {
                url: self.url.clone(),
                tables: tables.join(", "),
            });
        }
        let found: Option<i32> = self
            .client
            .query_one("SELECT MAX(version) FROM vaner_schema", &[])
            .map_err(&err)?
            .get(0);
        let found = i64::from(found.unwrap_or(0));
        if found != super::SCHEMA_VERSION || !TABLES.iter().all(|t| tables.iter().any(|x| x == t)) {
            return Err(DbError::SchemaVersion {
                url: self.url.clone(),
                found,
            });
        }
        Ok(())
    }
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let userinfo = &url[s + 3..at];
            match userinfo.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

/// The server's message without the driver's nested sources.
fn first_line(e: &postgres::Error) -> String {
    let mut msg = e.to_string();
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        msg = format!("{msg}: {s}");
        source = s.source();
    }
    msg.lines().next().unwrap_or("").to_string()
}

impl Store for PostgresStore {
    fn begin_run(&mut self, run: &RunInfo) -> Result<i64, DbError> {
        let row = self
            .client
            .query_one(
                "INSERT INTO runs (model, model_version, vaner_version, started_at)
                 VALUES ($1, $2, $3, now()) RETURNING id",
                &[&run.model, &run.model_version, &env!("CARGO_PKG_VERSION")],
            )
            .map_err(self.err())?;
        Ok(row.get(0))
    }

    fn load_batch(
        &mut self,
        run_id: i64,
        run: &RunInfo,
        docs: &[DocumentRow],
        replace: bool,
    ) -> Result<LoadStats, DbError> {
        let url = self.url.clone();
        let err = move |e: postgres::Error| DbError::Sql {
            url: url.clone(),
            message: first_line(&e),
        };
        let mut tx = self.client.transaction().map_err(&err)?;
        let ids: Vec<&str> = docs.iter().map(|d| d.id.as_str()).collect();
        let stored: HashMap<String, String> = tx
            .query(
                "SELECT id, sha256 FROM documents WHERE id = ANY($1)",
                &[&ids],
            )
            .map_err(&err)?
            .iter()
            .map(|r| (r.get(0), r.get(1)))
            .collect();
        let (write, stats) = plan(docs, &stored, replace);
        if write.is_empty() {
            tx.commit().map_err(&err)?;
            return Ok(stats);
        }
        let write_ids: Vec<&str> = write.iter().map(|d| d.id.as_str()).collect();
        tx.execute("DELETE FROM documents WHERE id = ANY($1)", &[&write_ids])
            .map_err(&err)?;
        let mut documents = String::new();
        let mut entities = String::new();
        let mut relations = String::new();
        let run_id_text = run_id.to_string();
        for d in &write {
            let length = d.length.to_string();
            row(
                &mut documents,
                &[
                    Some(&d.id),
                    d.source.as_deref(),
                    Some(&d.sha256),
                    Some(&d.text),
                    Some(&length),
                    run.model.as_deref(),
                    run.model_version.as_deref(),
                    Some(&run_id_text),
                ],
            );
            for (i, e) in d.entities.iter().enumerate() {
                let (idx, start, end) = (i.to_string(), e.start.to_string(), e.end.to_string());
                let normalized = e.normalized.as_ref().map(|v| v.to_string());
                row(
                    &mut entities,
                    &[
                        Some(&d.id),
                        Some(&idx),
                        Some(&start),
                        Some(&end),
                        Some(e.label),
                        Some(&e.text),
                        Some(&e.canonical),
                        normalized.as_deref(),
                    ],
                );
            }
            let mut seen = std::collections::HashSet::new();
            for (kind, a, b) in &d.relations {
                if seen.insert((kind, a, b)) {
                    let (a, b) = (a.to_string(), b.to_string());
                    row(
                        &mut relations,
                        &[Some(&d.id), Some(kind), Some(&a), Some(&b)],
                    );
                }
            }
        }
        for (sql, data) in [
            (
                "COPY documents (id, source, sha256, text, length, model, model_version, run_id) FROM STDIN (FORMAT csv)",
                &documents,
            ),
            (
                "COPY entities (document_id, idx, start_char, end_char, label, text, canonical, normalized) FROM STDIN (FORMAT csv)",
                &entities,
            ),
            (
                "COPY relations (document_id, type, source_idx, target_idx) FROM STDIN (FORMAT csv)",
                &relations,
            ),
        ] {
            if data.is_empty() {
                continue;
            }
            let mut writer = tx.copy_in(sql).map_err(&err)?;
            writer
                .write_all(data.as_bytes())
                .map_err(|e| DbError::Sql {
                    url: self.url.clone(),
                    message: e.to_string(),
                })?;
            writer.finish().map_err(&err)?;
        }
        tx.commit().map_err(&err)?;
        Ok(stats)
    }

    fn finish_run(&mut self, run_id: i64, stats: &LoadStats) -> Result<(), DbError> {
        let (documents, entities) = (stats.documents() as i32, stats.entities as i32);
        self.client
            .execute(
                "UPDATE runs SET finished_at = now(), documents = $1, entities = $2 WHERE id = $3",
                &[&documents, &entities, &run_id],
            )
            .map_err(self.err())?;
        Ok(())
    }
}
