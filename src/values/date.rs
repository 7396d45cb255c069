//! DATE spans → ISO 8601 values with a precision: days, months, quarters, halves, years,
//! ranges and date-times, with the part of a period (`cuối năm 2009` → 2009, end) and years
//! inferred from the document's own date when the span has none.

use std::sync::LazyLock;

use regex::Regex;
use serde::{Deserialize, Serialize};

use super::{prepare, Context};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Precision {
    Day,
    Month,
    Quarter,
    Half,
    Year,
    Range,
    Datetime,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Part {
    Start,
    Mid,
    End,
}

/// Why a date has no ISO value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateWarning {
    #[serde(rename = "no year")]
    NoYear,
    #[serde(rename = "invalid date")]
    InvalidDate,
    #[serde(rename = "invalid year")]
    InvalidYear,
    #[serde(rename = "not understood")]
    NotUnderstood,
}

/// The value of a DATE span.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DateValue {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub iso: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub precision: Option<Precision>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub part: Option<Part>,
    #[serde(skip_serializing_if = "std::ops::Not::not", default)]
    pub inferred: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warning: Option<DateWarning>,
}

/// A calendar point before it is written out: what the text gave, fields left empty when absent.
#[derive(Debug, Clone, Copy, Default)]
struct Point {
    year: Option<Year>,
    month: Option<u32>,
    day: Option<u32>,
    quarter: Option<u32>,
    half: Option<u32>,
}

/// A year as written: valid four digits, or something else (`20264`, `24`).
#[derive(Debug, Clone, Copy)]
enum Year {
    Valid(i32),
    Invalid,
}

impl Point {
    fn precision(&self) -> Precision {
        if self.day.is_some() {
            Precision::Day
        } else if self.month.is_some() {
            Precision::Month
        } else if self.quarter.is_some() {
            Precision::Quarter
        } else if self.half.is_some() {
            Precision::Half
        } else {
            Precision::Year
        }
    }

    /// The ISO form, given the year to use; `Err` when the fields are not a real date.
    fn iso(&self, year: i32) -> Result<String, DateWarning> {
        if let Some(m) = self.month {
            if !(1..=12).contains(&m) {
                return Err(DateWarning::InvalidDate);
            }
            if let Some(d) = self.day {
                if d == 0 || d > days_in_month(year, m) {
                    return Err(DateWarning::InvalidDate);
                }
                return Ok(format!("{year:04}-{m:02}-{d:02}"));
            }
            return Ok(format!("{year:04}-{m:02}"));
        }
        if let Some(q) = self.quarter {
            return if (1..=4).contains(&q) {
                Ok(format!("{year:04}-Q{q}"))
            } else {
                Err(DateWarning::InvalidDate)
            };
        }
        if let Some(h) = self.half {
            return Ok(format!("{year:04}-H{h}"));
        }
        Ok(format!("{year:04}"))
    }
}

fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 31,
    }
}

fn year_of(digits: &str) -> Year {
    match digits.parse::<i32>() {
        Ok(y) if digits.len() == 4 && (1000..=2999).contains(&y) => Year::Valid(y),
        _ => Year::Invalid,
    }
}

fn roman_or_arabic(s: &str) -> Option<u32> {
    match s {
        "i" | "1" => Some(1),
        "ii" | "2" => Some(2),
        "iii" | "3" => Some(3),
        "iv" | "4" => Some(4),
        _ => s.parse().ok(),
    }
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("a valid pattern")
}

static WEEKDAY: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:thứ (?:hai|ba|tư|năm|sáu|bảy|2|3|4|5|6|7)|chủ nhật)\s*,?\s*"));
// The zone's digits are ASCII (`\d` takes any script's): `datetime` cuts it at byte offsets.
static TIME_HM: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s,])(\d{1,2})\s*(?::|h|giờ)\s*(\d{1,2})?(?:\s*phút)?(?::(\d{2}))?(?:\s*([+-][0-9]{2}:?[0-9]{2}))?\s*(?:,|ngày)?(?:\s|$)",
    )
});
static PART: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(trung tuần|thượng tuần|hạ tuần|giữa|đầu|cuối)\s+(.+)$"));
static YEAR_RANGE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?:(?:giai đoạn|nhiệm kỳ|năm học|thời kỳ|niên khóa|từ)\s+)?(?:năm\s+)?(\d{4})\s*(?:-|–|—|đến|tới)\s*(?:năm\s+)?(\d{4})$",
    )
});
static RANGE_SEP: LazyLock<Regex> = LazyLock::new(|| re(r"\s+(?:đến|tới)\s+|\s*[–—]\s*|\s+-\s+"));
static HALF: LazyLock<Regex> =
    LazyLock::new(|| re(r"^(?:(?:0?6|sáu) tháng|nửa) (đầu|cuối)(?: năm)?(?:\s*[/-]?\s*(\d+))?$"));
static QUARTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^quý\s+(iv|iii|ii|i|\d)(?:\s*(?:/|-|năm)\s*(\d+))?$"));
static DAY_WORDS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:ngày|mùng|mồng)?\s*(\d{1,2})\s+tháng\s+(\d{1,2})(?:\s*(?:năm|,)\s*(\d+))?$")
});
static DAY_DIGITS: LazyLock<Regex> = LazyLock::new(|| {
    re(r"^(?:ngày|mùng|mồng)?\s*(\d{1,2})\s*([/.-])\s*(\d{1,2})(?:\s*[/.-]\s*(\d+))?$")
});
static MONTH: LazyLock<Regex> =
    LazyLock::new(|| re(r"^tháng\s+(\d{1,2})(?:\s*(?:/|-|năm|,)\s*(\d+))?$"));
static MONTH_DIGITS: LazyLock<Regex> = LazyLock::new(|| re(r"^(\d{1,2})\s*/\s*(\d{4,5})$"));
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"^(?:năm\s+)?(\d+)$"));

/// The value of a DATE span.
pub fn normalize(text: &str, ctx: &Context) -> DateValue {
    let s = prepare(text).to_lowercase();
    let s =
        s.trim_matches(|c: char| c == '(' || c == ')' || c == ',' || c == '.' || c.is_whitespace());
    parse(s, ctx)
}

fn parse(s: &str, ctx: &Context) -> DateValue {
    let s = WEEKDAY.replace(s, "");
    let s = s.trim();
    // A time of day makes a date-time when the rest is a full date.
    if let Some(c) = TIME_HM.captures(s) {
        if c.get(2).is_some() || s.contains("giờ") || s.contains('h') {
            let whole = c.get(0).map_or(0..0, |m| m.range());
            let rest = format!("{} {}", &s[..whole.start], &s[whole.end..]);
            let rest = rest.trim().trim_matches(',').trim();
            if let Some(point) = single(rest) {
                if point.day.is_some() {
                    return datetime(&point, &c, ctx);
                }
            }
        }
    }
    if let Some(c) = PART.captures(s) {
        let part = match &c[1] {
            "trung tuần" | "giữa" => Part::Mid,
            "thượng tuần" | "đầu" => Part::Start,
            _ => Part::End,
        };
        // `6 tháng đầu năm` is a half, not the start of something.
        if HALF.is_match(s) {
            return point_value(single(s), ctx);
        }
        let mut v = point_value(single(&c[2]), ctx);
        if v.warning != Some(DateWarning::NotUnderstood) {
            v.part = Some(part);
            return v;
        }
    }
    if let Some(c) = YEAR_RANGE.captures(s) {
        return match (year_of(&c[1]), year_of(&c[2])) {
            (Year::Valid(a), Year::Valid(b)) => DateValue {
                iso: Some(format!("{a:04}/{b:04}")),
                precision: Some(Precision::Range),
                ..DateValue::default()
            },
            _ => warn(Some(Precision::Range), DateWarning::InvalidYear),
        };
    }
    let body = s.strip_prefix("từ ").unwrap_or(s);
    if let Some(sep) = RANGE_SEP.find(body) {
        if let Some(v) = range(&body[..sep.start()], &body[sep.end()..], ctx) {
            return v;
        }
    }
    if let Some(point) = single(s) {
        return point_value(Some(point), ctx);
    }
    // `03/4-10/4/2022`, `tháng 3-5/2024`: a hyphen without spaces between two points.
    for (i, _) in body.match_indices('-') {
        if let Some(v) = range(&body[..i], &body[i + 1..], ctx) {
            return v;
        }
    }
    point_value(None, ctx)
}

