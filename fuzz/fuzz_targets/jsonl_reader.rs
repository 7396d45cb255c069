//! The JSONL record reader on arbitrary bytes, strict and lossy: never panics, bad lines are
//! errors naming a real line, accepted documents have valid spans, write back to the same
//! document, and go through `vaner extract`'s and `db load`'s value and relation finding.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vaner::formats::jsonl;
use vaner_fuzz::{assert_line_in, assert_valid_spans};

fuzz_target!(|data: &[u8]| {
    for lossy in [false, true] {
        for record in jsonl::records_with("f.jsonl".into(), data, lossy) {
            let record = match record {
                Ok(r) => r,
                Err(e) => {
                    assert_line_in(&e, data);
                    continue;
                }
            };
            // A prediction without text takes the gold's: try a fixed one.
            let doc = match record.into_document("f.jsonl", Some("Số 12-TB/TU ngày 1/2/2024")) {
                Ok(d) => d,
                Err(e) => {
                    assert_line_in(&e, data);
                    continue;
                }
            };
            assert_valid_spans(&doc);
            let line = jsonl::render(&doc, true);
            let back = jsonl::parse_line("out", 1, &line)
                .and_then(|r| r.into_document("out", None))
                .expect("a written document reads back");
            assert_eq!(back, doc);
            let extraction: serde_json::Value =
                serde_json::from_str(&jsonl::render_extraction(&doc, false))
                    .expect("extraction output is JSON");
            let entities = extraction["entities"].as_array().map_or(0, Vec::len);
            assert_eq!(entities, doc.spans.len());
        }
    }
});
