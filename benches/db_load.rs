//! Loading 100,000 entities (2,000 documents of 50) into SQLite and, when
//! VANER_TEST_POSTGRES_URL names a server, into PostgreSQL. `scripts/bench.sh` runs it and
//! writes the entities per second into eval/BENCH.md.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};

use vaner::db::{self, DocumentRow, RunInfo};
use vaner::{Document, Label, Span};

const DOCUMENTS: usize = 2_000;
const ENTITIES_PER_DOCUMENT: usize = 50;

fn rows() -> Vec<DocumentRow> {
    (0..DOCUMENTS)
        .map(|d| {
            let mut text = String::new();
            let mut spans = Vec::new();
            for i in 0..ENTITIES_PER_DOCUMENT {
                text.push_str("Đồng chí ");
                let start = text.len();
                text.push_str(&format!("Nguyễn Văn An {d} {i}"));
                spans.push(Span {
                    start,
                    end: text.len(),
                    label: Label::Per,
                });
                text.push_str(" dự họp.\n");
            }
            DocumentRow::new(
                &Document {
                    id: format!("doc-{d}"),
                    text,
                    spans,
                },
                None,
            )
        })
        .collect()
}

fn load_all(url: &str, rows: &[DocumentRow]) {
    let mut store = db::open(url).expect("database opens");
    let run = RunInfo::default();
    let id = store.begin_run(&run).expect("run starts");
    for batch in rows.chunks(500) {
        store
            .load_batch(id, &run, batch, true)
            .expect("batch loads");
    }
}

fn bench(c: &mut Criterion) {
    let rows = rows();
    let mut group = c.benchmark_group("db_load");
    group.sample_size(10);
    group.throughput(Throughput::Elements(
        (DOCUMENTS * ENTITIES_PER_DOCUMENT) as u64,
    ));
    group.bench_function("sqlite", |b| {
        b.iter_batched(
            || tempfile::tempdir().expect("temporary folder"),
            |dir| {
                load_all(
                    &format!("sqlite:{}", dir.path().join("b.db").display()),
                    &rows,
                )
            },
            criterion::BatchSize::PerIteration,
        )
    });
    if let Ok(url) = std::env::var("VANER_TEST_POSTGRES_URL") {
        group.bench_function("postgres", |b| {
            b.iter(|| {
                let mut client = postgres::Client::connect(&url, postgres::NoTls).expect("server");
                client
                    .batch_execute("DROP TABLE IF EXISTS relations, entities, documents, runs, vaner_schema CASCADE")
                    .expect("clean database");
                load_all(&url, &rows)
            })
        });
    } else {
        eprintln!("postgres: skipped (VANER_TEST_POSTGRES_URL is not set; scripts/bench.sh starts a server)");
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
