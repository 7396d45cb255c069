//! Word shapes of subword tokens, fed to the model as BERT token types.
//!
//! In administrative Vietnamese the strongest cue for a name is its shape: capitalized
//! syllables (`Nguyễn Văn An`), all-capital codes (`UBND`, `TW`), digits (`03`, `2009`) and
//! what starts a line (headers, signature blocks). A vocabulary learns `Quyết` and `quyết`
//! as unrelated tokens; a shape embedding shared by all capitalized words lets a rare name
//! borrow what the model learned from frequent ones.
//!
//! Words are runs of word characters (letters, digits, combining marks), as in
//! [`super::words`]; a subword that continues a word gets [`Shape::Continuation`].

use super::is_word_char;
use super::subword::Subword;

/// The shape of a word, as seen by its first subword.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// [CLS], [SEP], padding.
    Special = 0,
    Lower = 1,
    Capitalized = 2,
    AllCaps = 3,
    SingleCapital = 4,
    Digits = 5,
    Punctuation = 6,
    Continuation = 7,
}

/// Token types: the eight shapes, and the same shapes for the first word of a line.
pub const TOKEN_TYPE_COUNT: i64 = 16;
const LINE_START: i64 = 8;

/// For each token, whether it starts a word (as opposed to continuing the previous one).
pub fn word_starts(normalized: &str, tokens: &[Subword]) -> Vec<bool> {
    let mut out = Vec::with_capacity(tokens.len());
    let mut prev_end: Option<usize> = None;
    for t in tokens {
        let continues = prev_end == Some(t.range.start)
            && normalized[..t.range.start]
                .chars()
                .next_back()
                .is_some_and(is_word_char)
            && normalized[t.range.start..]
                .chars()
                .next()
                .is_some_and(is_word_char);
        out.push(!continues);
        prev_end = Some(t.range.end);
    }
    out
}

/// The shape of a whole word.
pub fn shape_of(word: &str) -> Shape {
    let mut chars = word.chars().filter(|c| !c.is_whitespace());
    let Some(first) = chars.next() else {
        return Shape::Punctuation;
    };
    if word.chars().any(|c| c.is_ascii_digit()) {
        return Shape::Digits;
    }
    if !first.is_alphabetic() {
        return Shape::Punctuation;
    }
    let letters: Vec<char> = word.chars().filter(|c| c.is_alphabetic()).collect();
    if first.is_lowercase() {
        Shape::Lower
    } else if letters.len() == 1 {
        Shape::SingleCapital
    } else if letters.iter().all(|c| !c.is_lowercase()) {
        Shape::AllCaps
    } else {
        Shape::Capitalized
    }
}

/// Token type ids (shape, plus [`LINE_START`] for a line's first word) for each token.
pub fn token_types(normalized: &str, tokens: &[Subword]) -> Vec<i64> {
    let starts = word_starts(normalized, tokens);
    let mut out = Vec::with_capacity(tokens.len());
    for (i, t) in tokens.iter().enumerate() {
        if !starts[i] {
            out.push(Shape::Continuation as i64);
            continue;
        }
        let end = (i + 1..tokens.len())
            .find(|&j| starts[j])
            .map_or(t.range.end, |j| tokens[j - 1].range.end);
        let shape = shape_of(&normalized[t.range.start..end]) as i64;
        let line_start = normalized[..t.range.start]
            .chars()
            .rev()
            .take_while(|&c| c != '\n')
            .all(char::is_whitespace);
        out.push(if line_start {
            shape + LINE_START
        } else {
            shape
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(cuts: &[(usize, usize)]) -> Vec<Subword> {
        cuts.iter()
            .map(|&(s, e)| Subword { id: 0, range: s..e })
            .collect()
    }

    #[test]
    fn shapes_of_words() {
        assert_eq!(shape_of("quyết"), Shape::Lower);
        assert_eq!(shape_of("Quyết"), Shape::Capitalized);
        assert_eq!(shape_of("UBND"), Shape::AllCaps);
        assert_eq!(shape_of("ĐẢNG"), Shape::AllCaps);
        assert_eq!(shape_of("A"), Shape::SingleCapital);
        assert_eq!(shape_of("2009"), Shape::Digits);
        assert_eq!(shape_of("/"), Shape::Punctuation);
    }

    #[test]
    fn continuations_and_line_starts() {
        // "Số 03-CT\nNgày" with "Ngày" split into "Ng" + "ày".
        let text = "Số 03-CT\nNgày";
        let t = toks(&[(0, 4), (5, 7), (7, 8), (8, 10), (11, 13), (13, 16)]);
        assert_eq!(&text[13..16], "ày");
        assert_eq!(
            word_starts(text, &t),
            vec![true, true, true, true, true, false]
        );
        let types = token_types(text, &t);
        assert_eq!(
            types,
            vec![
                Shape::Capitalized as i64 + LINE_START,
                Shape::Digits as i64,
                Shape::Punctuation as i64,
                Shape::AllCaps as i64,
                Shape::Capitalized as i64 + LINE_START,
                Shape::Continuation as i64,
            ]
        );
    }
}
