//! The DIRECTIVE normalizer (`vaner normalize DIRECTIVE ...`) on arbitrary text: never
//! panics, and a value has either a canonical key or a warning, never both.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vaner::values::directive;
use vaner::values::{canonical, Normalized};
use vaner::Label;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let value = directive::normalize(text);
    match (&value.canonical, value.warning) {
        (Some(key), None) => assert!(!key.trim().is_empty(), "empty canonical key"),
        (None, Some(_)) => {}
        _ => panic!("exactly one of canonical and warning: {value:?}"),
    }
    if let Some(number) = &value.number {
        // `03`, `119`, `15a`: digits (the pattern's `\d` is any Unicode digit), then at most
        // one ASCII letter.
        let digits = number
            .strip_suffix(|c: char| c.is_ascii_alphabetic())
            .unwrap_or(number);
        assert!(
            !digits.is_empty() && digits.chars().all(char::is_numeric),
            "number {number:?}"
        );
    }
    serde_json::to_string(&value).expect("a value serializes");
    let key = canonical(
        Label::Directive,
        text,
        Some(&Normalized::Directive(Box::new(value))),
    );
    assert!(!key.contains('\n'), "a canonical key is one line: {key:?}");
});
