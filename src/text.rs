//! Text as the user gave it, and its normalized form for the model and for matching.
//!
//! Normalization is NFC plus one tone-mark placement (`uỷ`→`ủy`, `hoà`→`hòa`), done on a
//! `tokenizers::NormalizedString`, which keeps the alignment from every normalized byte back
//! to the original bytes. Every offset vaner reports goes through that alignment, so it points
//! into the original text whatever the normalization changed.

use std::ops::Range;

use tokenizers::tokenizer::normalizer::Range as NRange;
use tokenizers::NormalizedString;
use unicode_normalization::{is_nfc_quick, IsNormalized};

/// A document's original text with its normalized form and the alignment between them.
#[derive(Debug, Clone)]
pub struct AlignedText {
    normalized: NormalizedString,
}

impl AlignedText {
    /// Normalizes `original`: NFC, tone marks in the new style, BOM and NUL removed.
    pub fn new(original: &str) -> Self {
        let mut normalized = NormalizedString::from(original);
        // Most text is already composed and clean; each of these passes rebuilds the whole
        // alignment, so they run only when they would change something.
        if is_nfc_quick(original.chars()) != IsNormalized::Yes {
            normalized.nfc();
        }
        if original.contains(['\u{feff}', '\0']) {
            normalized.filter(|c| c != '\u{feff}' && c != '\0');
        }
        fold_tone_marks(&mut normalized);
        AlignedText { normalized }
    }

    pub fn original(&self) -> &str {
        self.normalized.get_original()
    }

    pub fn normalized(&self) -> &str {
        self.normalized.get()
    }

    /// Maps a byte range of the normalized text to the byte range of the original text it came from.
    pub fn to_original(&self, range: Range<usize>) -> Option<Range<usize>> {
        if range.start == range.end {
            // An empty range has no alignment of its own: anchor it at the next character.
            let at = self
                .to_original(range.start..range.start + 1)
                .map_or_else(|| self.normalized.len_original(), |r| r.start);
            return Some(at..at);
        }
        let end = range.end;
        let r = self.normalized.convert_offsets(NRange::Normalized(range))?;
        // Composition aligns a composed character with its first original character only; what
        // it absorbed (combining marks, Hangul vowel and final jamo) sits between that and the
        // next character's original, together with removed BOM and NUL, which stay out.
        let original = self.original();
        let next = match self.normalized().get(end..).map(|rest| rest.chars().next()) {
            Some(Some(c)) => self
                .normalized
                .convert_offsets(NRange::Normalized(end..end + c.len_utf8()))
                .map_or(r.end, |n| n.start),
            Some(None) => original.len(),
            // Not a character boundary (an empty range's probe): nothing to take along.
            None => r.end,
        };
        let gap = original.get(r.end..next).unwrap_or_default();
        let tail = gap
            .char_indices()
            .find(|&(_, c)| c == '\u{feff}' || c == '\0')
            .map_or(gap.len(), |(i, _)| i);
        Some(r.start..r.end + tail)
    }

    /// Maps a byte range of the original text to the byte range of the normalized text.
    pub fn to_normalized(&self, range: Range<usize>) -> Option<Range<usize>> {
        if range.start >= range.end {
            return self.normalized.convert_offsets(NRange::Original(range));
        }
        // `convert_offsets` scans the alignments from the start of the text in this direction,
        // which made the spans of one long document quadratic. The alignments of these
        // normalizations are in the original's order (NFC aligns reordered marks by position),
        // so two binary searches find the range it finds (tested against it on any text): the
        // normalized bytes that end within `range`, from the first one of non-zero width that
        // starts within it.
        let at = |i| alignment(&self.normalized, i);
        let end = first_index(0, self.normalized.len(), |i| at(i).1 > range.end);
        let mut start = first_index(0, end, |i| at(i).0 >= range.start);
        while start < end && at(start).0 == at(start).1 {
            start += 1;
        }
        match (start < end, end > 0) {
            (true, _) => Some(start..end),
            (false, true) => Some(end..end),
            (false, false) => None,
        }
    }
}

/// The original byte range normalized byte `i` came from.
fn alignment(normalized: &NormalizedString, i: usize) -> (usize, usize) {
    normalized
        .convert_offsets(NRange::Normalized(i..i + 1))
        .map_or((0, 0), |r| (r.start, r.end))
}

