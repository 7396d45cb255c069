//! Offsets survive normalization: spans found in the normalized text map back to the same
//! original characters, for random text with NFD, both tone-mark styles, CRLF, BOM,
//! no-break spaces and emoji.

use proptest::prelude::*;
use unicode_normalization::UnicodeNormalization;
use vaner::text::{normalize, AlignedText};
use vaner::tokens::words;

/// Pieces real documents are made of, in several encodings of the same text.
const PIECES: &[&str] = &[
    "Tỉnh uỷ",
    "Tỉnh ủy",
    "hoà",
    "hòa",
    "khoá XII",
    "khóa XII",
    "THUỶ",
    "quý",
    "Nguyễn Văn An",
    "Đ/c",
    "03-CT/TW",
    "30/10/2009",
    " ",
    "  ",
    "\r\n",
    "\n",
    "\u{a0}",
    "\u{feff}",
    "😀",
    ",",
    "“",
    "”",
    "Số",
    "ngày",
    "UBND",
    "Hoà Bình",
    "hoàn",
    "ngoáy",
    "Ủy ban",
    "uỷ viên",
    "x",
];

fn document() -> impl Strategy<Value = String> {
    prop::collection::vec((0..PIECES.len(), any::<bool>()), 1..40).prop_map(|parts| {
        parts
            .into_iter()
            .map(|(i, decompose)| {
                if decompose {
                    PIECES[i].nfd().collect::<String>()
                } else {
                    PIECES[i].to_string()
                }
            })
            .collect()
    })
}

proptest! {
    #[test]
    fn every_normalized_word_maps_back_to_its_original(text in document()) {
        let aligned = AlignedText::new(&text);
        for w in words(aligned.normalized()) {
            let original = aligned.to_original(w.clone()).expect("a word maps back");
            let slice = &text[original.clone()];
            // The original slice normalizes to exactly the normalized word.
            prop_assert_eq!(normalize(slice), &aligned.normalized()[w.clone()]);
            // And mapping the original range forward lands on the same word.
            let forward = aligned.to_normalized(original).expect("maps forward");
            prop_assert_eq!(forward, w);
        }
    }

    #[test]
    fn normalization_is_idempotent(text in document()) {
        let once = normalize(&text);
        prop_assert_eq!(normalize(&once), once.clone());
        prop_assert!(!once.contains(char::from_u32(0xfeff).unwrap()), "BOM removed");
    }
}

#[test]
fn nfd_and_old_tone_style_give_one_form() {
    let forms = [
        "Tỉnh ủy",
        "Tỉnh uỷ",
        &"Tỉnh uỷ".nfd().collect::<String>(),
        &"Tỉnh ủy".nfd().collect::<String>(),
    ];
    for f in forms {
        assert_eq!(normalize(f), "Tỉnh ủy", "{f:?}");
    }
}
