//! Text → tokens: words and punctuation with their byte ranges.
//!
//! A word is a run of letters, digits and combining marks (so NFD text stays whole); every
//! other non-space character is a token of its own, which makes `03-CT/TW` and `30/10/2009`
//! pieces the model and the CoNLL form can label one by one. Subword tokens for the model come
//! from [`subword`], a trained WordPiece vocabulary over the normalized text.

pub mod shape;
pub mod subword;

use std::ops::Range;

use unicode_normalization::char::is_combining_mark;

pub(crate) fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Byte ranges of the tokens of `text`, in order.
pub fn words(text: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut word_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if is_word_char(c) {
            word_start.get_or_insert(i);
            continue;
        }
        if let Some(s) = word_start.take() {
            out.push(s..i);
        }
        if !c.is_whitespace() {
            out.push(i..i + c.len_utf8());
        }
    }
    if let Some(s) = word_start {
        out.push(s..text.len());
    }
    out
}

/// Tokens of `text` that also break at every given boundary (byte offsets), so that spans
/// whose edges fall inside a word still align with whole tokens.
pub fn words_split_at(text: &str, boundaries: &[usize]) -> Vec<Range<usize>> {
    let mut cuts: Vec<usize> = boundaries.to_vec();
    cuts.sort_unstable();
    cuts.dedup();
    let mut out = Vec::new();
    for w in words(text) {
        let mut start = w.start;
        let first = cuts.partition_point(|&c| c <= w.start);
        for &c in cuts[first..].iter().take_while(|&&c| c < w.end) {
            out.push(start..c);
            start = c;
        }
        out.push(start..w.end);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strs(text: &str) -> Vec<&str> {
        words(text).into_iter().map(|r| &text[r]).collect()
    }

    #[test]
    fn splits_codes_and_dates() {
        assert_eq!(
            strs("Số 03-CT/TW, ngày 30/10/2009"),
            ["Số", "03", "-", "CT", "/", "TW", ",", "ngày", "30", "/", "10", "/", "2009"]
        );
    }

    #[test]
    fn keeps_nfd_words_whole() {
        assert_eq!(strs("U\u{0309}y ban"), ["U\u{0309}y", "ban"]);
    }

    #[test]
    fn splits_inside_words_at_boundaries() {
        let t = "abc def";
        let got: Vec<_> = words_split_at(t, &[1, 4])
            .into_iter()
            .map(|r| &t[r])
            .collect();
        assert_eq!(got, ["a", "bc", "def"]);
    }
}