fn warn(precision: Option<Precision>, warning: DateWarning) -> DateValue {
    DateValue {
        precision,
        warning: Some(warning),
        ..DateValue::default()
    }
}

/// One point in time (day, month, quarter, half or year), or `None` when not understood.
fn single(s: &str) -> Option<Point> {
    let s = s.trim();
    let num = |m: Option<regex::Match>| m.and_then(|m| m.as_str().parse::<u32>().ok());
    let year = |m: Option<regex::Match>| m.map(|m| year_of(m.as_str()));
    if let Some(c) = HALF.captures(s) {
        return Some(Point {
            half: Some(if &c[1] == "đầu" { 1 } else { 2 }),
            year: year(c.get(2)),
            ..Point::default()
        });
    }
    if let Some(c) = QUARTER.captures(s) {
        return Some(Point {
            quarter: roman_or_arabic(&c[1]),
            year: year(c.get(2)),
            ..Point::default()
        });
    }
    if let Some(c) = DAY_WORDS.captures(s) {
        return Some(Point {
            day: num(c.get(1)),
            month: num(c.get(2)),
            year: year(c.get(3)),
            ..Point::default()
        });
    }
    if let Some(c) = DAY_DIGITS.captures(s) {
        // `12/2009` is a month: caught below, since the second group allows two digits only.
        return Some(Point {
            day: num(c.get(1)),
            month: num(c.get(3)),
            year: year(c.get(4)),
            ..Point::default()
        });
    }
    if let Some(c) = MONTH.captures(s).or_else(|| MONTH_DIGITS.captures(s)) {
        return Some(Point {
            month: num(c.get(1)),
            year: year(c.get(2)),
            ..Point::default()
        });
    }
    if let Some(c) = YEAR.captures(s) {
        if s.starts_with("năm") || c[1].len() >= 4 {
            return Some(Point {
                year: year(c.get(1)),
                ..Point::default()
            });
        }
    }
    None
}

/// The value of one point, taking the context year when the text has none.
fn point_value(point: Option<Point>, ctx: &Context) -> DateValue {
    let Some(point) = point else {
        return warn(None, DateWarning::NotUnderstood);
    };
    let precision = point.precision();
    let (year, inferred) = match (point.year, ctx.year) {
        (Some(Year::Valid(y)), _) => (y, false),
        (Some(Year::Invalid), _) => return warn(Some(precision), DateWarning::InvalidYear),
        (None, Some(y)) if precision != Precision::Year => (y, true),
        (None, _) => return warn(Some(precision), DateWarning::NoYear),
    };
    match point.iso(year) {
        Ok(iso) => DateValue {
            iso: Some(iso),
            precision: Some(precision),
            inferred,
            ..DateValue::default()
        },
        Err(w) => warn(Some(precision), w),
    }
}

/// `từ ngày 01/7 đến ngày 15/7/2025`, `tháng 3 - 5/2024`: two points, the first borrowing
/// what it lacks (year, month) from the second.
fn range(left: &str, right: &str, ctx: &Context) -> Option<DateValue> {
    let end = single(right)?;
    let mut start = single(left).or_else(|| {
        // `tháng 3 - 5/2024`: a bare number on the left is the same kind as the right.
        let n: u32 = left
            .trim()
            .trim_start_matches("tháng")
            .trim()
            .parse()
            .ok()?;
        Some(if end.day.is_some() {
            Point {
                day: Some(n),
                ..Point::default()
            }
        } else {
            Point {
                month: Some(n),
                ..Point::default()
            }
        })
    })?;
    if start.year.is_none() {
        start.year = end.year;
    }
    if start.day.is_some() && start.month.is_none() {
        start.month = end.month;
    }
    if start.month.is_some() && end.day.is_none() && start.day.is_some() {
        return None;
    }
    let a = point_value(Some(start), ctx);
    let b = point_value(Some(end), ctx);
    match (a.iso, b.iso) {
        (Some(x), Some(y)) => Some(DateValue {
            iso: Some(format!("{x}/{y}")),
            precision: Some(Precision::Range),
            inferred: a.inferred || b.inferred,
            ..DateValue::default()
        }),
        _ => Some(warn(
            Some(Precision::Range),
            a.warning
                .or(b.warning)
                .unwrap_or(DateWarning::NotUnderstood),
        )),
    }
}

