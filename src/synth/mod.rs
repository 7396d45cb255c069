//! Synthetic annotated documents for augmentation: headers, citations, meeting paragraphs,
//! assignments and signature blocks assembled from templates and the gazetteers in
//! `data/gazetteers/`, with the noise real files have (spacing in codes, both tone-mark
//! styles, upper-case blocks), reproducible from a seed.

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::doc::{Document, Label, Span};

mod government;
mod state;

fn list(raw: &'static str) -> Vec<&'static str> {
    raw.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .collect()
}

/// The word lists, read once from the files compiled into the binary.
struct Gazetteers {
    surnames: Vec<&'static str>,
    middle: Vec<&'static str>,
    given: Vec<&'static str>,
    provinces: Vec<&'static str>,
    cities: Vec<&'static str>,
    positions: Vec<&'static str>,
    bodies: Vec<&'static str>,
    /// Law and code titles (`Bộ luật …`, or the name after `Luật`).
    laws: Vec<&'static str>,
    /// (type, Party code, State code or "-").
    doc_types: Vec<(&'static str, &'static str, &'static str)>,
}

impl Gazetteers {
    fn load() -> Self {
        let doc_types = list(include_str!("../../data/gazetteers/doc_types.txt"))
            .into_iter()
            .filter_map(|l| {
                let mut f = l.split('\t');
                Some((f.next()?, f.next()?, f.next()?))
            })
            .collect();
        Gazetteers {
            surnames: list(include_str!("../../data/gazetteers/surnames.txt")),
            middle: list(include_str!("../../data/gazetteers/middle_names.txt")),
            given: list(include_str!("../../data/gazetteers/given_names.txt")),
            provinces: list(include_str!("../../data/gazetteers/provinces.txt")),
            cities: list(include_str!("../../data/gazetteers/cities.txt")),
            positions: list(include_str!("../../data/gazetteers/positions.txt")),
            bodies: list(include_str!("../../data/gazetteers/bodies.txt")),
            laws: list(include_str!("../../data/gazetteers/laws.txt")),
            doc_types,
        }
    }
}

/// A document under construction: text with spans appended in order.
struct Builder {
    text: String,
    spans: Vec<Span>,
}

impl Builder {
    fn new() -> Self {
        Builder {
            text: String::new(),
            spans: Vec::new(),
        }
    }

    fn into_document(self, id: String) -> Document {
        Document {
            id,
            text: self.text,
            spans: self.spans,
        }
    }

    fn text(&mut self, s: &str) {
        self.text.push_str(s);
    }
    fn entity(&mut self, label: Label, s: &str) {
        let start = self.text.len();
        self.text.push_str(s);
        self.spans.push(Span {
            start,
            end: self.text.len(),
            label,
        });
    }

    /// Breaks lines longer than `width` characters at a space, as text taken from a PDF is
    /// broken, from byte `from` on; names may then cross a line break. A space and a line
    /// break are one byte each, so spans keep their offsets.
    fn wrap(&mut self, from: usize, width: usize) {
        let mut bytes = std::mem::take(&mut self.text).into_bytes();
        let (mut line_start, mut last_space, mut chars) = (from, None, 0);
        let mut i = from;
        while i < bytes.len() {
            match bytes[i] {
                b'\n' => (line_start, last_space, chars) = (i + 1, None, 0),
                b' ' => last_space = Some(i),
                _ => {}
            }
            // Count characters, not bytes: UTF-8 continuation bytes are 0b10xxxxxx.
            if bytes[i] & 0xC0 != 0x80 {
                chars += 1;
            }
            if chars > width {
                if let Some(sp) = last_space.filter(|&sp| sp > line_start) {
                    bytes[sp] = b'\n';
                    line_start = sp + 1;
                    last_space = None;
                    chars = String::from_utf8_lossy(&bytes[line_start..=i])
                        .chars()
                        .count();
                }
            }
            i += 1;
        }
        self.text = String::from_utf8(bytes).expect("only ASCII bytes were swapped");
    }

    /// Inserts `s` (with its own `spans`, offsets relative to `s`) at byte `at`, which must
    /// not fall inside a span, shifting the spans after it.
    fn insert(&mut self, at: usize, s: &str, spans: &[Span]) {
        debug_assert!(self.spans.iter().all(|sp| sp.end <= at || sp.start >= at));
        self.text.insert_str(at, s);
        for sp in &mut self.spans {
            if sp.start >= at {
                sp.start += s.len();
                sp.end += s.len();
            }
        }
        self.spans.extend(spans.iter().map(|sp| Span {
            start: sp.start + at,
            end: sp.end + at,
            label: sp.label,
        }));
        self.spans.sort_by_key(|sp| sp.start);
    }
}

const TOPICS: &[&str] = &[
    "tăng cường công tác phòng, chống tham nhũng, lãng phí",
    "đẩy mạnh chuyển đổi số trong các cơ quan đảng",
    "xây dựng nông thôn mới nâng cao",
    "nâng cao chất lượng sinh hoạt chi bộ",
    "công tác phòng, chống thiên tai và tìm kiếm cứu nạn",
    "phát triển kinh tế tập thể, hợp tác xã",
    "công tác cán bộ và bảo vệ chính trị nội bộ",
    "đẩy mạnh học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
    "sắp xếp tổ chức bộ máy tinh gọn, hoạt động hiệu lực, hiệu quả",
    "bảo đảm an ninh trật tự trên địa bàn",
];

const ROMAN: &[&str] = &[
    "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "XIII", "XIV",
];

/// Old-style tone marks (`uỷ`, `hoà`), as many real documents write them.
fn old_style(s: &str) -> String {
    s.replace("ủy", "uỷ")
        .replace("Ủy", "Uỷ")
        .replace("hòa", "hoà")
        .replace("Hòa", "Hoà")
        .replace("khóa", "khoá")
        .replace("hóa", "hoá")
}

pub struct Synth {
    g: Gazetteers,
    rng: ChaCha8Rng,
    old_tones: bool,
}

impl Synth {
    pub fn new(seed: u64) -> Self {
        Synth {
            g: Gazetteers::load(),
            rng: ChaCha8Rng::seed_from_u64(seed),
            old_tones: false,
        }
    }

    fn pick(&mut self, items: &[&'static str]) -> &'static str {
        items.choose(&mut self.rng).copied().unwrap_or("")
    }

    fn style(&self, s: &str) -> String {
        if self.old_tones {
            old_style(s)
        } else {
            s.to_string()
        }
    }

    fn person(&mut self) -> String {
        let surnames = self.g.surnames.clone();
        // Frequent surnames are frequent: draw from the head of the list more often.
        let surname = if self.rng.gen_bool(0.6) {
            surnames[self.rng.gen_range(0..surnames.len().min(8))]
        } else {
            self.pick(&surnames)
        };
        let middle = self.g.middle.clone();
        let given = self.g.given.clone();
        match self.rng.gen_range(0..10) {
            0 => format!("{surname} {}", self.pick(&given)),
            // `Văn`, `Thị` and the like already stand in the two-syllable given names.
            1 => format!("{surname} {}", self.pick(&given[given.len() - 9..])),
            _ => format!(
                "{surname} {} {}",
                self.pick(&middle),
                self.pick(&given[..given.len() - 9])
            ),
        }
    }

    fn place(&mut self) -> (&'static str, &'static str) {
        if self.rng.gen_bool(0.15) {
            let cities = self.g.cities.clone();
            ("thành phố", self.pick(&cities))
        } else {
            let provinces = self.g.provinces.clone();
            ("tỉnh", self.pick(&provinces))
        }
    }

    /// A Party or State body at some level, specific enough to be an ORG.
    fn org(&mut self, province: &str, committee: &str) -> String {
        let bodies = self.g.bodies.clone();
        let s = match self.rng.gen_range(0..12) {
            0 => format!("Ban Thường vụ {committee}"),
            1 => format!("Ủy ban nhân dân tỉnh {province}"),
            2 => "UBND tỉnh".to_string(),
            3 => format!("{} {committee}", self.pick(&bodies[..6])),
            4 => self.pick(&bodies[6..]).to_string(),
            5 => format!("Thường trực {committee}"),
            6 => format!(
                "Đảng ủy xã {}",
                self.pick(&[
                    "Tân Phú",
                    "Hòa Bình",
                    "Phước Sơn",
                    "Nam Cường",
                    "Ea Tu",
                    "Thạnh Lợi"
                ])
            ),
            7 => format!(
                "Ban Chỉ đạo {} tỉnh",
                self.pick(&[
                    "35",
                    "phòng, chống tham nhũng, tiêu cực",
                    "thực hiện Cuộc vận động"
                ])
            ),
            8 => "Bộ Chính trị".to_string(),
            9 => "Ban Bí thư".to_string(),
            10 => format!("Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh {province}"),
            _ => "HĐND tỉnh".to_string(),
        };
        self.style(&s)
    }

    /// A position with the body it belongs to, as one TITLE.
    fn title(&mut self, committee: &str) -> String {
        let positions = self.g.positions.clone();
        let position = self.pick(&positions);
        let s = if position.contains("Chủ tịch") {
            format!(
                "{position} {}",
                self.pick(&[
                    "UBND tỉnh",
                    "Ủy ban nhân dân tỉnh",
                    "HĐND tỉnh",
                    "UBND huyện"
                ])
            )
        } else if position.contains("Giám đốc") {
            format!(
                "{position} Sở {}",
                self.pick(&["Tài chính", "Nội vụ", "Y tế", "Tư pháp", "Xây dựng"])
            )
        } else if position == "Trưởng phòng" {
            format!(
                "{position} {}",
                self.pick(&[
                    "Nội vụ huyện",
                    "Tài chính - Kế hoạch huyện",
                    "Giáo dục và Đào tạo huyện"
                ])
            )
        } else if position == "Chánh Thanh tra" {
            format!("{position} tỉnh")
        } else if position.starts_with("Trưởng ban") || position.starts_with("Phó Trưởng ban")
        {
            format!(
                "{position} {}",
                self.pick(&["Dân vận", "Nội chính", "Tổ chức", "Tuyên giáo"])
            )
        } else if self.rng.gen_bool(0.85) {
            format!("{position} {committee}")
        } else {
            position.to_string()
        };
        self.style(&s)
    }

    fn date(&mut self) -> String {
        let y = self.rng.gen_range(2005..=2026);
        let m = self.rng.gen_range(1..=12);
        let d = self.rng.gen_range(1..=28);
        match self.rng.gen_range(0..10) {
            0 | 1 => format!("ngày {d:02} tháng {m:02} năm {y}"),
            2 | 3 => format!("ngày {d}/{m}/{y}"),
            4 => format!("{d:02}-{m:02}-{y}"),
            5 => format!("tháng {m}/{y}"),
            6 => format!("quý {}/{y}", ROMAN[self.rng.gen_range(0..4)]),
            7 => format!("năm {y}"),
            8 => format!("giai đoạn {} - {}", y - 5, y),
            _ => format!("6 tháng đầu năm {y}"),
        }
    }

    fn directive(&mut self, party: bool) -> String {
        let types = self.g.doc_types.clone();
        let (name, party_code, state_code) =
            *types
                .choose(&mut self.rng)
                .unwrap_or(&("Chỉ thị", "CT", "CT"));
        let n = self.rng.gen_range(1..400);
        let y = self.rng.gen_range(2005..=2026);
        let issuer = self.pick(&["TW", "TU", "HU", "ĐU", "BCĐ", "ĐUK"]);
        let s = if party || state_code == "-" {
            let sep = self.pick(&["-", "-", "-", "- ", " -"]);
            match self.rng.gen_range(0..5) {
                0 => format!("{name} {n:02}"),
                _ => format!("{name} số {n:02}{sep}{party_code}/{issuer}"),
            }
        } else {
            match self.rng.gen_range(0..5) {
                0 => format!("{name} số {n}/{y}/{state_code}-UBND"),
                1 => format!("Nghị định số {n}/{y}/NĐ-CP"),
                2 => format!(
                    "Nghị quyết Trung ương {} (khóa {})",
                    self.rng.gen_range(2..9),
                    ROMAN[self.rng.gen_range(8..14)]
                ),
                3 => format!(
                    "Luật {} năm {}",
                    self.pick(&[
                        "Cán bộ, công chức",
                        "Đất đai",
                        "Ngân sách nhà nước",
                        "Thi đua, khen thưởng"
                    ]),
                    y
                ),
                _ => format!("{name} số {n}/{state_code}-UBND"),
            }
        };
        self.style(&s)
    }

    /// One synthetic document, of one of the layouts.
    pub fn document(&mut self, id: String) -> Document {
        self.old_tones = self.rng.gen_bool(0.3);
        match self.rng.gen_range(0..24) {
            0..=7 => self.provincial_document(id),
            8..=11 => self.gazette_document(id),
            12..=15 => self.conclusion_notice(id),
            16..=19 => self.government_document(id),
            _ => self.news_item(id),
        }
    }

    /// A provincial Party or People's Committee document: header, paragraphs, signature.
    fn provincial_document(&mut self, id: String) -> Document {
        let (unit, province) = self.place();
        let party = self.rng.gen_bool(0.6);
        let committee = if unit == "tỉnh" {
            "Tỉnh ủy"
        } else {
            "Thành ủy"
        };
        let mut b = Builder::new();
        // Header, flattened from two columns.
        let issuer = match (party, unit) {
            (true, "tỉnh") => "TỈNH ỦY",
            (true, _) => "THÀNH ỦY",
            (false, "tỉnh") => "ỦY BAN NHÂN DÂN TỈNH",
            (false, _) => "ỦY BAN NHÂN DÂN THÀNH PHỐ",
        };
        let issuer = self.style(&format!("{issuer} {}", province.to_uppercase()));
        if party {
            b.entity(Label::Org, &issuer);
            b.text("          ĐẢNG CỘNG SẢN VIỆT NAM\n");
        } else {
            // The right column first, as some PDF extractions give it.
            b.text("                    CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n");
            b.entity(Label::Org, &issuer);
            b.text("\n");
        }
        let n = self.rng.gen_range(1..900);
        let number = if party {
            format!("Số {n}-{}/TU", self.pick(&["TB", "KH", "BC", "HD", "CT"]))
        } else {
            format!("Số: {n}/{}/QĐ-UBND", self.rng.gen_range(2005..=2026))
        };
        b.entity(Label::Directive, &number);
        b.text(&format!("        {province}, "));
        let y = self.rng.gen_range(2005..=2026);
        b.entity(
            Label::Date,
            &format!(
                "ngày {:02} tháng {:02} năm {y}",
                self.rng.gen_range(1..=28),
                self.rng.gen_range(1..=12)
            ),
        );
        b.text("\n\n");
        let topic = self.pick(TOPICS);
        b.text(&format!(
            "{}\nVề việc {topic}\n\n",
            if party {
                "THÔNG BÁO"
            } else {
                "QUYẾT ĐỊNH"
            }
        ));
        for _ in 0..self.rng.gen_range(4..9) {
            self.paragraph(&mut b, party, province, unit, committee);
            b.text("\n");
        }
        // Signature block.
        b.text("\n");
        b.text(if party { "T/M " } else { "TM. " });
        let body = if party {
            "BAN THƯỜNG VỤ"
        } else {
            "ỦY BAN NHÂN DÂN"
        };
        b.entity(Label::Org, &self.style(body));
        b.text("\n");
        if !party {
            b.text("KT. ");
        }
        let sign_title = self.pick(&[
            "PHÓ BÍ THƯ",
            "BÍ THƯ",
            "CHỦ TỊCH",
            "PHÓ CHỦ TỊCH",
            "CHÁNH VĂN PHÒNG",
        ]);
        b.entity(Label::Title, sign_title);
        b.text("\n\n");
        let signer = self.person();
        b.entity(Label::Per, &signer);
        b.text("\n");
        b.into_document(id)
    }

    fn paragraph(
        &mut self,
        b: &mut Builder,
        party: bool,
        province: &str,
        unit: &str,
        committee: &str,
    ) {
        match self.rng.gen_range(0..7) {
            0 => {
                b.text("Căn cứ ");
                let d = self.directive(party);
                b.entity(Label::Directive, &d);
                b.text(", ");
                let date = self.date();
                b.entity(Label::Date, &date);
                b.text(" của ");
                let o = self.org(province, committee);
                b.entity(Label::Org, &o);
                b.text(&format!(" về {};\n", self.pick(TOPICS)));
            }
            1 => {
                b.text(self.pick(&["Đồng chí ", "Đ/c ", "Ông ", "Bà "]));
                let p = self.person();
                b.entity(Label::Per, &p);
                b.text(", ");
                let t = self.title(committee);
                b.entity(Label::Title, &t);
                if self.rng.gen_bool(0.4) {
                    b.text(" kiêm ");
                    let t2 = self.title(committee);
                    b.entity(Label::Title, &t2);
                }
                b.text(" chủ trì hội nghị; cùng dự có đồng chí ");
                let p2 = self.person();
                b.entity(Label::Per, &p2);
                b.text(" - ");
                let t3 = self.title(committee);
                b.entity(Label::Title, &t3);
                b.text(" và đại diện các sở, ban, ngành, đoàn thể của tỉnh.\n");
            }
            2 => {
                b.text("Giao ");
                let o = self.org(province, committee);
                b.entity(Label::Org, &o);
                b.text(" chủ trì, phối hợp với ");
                let o2 = self.org(province, committee);
                b.entity(Label::Org, &o2);
                b.text(" tham mưu tổ chức thực hiện, báo cáo kết quả trước ");
                let date = self.date();
                b.entity(Label::Date, &date);
                b.text(".\n");
            }
            3 => {
                b.text("Trong ");
                let date = self.date();
                b.entity(Label::Date, &date);
                let a = self.rng.gen_range(20..90);
                let t = a + self.rng.gen_range(1..10);
                b.text(&format!(
                    ", toàn {unit} có {a}/{t} tổ chức cơ sở đảng hoàn thành tốt nhiệm vụ; các cấp ủy, chính quyền tiếp tục quan tâm lãnh đạo trong thời gian tới.\n"
                ));
            }
            4 => {
                let o = self.org(province, committee);
                b.entity(Label::Org, &o);
                b.text(" đề nghị cán bộ, đảng viên tiếp tục quán triệt ");
                let d = self.directive(party);
                b.entity(Label::Directive, &d);
                b.text(&format!(" và chương trình công tác cuối năm của {unit}.\n"));
            }
            5 => {
                b.text("Sáng ");
                let date = format!(
                    "ngày {}/{}",
                    self.rng.gen_range(1..=28),
                    self.rng.gen_range(1..=12)
                );
                b.entity(Label::Date, &date);
                b.text(", tại Hội trường ");
                let o = self.org(province, committee);
                b.entity(Label::Org, &o);
                b.text(&format!(" đã tổ chức hội nghị sơ kết 3 năm thực hiện nghị quyết của {unit} {province}.\n"));
            }
            _ => {
                b.text("Các đồng chí ");
                let t = self.title(committee);
                b.entity(Label::Title, &t);
                b.text(" có trách nhiệm triển khai ");
                let d = self.directive(party);
                b.entity(Label::Directive, &d);
                b.text(", ");
                let date = self.date();
                b.entity(Label::Date, &date);
                b.text(" đến chi bộ và cơ quan, đơn vị.\n");
            }
        }
    }
}

/// `count` synthetic documents from `seed`, with ids `synth-<seed>-<n>`.
pub fn documents(count: usize, seed: u64) -> Vec<Document> {
    let mut s = Synth::new(seed);
    (0..count)
        .map(|i| s.document(format!("synth-{seed}-{i:04}")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_are_valid_reproducible_and_varied() {
        let a = documents(50, 7);
        let b = documents(50, 7);
        assert_eq!(a, b, "same seed, same documents");
        assert_ne!(a, documents(50, 8));
        let mut labels = std::collections::BTreeSet::new();
        for mut d in a {
            let spans = d.spans.clone();
            d.validate().unwrap_or_else(|e| panic!("{}: {e}", d.id));
            assert_eq!(d.spans, spans, "spans come out in order");
            for s in &d.spans {
                labels.insert(s.label);
                assert!(!d.span_text(s).trim().is_empty());
            }
        }
        assert_eq!(labels.len(), 5, "every label occurs");
    }
}
