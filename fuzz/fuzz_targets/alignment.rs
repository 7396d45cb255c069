//! The offset alignment (`vaner::text::AlignedText`: NFC, tone marks, BOM and NUL removed)
//! on arbitrary text: every normalized range maps back into the original on character
//! boundaries and in order, the whole normalized text maps to the whole original (less
//! removed BOM/NUL at the edges), and each word's original text normalizes to that word.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vaner::text::{normalize, AlignedText, CharOffsets};
use vaner::tokens::words;

fuzz_target!(|data: &[u8]| {
    let Ok(original) = std::str::from_utf8(data) else {
        return;
    };
    let aligned = AlignedText::new(original);
    assert_eq!(aligned.original(), original);
    let normalized = aligned.normalized();
    assert!(
        !normalized.contains(['\u{feff}', '\0']),
        "BOM and NUL removed"
    );

    let to_original = |start: usize, end: usize| {
        let r = aligned
            .to_original(start..end)
            .unwrap_or_else(|| panic!("{start}..{end} of {normalized:?} maps back"));
        assert!(
            r.start <= r.end && original.get(r.clone()).is_some(),
            "{start}..{end} maps to {r:?}, not a range of {original:?}"
        );
        r
    };

    // The whole text: what lies outside its image can only be removed characters.
    let whole = to_original(0, normalized.len());
    let removed = |s: &str| s.chars().all(|c| c == '\u{feff}' || c == '\0');
    assert!(
        removed(&original[..whole.start]) && removed(&original[whole.end..]),
        "the whole normalized text maps to {whole:?} of {original:?}"
    );

    // Each character, and the empty range before it: starts and ends never go back.
    let mut last = 0..0;
    for (i, c) in normalized.char_indices() {
        let r = to_original(i, i + c.len_utf8());
        assert!(
            r.start >= last.start && r.end >= last.end,
            "character at {i} maps to {r:?} after {last:?}"
        );
        let empty = to_original(i, i);
        assert!(
            empty.is_empty() && empty.start <= r.start,
            "empty range at {i}: {empty:?}"
        );
        last = r;
    }

    // The contract spans rely on: a word's original text normalizes to the word itself.
    for w in words(normalized) {
        let r = to_original(w.start, w.end);
        assert_eq!(normalize(&original[r]), &normalized[w]);
    }

    // Original ranges map forward inside the normalized text.
    for (i, c) in original.char_indices() {
        if let Some(r) = aligned.to_normalized(i..i + c.len_utf8()) {
            assert!(
                normalized.get(r.clone()).is_some(),
                "{i} maps forward to {r:?}"
            );
        }
    }

    let offsets = CharOffsets::new(original);
    for (ci, (b, _)) in original.char_indices().enumerate() {
        assert_eq!(offsets.to_byte(ci), Some(b));
        assert_eq!(offsets.to_char(b), Some(ci));
    }
});
