//! Outputs → databases: documents, their entities with values, and relations, loaded
//! idempotently under one documented schema. SQLite is the embedded default (`sqlite:PATH`);
//! PostgreSQL (`postgres://user@host:port/db`) serves shared use and loads with COPY.
//!
//! Loading a document whose id and text hash are already stored changes nothing; a changed
//! text (or `replace`) replaces that document's rows. Each batch is one transaction, so a
//! killed load leaves whole documents only.

#[cfg(feature = "postgres")]
mod postgres;
#[cfg(feature = "sqlite")]
mod sqlite;

use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::doc::Document;
use crate::formats::jsonl::out_entities;
use crate::values::analyze;

/// The schema this vaner writes and reads; stored in the `vaner_schema` table.
pub const SCHEMA_VERSION: i64 = 1;

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("unsupported database URL '{0}': use sqlite:PATH or postgres://user@host:port/db")]
    BadUrl(String),
    #[error("{0} support is not compiled into this vaner (cargo feature '{0}')")]
    NotCompiled(&'static str),
    #[error("{url}: {message}")]
    Open { url: String, message: String },
    #[error("{url}: schema version {found}; this vaner reads and writes version {SCHEMA_VERSION}")]
    SchemaVersion { url: String, found: i64 },
    #[error(
        "{url}: holds tables vaner did not create ({tables}); give vaner a database of its own"
    )]
    Foreign { url: String, tables: String },
    #[error("{url}: {message}")]
    Sql { url: String, message: String },
}

/// Which database a URL names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Sqlite,
    Postgres,
}

impl Kind {
    pub fn of_url(url: &str) -> Result<Kind, DbError> {
        if url.starts_with("sqlite:") {
            Ok(Kind::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Kind::Postgres)
        } else {
            Err(DbError::BadUrl(url.to_string()))
        }
    }
}

