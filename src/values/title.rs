//! TITLE spans → the role and the body it belongs to: `Phó Bí thư Thường trực Tỉnh uỷ` →
//! role `Phó Bí thư Thường trực`, org `Tỉnh ủy`.
//!
//! The body starts at the first word (after the first) that heads an organization's name
//! (`Tỉnh ủy`, `Ban`, `Sở`, `UBND` ...). Roles that carry their unit in their own name
//! (`Chánh Văn phòng`, `Chánh án`) keep it; `Trưởng Ban Tuyên giáo Tỉnh ủy` is role
//! `Trưởng ban` of `Ban Tuyên giáo Tỉnh ủy`.

use serde::{Deserialize, Serialize};

use super::prepare;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TitleValue {
    pub role: String,
    pub org: Option<String>,
}

/// Words (lower case) that begin the name of a body.
const ORG_HEADS: &[&str] = &[
    "tỉnh ủy",
    "thành ủy",
    "huyện ủy",
    "quận ủy",
    "thị ủy",
    "đảng ủy",
    "đảng bộ",
    "đảng đoàn",
    "ban cán sự",
    "chi bộ",
    "chi ủy",
    "ban",
    "bộ",
    "sở",
    "ủy ban",
    "ubnd",
    "hđnd",
    "ubkt",
    "btv",
    "bch",
    "bcđ",
    "mttq",
    "hội đồng",
    "văn phòng",
    "phòng",
    "tổng cục",
    "cục",
    "chi cục",
    "vụ",
    "viện",
    "chính phủ",
    "quốc hội",
    "mặt trận",
    "công an",
    "hội",
    "liên đoàn",
    "liên hiệp",
    "tỉnh đoàn",
    "thành đoàn",
    "huyện đoàn",
    "đoàn",
    "trường",
    "bệnh viện",
    "trung tâm",
    "công ty",
    "tổng công ty",
    "tập đoàn",
    "ngân hàng",
    "kho bạc",
    "tòa án",
    "thanh tra",
    "báo",
    "đài",
    "học viện",
    "đại học",
    "hợp tác xã",
    "trung ương",
    "nhà nước",
    "quân khu",
    "bộ chỉ huy",
    "bộ tư lệnh",
    "sư đoàn",
    "trung đoàn",
    "lữ đoàn",
    "đồn",
    "tổ",
    "đội",
    "chi hội",
    "cơ quan",
];

/// Roles whose name contains a unit word: the unit stays in the role.
const UNIT_ROLES: &[&str] = &[
    "phó chánh văn phòng",
    "chánh văn phòng",
    "phó chánh thanh tra",
    "chánh thanh tra",
    "phó chánh án",
    "chánh án",
    "phó viện trưởng",
    "viện trưởng",
    "phó cục trưởng",
    "cục trưởng",
    "phó vụ trưởng",
    "vụ trưởng",
    "bộ trưởng",
    "thứ trưởng",
    "tỉnh ủy viên",
    "thành ủy viên",
    "huyện ủy viên",
    "đảng ủy viên",
    "chi ủy viên",
];

/// The role and the body of a TITLE span.
pub fn normalize(text: &str) -> TitleValue {
    let s = prepare(text);
    let words: Vec<&str> = s.split(' ').filter(|w| !w.is_empty()).collect();
    let lower: Vec<String> = words.iter().map(|w| w.to_lowercase()).collect();
    let starts_with = |i: usize, phrase: &str| {
        let parts: Vec<&str> = phrase.split(' ').collect();
        i + parts.len() <= lower.len() && parts.iter().enumerate().all(|(k, p)| lower[i + k] == *p)
    };
    // A role with its unit in its name is never split inside.
    let mut first = 1;
    for role in UNIT_ROLES {
        if starts_with(0, role) {
            first = role.split(' ').count();
            break;
        }
    }
    // A body's name starts with a capital (`Ban`, `UBND`); `Trưởng đoàn` is a role.
    let org_start = (first..words.len()).find(|&i| {
        words[i].chars().next().is_some_and(char::is_uppercase)
            && ORG_HEADS.iter().any(|h| starts_with(i, h))
    });
    let Some(i) = org_start else {
        return TitleValue {
            role: s.clone(),
            org: None,
        };
    };
    let mut role = words[..i].join(" ");
    // `Trưởng Ban X`, `Phó Trưởng phòng X`: the head of the unit the org names.
    let bare = lower[..i].join(" ");
    let unit = lower[i].as_str();
    if matches!(bare.as_str(), "trưởng" | "phó trưởng" | "phó")
        && matches!(unit, "ban" | "phòng" | "khoa" | "đoàn")
    {
        role = format!("{role} {}", lower[i]);
    }
    let org = words[i..].join(" ");
    TitleValue {
        role,
        org: Some(org),
    }
}