/// The first index in `lo..hi` where `pred` holds, `hi` if none; `pred` must be false, then true.
fn first_index(mut lo: usize, mut hi: usize, pred: impl Fn(usize) -> bool) -> usize {
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if pred(mid) {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    lo
}

/// Normalizes a short string (a span, a name) for matching: the same rules as [`AlignedText`].
pub fn normalize(s: &str) -> String {
    AlignedText::new(s).normalized().to_string()
}

/// The vowel pairs whose tone mark moves between the old (`hoà`) and new (`hòa`) placement.
/// Old style puts the mark on the second vowel of an open `oa`, `oe`, `uy`; new style on the first.
fn fold_pair(first: char, second: char) -> Option<(char, char)> {
    // Checked first because it is cheap: this runs for every character of every text.
    if !matches!(first, 'o' | 'O' | 'u' | 'U') {
        return None;
    }
    let (base, tone) = split_tone(second)?;
    let target_first = match (first, base) {
        ('o', 'a') | ('o', 'e') | ('u', 'y') | ('O', 'A') | ('O', 'E') | ('U', 'Y') => first,
        // Mixed case as in title-cased words: `Hoà`, `HOà` stays rare but keep it safe.
        ('O', 'a') | ('O', 'e') | ('U', 'y') | ('o', 'A') | ('o', 'E') | ('u', 'Y') => first,
        _ => return None,
    };
    let new_first = with_tone(target_first, tone)?;
    Some((new_first, base))
}

const TONED: [(&str, char); 10] = [
    ("àáảãạ", 'a'),
    ("ÀÁẢÃẠ", 'A'),
    ("èéẻẽẹ", 'e'),
    ("ÈÉẺẼẸ", 'E'),
    ("ỳýỷỹỵ", 'y'),
    ("ỲÝỶỸỴ", 'Y'),
    ("òóỏõọ", 'o'),
    ("ÒÓỎÕỌ", 'O'),
    ("ùúủũụ", 'u'),
    ("ÙÚỦŨỤ", 'U'),
];

/// Splits a toned vowel into its base and tone index (0 grave … 4 dot below).
fn split_tone(c: char) -> Option<(char, usize)> {
    TONED
        .iter()
        .find_map(|(toned, base)| toned.chars().position(|t| t == c).map(|i| (*base, i)))
}

fn with_tone(base: char, tone: usize) -> Option<char> {
    TONED
        .iter()
        .find(|(_, b)| *b == base)
        .and_then(|(toned, _)| toned.chars().nth(tone))
}

/// Moves old-style tone marks (`oà`, `oé`, `uỷ` at the end of a syllable) to the new style.
/// `qu` + `y` keeps its mark on `y` (`quý`): there `u` belongs to the consonant.
fn fold_tone_marks(text: &mut NormalizedString) {
    let chars: Vec<char> = text.get().chars().collect();
    let mut changed = false;
    let mut out: Vec<(char, isize)> = Vec::with_capacity(chars.len());
    let mut i = 0;
    while i < chars.len() {
        if i + 1 < chars.len() {
            let syllable_ends = chars.get(i + 2).is_none_or(|c| !c.is_alphabetic());
            let after_q = i > 0 && matches!(chars[i - 1], 'q' | 'Q');
            if syllable_ends && !after_q {
                if let Some((a, b)) = fold_pair(chars[i], chars[i + 1]) {
                    out.push((a, 0));
                    out.push((b, 0));
                    changed = true;
                    i += 2;
                    continue;
                }
            }
        }
        out.push((chars[i], 0));
        i += 1;
    }
    if changed {
        text.transform(out, 0);
    }
}

/// Converts between byte offsets and character (Unicode scalar) offsets of one text.
/// Built once per document; each conversion is a binary search.
#[derive(Debug, Clone)]
pub struct CharOffsets {
    /// Byte offset of each character, plus the text length at the end.
    byte_of_char: Vec<usize>,
}

impl CharOffsets {
    pub fn new(text: &str) -> Self {
        let mut byte_of_char: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
        byte_of_char.push(text.len());
        CharOffsets { byte_of_char }
    }

    /// Number of characters in the text.
    pub fn char_len(&self) -> usize {
        self.byte_of_char.len() - 1
    }

    /// The byte offset of character `char_index` (the text length for one past the end).
    pub fn to_byte(&self, char_index: usize) -> Option<usize> {
        self.byte_of_char.get(char_index).copied()
    }

    /// The character index at byte offset `byte`, if `byte` is a character boundary.
    pub fn to_char(&self, byte: usize) -> Option<usize> {
        self.byte_of_char.binary_search(&byte).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_old_tone_style_to_new() {
        assert_eq!(normalize("Tỉnh uỷ"), "Tỉnh ủy");
        assert_eq!(normalize("hoà bình"), "hòa bình");
        assert_eq!(normalize("khoá XII"), "khóa XII");
        assert_eq!(normalize("THUỶ LỢI"), "THỦY LỢI");
        assert_eq!(normalize("Hoà"), "Hòa");
        assert_eq!(normalize("hoá"), "hóa");
    }

    #[test]
    fn keeps_closed_syllables_and_qu() {
        assert_eq!(normalize("hoàn thành"), "hoàn thành");
        assert_eq!(normalize("quý III"), "quý III");
        assert_eq!(normalize("khoảng"), "khoảng");
        assert_eq!(normalize("ngoáy"), "ngoáy");
        assert_eq!(normalize("ủy ban"), "ủy ban");
    }

    #[test]
    fn nfd_input_is_composed() {
        let nfd = "U\u{0309}y ban";
        let text = AlignedText::new(nfd);
        assert_eq!(text.normalized(), "Ủy ban");
        // "Ủy" in the normalized text covers the three original characters "U" + hook + "y".
        let r = text.to_original(0.."Ủy".len()).unwrap();
        assert_eq!(&nfd[r], "U\u{0309}y");
        // A composed last character takes its combining marks along.
        let nfd = "hoa\u{300} bình";
        let text = AlignedText::new(nfd);
        assert_eq!(text.normalized(), "hòa bình");
        let r = text.to_original(0.."hòa".len()).unwrap();
        assert_eq!(&nfd[r], "hoa\u{300}");
    }

    /// Found by the `alignment` fuzz target: a syllable composed from Hangul jamo mapped back
    /// to its first jamo only, since the others are letters, not combining marks.
    #[test]
    fn composed_character_takes_all_it_absorbed() {
        let original = "\u{1100}\u{1161} x";
        let text = AlignedText::new(original);
        assert_eq!(text.normalized(), "\u{ac00} x");
        assert_eq!(text.to_original(0..3), Some(0..6));
        // Marks that stay apart in NFC (no composed form) stay apart in the original too.
        let original = "x\u{302}\u{323}";
        let text = AlignedText::new(original);
        assert_eq!(text.normalized(), "x\u{323}\u{302}");
        assert_eq!(text.to_original(0..1), Some(0..1));
        // A removed BOM after a word is not part of it.
        let original = "hoa\u{300}\u{feff}";
        let text = AlignedText::new(original);
        assert_eq!(text.to_original(0..text.normalized().len()), Some(0..5));
    }

    #[test]
    fn folded_span_maps_back_to_original_characters() {
        let original = "Ban Thường vụ Tỉnh uỷ họp";
        let text = AlignedText::new(original);
        let start = text.normalized().find("Tỉnh ủy").unwrap();
        let r = text.to_original(start..start + "Tỉnh ủy".len()).unwrap();
        assert_eq!(&original[r], "Tỉnh uỷ");
    }

    #[test]
    fn bom_is_removed_but_offsets_count_it() {
        let original = "\u{feff}Số 12";
        let text = AlignedText::new(original);
        assert_eq!(text.normalized(), "Số 12");
        let r = text.to_original(0.."Số".len()).unwrap();
        assert_eq!(&original[r.clone()], "Số");
        assert_eq!(CharOffsets::new(original).to_char(r.start), Some(1));
    }

    /// Every byte range of the original, boundaries or not, maps as `convert_offsets` maps it.
    fn maps_as_tokenizers_does(original: &str) {
        let text = AlignedText::new(original);
        for start in 0..=original.len() {
            for end in start..=original.len() + 1 {
                assert_eq!(
                    text.to_normalized(start..end),
                    text.normalized
                        .convert_offsets(NRange::Original(start..end)),
                    "{original:?} {start}..{end}"
                );
            }
        }
    }

    #[test]
    fn original_offsets_map_by_binary_search_as_by_scan() {
        for original in [
            "",
            "Số 12",
            "Tỉnh uỷ Hoà Bình",
            "\u{feff}U\u{0309}y ban\0 hoa\u{300}",
            "x\u{302}\u{323} uỷ",
            "\u{1100}\u{1161} 😀 khoá",
        ] {
            maps_as_tokenizers_does(original);
        }
    }

    proptest::proptest! {
        #[test]
        fn any_text_maps_as_tokenizers_does(original in "[a-zA-Z ươủỷàoaUy\u{300}\u{301}\u{309}\u{302}\u{323}\u{feff}\0😀\n]{0,24}") {
            maps_as_tokenizers_does(&original);
        }
    }

    #[test]
    fn char_offsets_round_trip() {
        let s = "Đ/c Lê Văn Tám 😀 x";
        let c = CharOffsets::new(s);
        assert_eq!(c.char_len(), s.chars().count());
        for (ci, (b, _)) in s.char_indices().enumerate() {
            assert_eq!(c.to_byte(ci), Some(b));
            assert_eq!(c.to_char(b), Some(ci));
        }
        assert_eq!(c.to_char(1), None, "byte 1 is inside 'Đ'");
        assert_eq!(c.to_byte(c.char_len()), Some(s.len()));
    }
}