/// The DDL of the schema, for `vaner db schema`.
pub fn schema(kind: Kind) -> String {
    let (id, json, time, now) = match kind {
        Kind::Sqlite => (
            "INTEGER PRIMARY KEY",
            "TEXT",
            "TEXT",
            "(strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
        ),
        Kind::Postgres => ("BIGSERIAL PRIMARY KEY", "JSONB", "TIMESTAMPTZ", "now()"),
    };
    format!(
        "CREATE TABLE vaner_schema (version INTEGER NOT NULL);
CREATE TABLE runs (
    id {id},
    model TEXT,
    model_version TEXT,
    vaner_version TEXT NOT NULL,
    started_at {time} NOT NULL,
    finished_at {time},
    documents INTEGER NOT NULL DEFAULT 0,
    entities INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE documents (
    id TEXT PRIMARY KEY,
    source TEXT,
    sha256 TEXT NOT NULL,
    text TEXT NOT NULL,
    length INTEGER NOT NULL,
    loaded_at {time} NOT NULL DEFAULT {now},
    model TEXT,
    model_version TEXT,
    run_id BIGINT REFERENCES runs(id)
);
CREATE TABLE entities (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    idx INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    label TEXT NOT NULL,
    text TEXT NOT NULL,
    canonical TEXT NOT NULL,
    normalized {json},
    PRIMARY KEY (document_id, idx)
);
CREATE INDEX entities_by_label ON entities (label, canonical);
CREATE INDEX entities_by_canonical ON entities (canonical);
CREATE TABLE relations (
    document_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    type TEXT NOT NULL,
    source_idx INTEGER NOT NULL,
    target_idx INTEGER NOT NULL,
    PRIMARY KEY (document_id, type, source_idx, target_idx)
);
CREATE INDEX relations_by_type ON relations (type);
INSERT INTO vaner_schema (version) VALUES ({SCHEMA_VERSION});
"
    )
}

/// The tables the schema creates, to tell an empty, a vaner and a foreign database apart.
pub(crate) const TABLES: [&str; 5] = ["vaner_schema", "runs", "documents", "entities", "relations"];

/// One entity row.
#[derive(Debug, Clone)]
pub struct EntityRow {
    pub start: i64,
    pub end: i64,
    pub label: &'static str,
    pub text: String,
    pub canonical: String,
    pub normalized: Option<Value>,
}

/// A document ready to store: its text, hash, entities with values, and relations.
#[derive(Debug, Clone)]
pub struct DocumentRow {
    pub id: String,
    pub source: Option<String>,
    pub sha256: String,
    pub text: String,
    pub length: i64,
    pub entities: Vec<EntityRow>,
    /// (type, source entity index, target entity index).
    pub relations: Vec<(&'static str, i64, i64)>,
}

impl DocumentRow {
    pub fn new(doc: &Document, source: Option<&str>) -> Self {
        let analysis = analyze(doc);
        let entities = out_entities(doc)
            .into_iter()
            .zip(analysis.entities)
            .map(|(e, v)| EntityRow {
                start: e.start as i64,
                end: e.end as i64,
                label: e.label.as_str(),
                text: e.text.to_string(),
                canonical: v.canonical,
                normalized: v.normalized.and_then(|n| serde_json::to_value(n).ok()),
            })
            .collect();
        let relations = analysis
            .relations
            .iter()
            .map(|r| {
                let (a, b) = r.ends();
                (r.kind(), a as i64, b as i64)
            })
            .collect();
        DocumentRow {
            id: doc.id.clone(),
            source: source.map(str::to_string),
            sha256: format!("{:x}", Sha256::digest(doc.text.as_bytes())),
            text: doc.text.clone(),
            length: doc.text.chars().count() as i64,
            entities,
            relations,
        }
    }
}

/// Who produced the rows of a load.
#[derive(Debug, Clone, Default)]
pub struct RunInfo {
    pub model: Option<String>,
    pub model_version: Option<String>,
}

/// What a load did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LoadStats {
    pub inserted: usize,
    pub replaced: usize,
    pub unchanged: usize,
    pub entities: usize,
}

impl LoadStats {
    pub fn add(&mut self, other: LoadStats) {
        self.inserted += other.inserted;
        self.replaced += other.replaced;
        self.unchanged += other.unchanged;
        self.entities += other.entities;
    }
    pub fn documents(&self) -> usize {
        self.inserted + self.replaced + self.unchanged
    }
}

/// A database vaner loads into.
pub trait Store {
    /// Starts a run (one `vaner extract --db` or `vaner db load`) and returns its id.
    fn begin_run(&mut self, run: &RunInfo) -> Result<i64, DbError>;
    /// Stores a batch of documents in one transaction.
    fn load_batch(
        &mut self,
        run_id: i64,
        run: &RunInfo,
        docs: &[DocumentRow],
        replace: bool,
    ) -> Result<LoadStats, DbError>;
    /// Records the run's counts.
    fn finish_run(&mut self, run_id: i64, stats: &LoadStats) -> Result<(), DbError>;
}

/// Opens (and on first use creates) the database a URL names, checking its schema version.
pub fn open(url: &str) -> Result<Box<dyn Store>, DbError> {
    match Kind::of_url(url)? {
        #[cfg(feature = "sqlite")]
        Kind::Sqlite => Ok(Box::new(sqlite::SqliteStore::open(url)?)),
        #[cfg(not(feature = "sqlite"))]
        Kind::Sqlite => Err(DbError::NotCompiled("sqlite")),
        #[cfg(feature = "postgres")]
        Kind::Postgres => Ok(Box::new(postgres::PostgresStore::open(url)?)),
        #[cfg(not(feature = "postgres"))]
        Kind::Postgres => Err(DbError::NotCompiled("postgres")),
    }
}

/// Documents to store, how many there are of each state, after comparing hashes: the rows to
/// write are those whose id is new (insert) or whose hash differs or `replace` (replace).
pub(crate) fn plan<'a>(
    docs: &'a [DocumentRow],
    stored: &std::collections::HashMap<String, String>,
    replace: bool,
) -> (Vec<&'a DocumentRow>, LoadStats) {
    let mut stats = LoadStats::default();
    let mut write = Vec::new();
    // A batch may hold the same id twice; the last one wins, as if loaded one after another.
    let mut seen = std::collections::HashMap::new();
    for (i, d) in docs.iter().enumerate() {
        seen.insert(d.id.as_str(), i);
    }
    for (i, d) in docs.iter().enumerate() {
        if seen.get(d.id.as_str()) != Some(&i) {
            continue;
        }
        match stored.get(&d.id) {
            Some(sha) if *sha == d.sha256 && !replace => stats.unchanged += 1,
            Some(_) => {
                stats.replaced += 1;
                stats.entities += d.entities.len();
                write.push(d);
            }
            None => {
                stats.inserted += 1;
                stats.entities += d.entities.len();
                write.push(d);
            }
        }
    }
    (write, stats)
}