fn datetime(point: &Point, time: &regex::Captures, ctx: &Context) -> DateValue {
    let day = point_value(Some(*point), ctx);
    let Some(iso) = day.iso else {
        return day;
    };
    let hour: u32 = time[1].parse().unwrap_or(99);
    let minute: u32 = time
        .get(2)
        .map_or(Some(0), |m| m.as_str().parse().ok())
        .unwrap_or(99);
    let second: Option<u32> = time.get(3).map(|m| m.as_str().parse().unwrap_or(99));
    if hour > 23 || minute > 59 || second.is_some_and(|s| s > 59) {
        return warn(Some(Precision::Datetime), DateWarning::InvalidDate);
    }
    let mut out = format!("{iso}T{hour:02}:{minute:02}");
    if let Some(sec) = second {
        out.push_str(&format!(":{sec:02}"));
    }
    if let Some(zone) = time.get(4) {
        // `+07:00` or `+0700`: sign, two digits of hours, two of minutes (ASCII, see TIME_HM).
        let digits: String = zone.as_str().chars().filter(char::is_ascii_digit).collect();
        let (zone_hours, zone_minutes): (u32, u32) = (
            digits[..2].parse().unwrap_or(99),
            digits[2..].parse().unwrap_or(99),
        );
        // Offsets in use run from -12:00 to +14:00.
        if zone_hours > 14 || zone_minutes > 59 {
            return warn(Some(Precision::Datetime), DateWarning::InvalidDate);
        }
        out.push_str(&format!(
            "{}{}:{}",
            &zone.as_str()[..1],
            &digits[..2],
            &digits[2..]
        ));
    }
    DateValue {
        iso: Some(out),
        precision: Some(Precision::Datetime),
        inferred: day.inferred,
        ..DateValue::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_year() -> Context {
        Context { year: None }
    }

    #[test]
    fn datetime_with_seconds() {
        let v = normalize("05.03.2021 08:02:15 +07:00", &no_year());
        assert_eq!(v.iso.as_deref(), Some("2021-03-05T08:02:15+07:00"));
        assert_eq!(v.precision, Some(Precision::Datetime));
    }

    /// Found by the `date_normalizer` fuzz target: seconds were copied without a range check.
    #[test]
    fn datetime_rejects_seconds_past_59() {
        let v = normalize("05.03.2021 08:02:75 +07:00", &no_year());
        assert_eq!(v.iso, None);
        assert_eq!(v.precision, Some(Precision::Datetime));
        assert_eq!(v.warning, Some(DateWarning::InvalidDate));
    }

    /// A zone written in other digits (Devanagari, three bytes each) is not a zone; it used to
    /// be cut at byte 3, inside a character.
    #[test]
    fn zone_in_other_digits_is_not_a_zone() {
        let v = normalize("1/1/2020 8:30 +\u{966}\u{967}\u{966}\u{966}", &no_year());
        assert_eq!(v.iso, None);
        assert_eq!(v.warning, Some(DateWarning::NotUnderstood));
        let v = normalize("1/1/2020 8:30 +0700", &no_year());
        assert_eq!(v.iso.as_deref(), Some("2020-01-01T08:30+07:00"));
    }

    /// Left from the fuzzing pass: a zone out of range was copied as it stood.
    #[test]
    fn datetime_rejects_zones_out_of_range() {
        for bad in [
            "1/1/2020 8:30 +99:99",
            "1/1/2020 8:30 +15:00",
            "1/1/2020 8:30 -07:60",
        ] {
            let v = normalize(bad, &no_year());
            assert_eq!(v.iso, None, "{bad}");
            assert_eq!(v.warning, Some(DateWarning::InvalidDate), "{bad}");
        }
        let v = normalize("1/1/2020 8:30 -05:30", &no_year());
        assert_eq!(v.iso.as_deref(), Some("2020-01-01T08:30-05:30"));
    }
}
