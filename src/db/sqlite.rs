//! The embedded store: one SQLite file through rusqlite's bundled library.

use std::collections::HashMap;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, OptionalExtension};

use super::{plan, schema, DbError, DocumentRow, Kind, LoadStats, RunInfo, Store, TABLES};

pub struct SqliteStore {
    url: String,
    conn: Connection,
}

const NOW: &str = "strftime('%Y-%m-%dT%H:%M:%SZ', 'now')";

impl SqliteStore {
    pub fn open(url: &str) -> Result<Self, DbError> {
        let path = url.trim_start_matches("sqlite:");
        let path = path.strip_prefix("//").unwrap_or(path);
        if path.is_empty() {
            return Err(DbError::BadUrl(url.to_string()));
        }
        let open_err = |e: rusqlite::Error| DbError::Open {
            url: url.to_string(),
            message: e.to_string(),
        };
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
        )
        .map_err(open_err)?;
        // A lock held by another writer is waited for briefly, then reported.
        conn.busy_timeout(Duration::from_secs(5))
            .map_err(open_err)?;
        conn.execute_batch("PRAGMA foreign_keys = ON;")
            .map_err(open_err)?;
        let mut store = SqliteStore {
            url: url.to_string(),
            conn,
        };
        store.check_schema()?;
        Ok(store)
    }

    fn sql_err(&self) -> impl Fn(rusqlite::Error) -> DbError + '_ {
        move |e| DbError::Sql {
            url: self.url.clone(),
            message: e.to_string(),
        }
    }

    /// Creates the schema in an empty database; refuses another version or foreign tables.
    fn check_schema(&mut self) -> Result<(), DbError> {
        let url = self.url.clone();
        let err = move |e: rusqlite::Error| DbError::Open {
            url: url.clone(),
            message: e.to_string(),
        };
        let tables: Vec<String> = {
            let mut stmt = self
                .conn
                .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .map_err(&err)?;
            let rows = stmt
                .query_map([], |r| r.get::<_, String>(0))
                .map_err(&err)?;
            rows.collect::<Result<_, _>>().map_err(&err)?
        };
        if tables.is_empty() {
            let tx = self.conn.transaction().map_err(&err)?;
            tx.execute_batch(&schema(Kind::Sqlite)).map_err(&err)?;
            return tx.commit().map_err(&err);
        }
        if !tables.iter().any(|t| t == "vaner_schema") {
            return Err(DbError::Foreign {
                url: self.url.clone(),
                tables: tables.join(", "),
            });
        }
        let found: i64 = self
            .conn
            .query_row("SELECT MAX(version) FROM vaner_schema", [], |r| {
                r.get::<_, Option<i64>>(0)
            })
            .map_err(&err)?
            .unwrap_or(0);
        if found != super::SCHEMA_VERSION || !TABLES.iter().all(|t| tables.iter().any(|x| x == t)) {
            return Err(DbError::SchemaVersion {
                url: self.url.clone(),
                found,
            });
        }
        Ok(())
    }
}

impl Store for SqliteStore {
    fn begin_run(&mut self, run: &RunInfo) -> Result<i64, DbError> {
        self.conn
            .execute(
                &format!(
                    "INSERT INTO runs (model, model_version, vaner_version, started_at) VALUES (?1, ?2, ?3, {NOW})"
                ),
                params![run.model, run.model_version, env!("CARGO_PKG_VERSION")],
            )
            .map_err(self.sql_err())?;
        Ok(self.conn.last_insert_rowid())
    }

    fn load_batch(
        &mut self,
        run_id: i64,
        run: &RunInfo,
        docs: &[DocumentRow],
        replace: bool,
    ) -> Result<LoadStats, DbError> {
        let url = self.url.clone();
        let err = move |e: rusqlite::Error| DbError::Sql {
            url: url.clone(),
            message: e.to_string(),
        };
        let tx = self.conn.transaction().map_err(&err)?;
        let mut stored = HashMap::new();
        {
            let mut get = tx
                .prepare_cached("SELECT sha256 FROM documents WHERE id = ?1")
                .map_err(&err)?;
            for d in docs {
                if let Some(sha) = get
                    .query_row([&d.id], |r| r.get::<_, String>(0))
                    .optional()
                    .map_err(&err)?
                {
                    stored.insert(d.id.clone(), sha);
                }
            }
        }
        let (write, stats) = plan(docs, &stored, replace);
        {
            let mut delete = tx
                .prepare_cached("DELETE FROM documents WHERE id = ?1")
                .map_err(&err)?;
            let mut insert_doc = tx
                .prepare_cached(
                    "INSERT INTO documents (id, source, sha256, text, length, model, model_version, run_id)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&err)?;
            let mut insert_entity = tx
                .prepare_cached(
                    "INSERT INTO entities (document_id, idx, start_char, end_char, label, text, canonical, normalized)
                     VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                )
                .map_err(&err)?;
            let mut insert_relation = tx
                .prepare_cached(
                    "INSERT OR IGNORE INTO relations (document_id, type, source_idx, target_idx) VALUES (?1, ?2, ?3, ?4)",
                )
                .map_err(&err)?;
            for d in write {
                delete.execute([&d.id]).map_err(&err)?;
                insert_doc
                    .execute(params![
                        d.id,
                        d.source,
                        d.sha256,
                        d.text,
                        d.length,
                        run.model,
                        run.model_version,
                        run_id
                    ])
                    .map_err(&err)?;
                for (i, e) in d.entities.iter().enumerate() {
                    insert_entity
                        .execute(params![
                            d.id,
                            i as i64,
                            e.start,
                            e.end,
                            e.label,
                            e.text,
                            e.canonical,
                            e.normalized.as_ref().map(|v| v.to_string())
                        ])
                        .map_err(&err)?;
                }
                for (kind, a, b) in &d.relations {
                    insert_relation
                        .execute(params![d.id, kind, a, b])
                        .map_err(&err)?;
                }
            }
        }
        tx.commit().map_err(&err)?;
        Ok(stats)
    }

    fn finish_run(&mut self, run_id: i64, stats: &LoadStats) -> Result<(), DbError> {
        self.conn
            .execute(
                &format!(
                    "UPDATE runs SET finished_at = {NOW}, documents = ?1, entities = ?2 WHERE id = ?3"
                ),
                params![stats.documents() as i64, stats.entities as i64, run_id],
            )
            .map_err(self.sql_err())?;
        Ok(())
    }
}
