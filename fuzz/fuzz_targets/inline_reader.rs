//! The inline reader (`<LABEL>…</LABEL>`) on arbitrary bytes: never panics, and an accepted
//! document has valid spans and renders back to exactly its input (removing the tags gives
//! the text, and every tag sits where the spans say).

#![no_main]

use libfuzzer_sys::fuzz_target;
use vaner::formats::{bytes_to_text, inline};
use vaner_fuzz::{assert_line_in, assert_valid_spans};

fuzz_target!(|data: &[u8]| {
    // Files reach the reader through the same UTF-8 check.
    let Ok(input) = bytes_to_text("f.inline.txt", data.to_vec()) else {
        return;
    };
    match inline::parse("f", "f.inline.txt", &input) {
        Ok(doc) => {
            assert_valid_spans(&doc);
            assert_eq!(inline::render(&doc), input);
        }
        Err(e) => assert_line_in(&e, data),
    }
});
