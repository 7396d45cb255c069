//! The DATE normalizer (`vaner normalize DATE ...`) on arbitrary text: never panics, and a
//! value is either an ISO form that is a real calendar point or period, or a warning.

#![no_main]

use libfuzzer_sys::fuzz_target;
use vaner::values::date::{self, DateValue, Precision};
use vaner::values::{canonical, Context, Normalized};
use vaner::Label;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // Without a document year, with a usual one, and with one no document has (`--year`
    // takes any i32): the last only has to not panic.
    for year in [None, Some(2024), Some(i32::MIN)] {
        let value = date::normalize(text, &Context { year });
        if year != Some(i32::MIN) {
            check(&value);
        }
        serde_json::to_string(&value).expect("a value serializes");
        canonical(Label::Date, text, Some(&Normalized::Date(value)));
    }
});

fn check(v: &DateValue) {
    match (&v.iso, v.warning) {
        (Some(iso), None) => {
            let precision = v.precision.expect("an ISO value has a precision");
            if precision == Precision::Range {
                let (a, b) = iso.split_once('/').expect("a range has two ends");
                assert!(
                    point(a).is_some() && point(b).is_some(),
                    "bad range {iso:?}"
                );
            } else {
                assert_eq!(point(iso), Some(precision), "{iso:?}");
            }
        }
        (None, Some(_)) => assert!(!v.inferred, "a warning with an inferred year"),
        _ => panic!("exactly one of iso and warning: {v:?}"),
    }
}

/// The precision of one ISO point or period, if it is a real one: `YYYY`, `YYYY-MM`,
/// `YYYY-MM-DD`, `YYYY-Qn`, `YYYY-Hn`, `YYYY-MM-DDTHH:MM[:SS][±HH:MM]`.
fn point(s: &str) -> Option<Precision> {
    let num = |t: &str, len: usize| -> Option<u32> {
        (t.len() == len && t.bytes().all(|b| b.is_ascii_digit())).then(|| t.parse().ok())?
    };
    let (date, time) = match s.split_once('T') {
        Some((d, t)) => (d, Some(t)),
        None => (s, None),
    };
    let mut parts = date.split('-');
    let year = num(parts.next()?, 4)?;
    let precision = match (parts.next(), parts.next(), parts.next()) {
        (None, None, None) => Precision::Year,
        (Some(q), None, None) if q.starts_with('Q') => (1..=4)
            .contains(&num(&q[1..], 1)?)
            .then_some(Precision::Quarter)?,
        (Some(h), None, None) if h.starts_with('H') => (1..=2)
            .contains(&num(&h[1..], 1)?)
            .then_some(Precision::Half)?,
        (Some(m), None, None) => (1..=12).contains(&num(m, 2)?).then_some(Precision::Month)?,
        (Some(m), Some(d), None) => {
            let (m, d) = (num(m, 2)?, num(d, 2)?);
            let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
            let days = match m {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return None,
            };
            (1..=days).contains(&d).then_some(Precision::Day)?
        }
        _ => return None,
    };
    let Some(time) = time else {
        return Some(precision);
    };
    if precision != Precision::Day {
        return None;
    }
    // The zone, if any, is `+HH:MM` or `-HH:MM` at the end.
    let (clock, zone) = match time.find(['+', '-']) {
        Some(i) => time.split_at(i),
        None => (time, ""),
    };
    if !zone.is_empty() {
        let (h, m) = zone[1..].split_once(':')?;
        num(h, 2)?;
        num(m, 2)?;
    }
    let mut fields = clock.split(':');
    let hour = num(fields.next()?, 2)?;
    let minute = num(fields.next()?, 2)?;
    let second = fields.next().map(|s| num(s, 2)).unwrap_or(Some(0))?;
    (fields.next().is_none() && hour <= 23 && minute <= 59 && second <= 59)
        .then_some(Precision::Datetime)
}
