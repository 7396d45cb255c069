//! State layouts: a ministry's circular as the Official Gazette prints it (running page
//! headers, lines broken mid-sentence, legal bases citing laws by title), a Government
//! Office notice of conclusions (recipient lists dense with abbreviations, an e-signature
//! stamp) and a news item (timestamp, outlet tag, byline).

use rand::Rng;

use super::{Builder, Synth, ROMAN};
use crate::doc::{Document, Label, Span};

/// Ministries with the issuer code of their documents.
pub(super) const MINISTRIES: &[(&str, &str)] = &[
    ("Bộ Nội vụ", "BNV"),
    ("Bộ Tài chính", "BTC"),
    ("Bộ Y tế", "BYT"),
    ("Bộ Giáo dục và Đào tạo", "BGDĐT"),
    ("Bộ Công an", "BCA"),
    ("Bộ Quốc phòng", "BQP"),
    ("Bộ Tư pháp", "BTP"),
    ("Bộ Công Thương", "BCT"),
    ("Bộ Xây dựng", "BXD"),
    ("Bộ Nông nghiệp và Môi trường", "BNNMT"),
    ("Bộ Khoa học và Công nghệ", "BKHCN"),
    ("Bộ Văn hóa, Thể thao và Du lịch", "BVHTTDL"),
    ("Bộ Dân tộc và Tôn giáo", "BDTTG"),
    ("Bộ Ngoại giao", "BNG"),
];

/// Departments of a ministry (`Vụ …`, `Cục …`) that sign or are asked to act.
const DEPARTMENTS: &[&str] = &[
    "Vụ Pháp chế",
    "Vụ Tổ chức cán bộ",
    "Vụ Kế hoạch - Tài chính",
    "Vụ Hợp tác quốc tế",
    "Cục Quản lý giá",
    "Cục Kiểm soát thủ tục hành chính",
    "Cục Quản lý đầu tư xây dựng",
    "Cục Thống kê",
    "Cục Đường bộ",
    "Cục Văn thư và Lưu trữ nhà nước",
];

/// Subjects of circulars and meetings.
const SUBJECTS: &[&str] = &[
    "quản lý, sử dụng kinh phí chi thường xuyên",
    "tiêu chuẩn, điều kiện xét thăng hạng chức danh nghề nghiệp",
    "quy trình kiểm tra, giám sát an toàn công trình",
    "chế độ báo cáo thống kê định kỳ",
    "tiến độ dự án đường cao tốc và các công trình giao thông trọng điểm",
    "phương án sắp xếp đơn vị hành chính cấp xã",
    "giải ngân vốn đầu tư công",
    "phòng, chống dịch bệnh trên đàn gia súc",
    "cấp giấy chứng nhận quyền sử dụng đất cho người dân",
    "chuyển đổi số trong thủ tục hành chính",
    "bảo đảm cung ứng điện trong mùa khô",
    "phát triển nhà ở xã hội",
];

/// Places named inside bodies (economic zones, districts) that are places, not bodies.
const ZONES: &[&str] = &[
    "Nghi Sơn",
    "Dung Quất",
    "Chu Lai",
    "Nhơn Hội",
    "Vũng Áng",
    "Phú Quốc",
    "Đình Vũ - Cát Hải",
    "Định An",
    "Năm Căn",
    "Cầu Treo",
    "Lào Cai",
    "Đông Nam Nghệ An",
];

/// Abbreviations of Government Office units, as recipient lists write them.
const OFFICE_UNITS: &[&str] = &[
    "KTTH", "NN", "CN", "QHĐP", "PL", "TCCV", "KGVX", "NC", "QHQT", "ĐMDN", "TH",
];

/// Abbreviated titles in recipient lists.
const ABBREVIATED_TITLES: &[&str] = &["BTCN", "PCN", "Trợ lý TTg", "TGĐ Cổng TTĐT", "Thư ký PTTg"];

/// News outlets, as the tag at the start of an item writes them.
const OUTLETS: &[&str] = &["Chinhphu.vn", "VGP", "TTXVN", "BBĐT", "Báo Nhân Dân"];

impl Synth {
    pub(super) fn ministry(&mut self) -> (&'static str, &'static str) {
        MINISTRIES[self.rng.gen_range(0..MINISTRIES.len())]
    }

    /// A law or code title from `laws.txt`: `Bộ luật …` lines as they stand, the rest after
    /// `Luật`.
    pub(super) fn law_title(&mut self) -> String {
        let laws = self.g.laws.clone();
        let law = self.pick(&laws);
        if law.starts_with("Bộ luật") {
            law.to_string()
        } else {
            format!("Luật {law}")
        }
    }

    /// A law or code title as cited, with its date or year where the text gives one:
    /// `Luật Đất đai` + ` ngày 18 tháng 01 năm 2024` (a DATE of its own) or `Luật Đất đai năm 2024`.
    fn cite_law(&mut self, b: &mut Builder) {
        let name = self.law_title();
        let y = self.rng.gen_range(2008..=2025);
        match self.rng.gen_range(0..6) {
            0 | 1 => {
                b.entity(Label::Directive, &self.style(&name));
                b.text(" ");
                let d = self.full_date(y);
                b.entity(Label::Date, &d);
            }
            2 => b.entity(Label::Directive, &self.style(&format!("{name} năm {y}"))),
            3 => b.entity(
                Label::Directive,
                &format!(
                    "{name} số {:02}/{y}/QH{}",
                    self.rng.gen_range(1..70),
                    self.rng.gen_range(12..=15)
                ),
            ),
            _ => b.entity(Label::Directive, &self.style(&name)),
        }
    }

    pub(super) fn full_date(&mut self, y: i32) -> String {
        let (d, m) = (self.rng.gen_range(1..=28), self.rng.gen_range(1..=12));
        match self.rng.gen_range(0..3) {
            0 => format!("ngày {d} tháng {m} năm {y}"),
            1 => format!("ngày {d:02} tháng {m:02} năm {y}"),
            _ => format!("ngày {d:02}/{m:02}/{y}"),
        }
    }

    /// A State document code: `13/2025/TT-BCA`, `302/TB-VPCP`, `1407/UBND-NNMT`.
    pub(super) fn state_code(&mut self, kind: &str, issuer: &str, with_year: bool) -> String {
        if with_year {
            let n = self.rng.gen_range(1..120);
            format!("{n}/{}/{kind}-{issuer}", self.rng.gen_range(2010..=2026))
        } else {
            let n = self.rng.gen_range(1..3000);
            format!("{n}/{kind}-{issuer}")
        }
    }

    /// A State header as two columns flattened line by line: issuer and country, number and
    /// motto, then place and date.
    fn state_header(&mut self, b: &mut Builder, issuer: &str, own_number: &str, y: i32) {
        b.entity(Label::Org, issuer);
        b.text(&format!(
            "{:>w$}\n",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            w = 60 - issuer.chars().count().min(30)
        ));
        b.entity(Label::Directive, own_number);
        b.text(&format!(
            "{:>w$}\n",
            "Độc lập - Tự do - Hạnh phúc",
            w = 50 - own_number.chars().count().min(30)
        ));
        // The rule under the motto, as long as the typist made it.
        let rule = "-".repeat(self.rng.gen_range(9..20));
        b.text(&format!("{rule:>44}\n"));
        b.text(&format!("{:>40}", "Hà Nội, "));
        let d = self.full_date(y);
        b.entity(Label::Date, &d);
    }

    /// The Official Gazette's running page header: only its date is an entity.
    fn page_header(&mut self, page: u32, number: u32, date: &str) -> (String, Vec<Span>) {
        let left = if page.is_multiple_of(2) {
            format!("{page}{:>20}", "")
        } else {
            String::new()
        };
        let head = format!("{left}CÔNG BÁO/Số {number} + {}/", number + 1);
        let start = head.len();
        let mut s = head + date;
        let span = Span {
            start,
            end: s.len(),
            label: Label::Date,
        };
        if !page.is_multiple_of(2) {
            s.push_str(&format!("{:>20}{page}", ""));
        }
        s.push('\n');
        (s, vec![span])
    }

    /// A ministry's circular as printed in the Official Gazette.
    pub(super) fn gazette_document(&mut self, id: String) -> Document {
        let mut b = Builder::new();
        let (ministry, code) = self.ministry();
        let y = self.rng.gen_range(2015..=2026);
        let number = self.rng.gen_range(100..1500u32);
        let header_date = format!(
            "Ngày {:02}-{:02}-{y}",
            self.rng.gen_range(1..=28),
            self.rng.gen_range(1..=12)
        );
        let kind = self.pick(&["TT", "TT", "QĐ"]);
        let own = format!(
            "{}{}/{y}/{kind}-{code}",
            self.pick(&["Số: ", "Số "]),
            self.rng.gen_range(1..90)
        );
        self.state_header(&mut b, &ministry.to_uppercase(), &own, y);
        let doc_name = if kind == "TT" {
            "THÔNG TƯ"
        } else {
            "QUYẾT ĐỊNH"
        };
        let subject = self.pick(SUBJECTS);
        b.text(&format!("\n\n{doc_name}\nQuy định về {subject}\n\n"));
        let body_start = b.text.len();
        b.text("Căn cứ ");
        let decree = format!("Nghị định số {}", self.state_code("NĐ", "CP", true));
        b.entity(Label::Directive, &decree);
        b.text(" ");
        let d = self.full_date(y - 1);
        b.entity(Label::Date, &d);
        b.text(" của ");
        b.entity(Label::Org, "Chính phủ");
        b.text(&format!(
            " về cơ cấu tổ chức, nhiệm vụ và quyền hạn của {}",
            ministry
        ));
        // The ministry named as a whole inside a sentence is an ORG of its own.
        let at = b.text.len() - ministry.len();
        b.spans.push(Span {
            start: at,
            end: b.text.len(),
            label: Label::Org,
        });
        b.text(";\n");
        for _ in 0..self.rng.gen_range(2..5) {
            b.text("Căn cứ ");
            self.cite_law(&mut b);
            b.text(";\n");
        }
        b.text("Xét đề nghị của ");
        let dept = self.pick(DEPARTMENTS);
        b.entity(Label::Title, &format!("{} {dept}", head_of(dept)));
        b.text(";\n");
        b.entity(Label::Title, &format!("Bộ trưởng {ministry}"));
        b.text(&format!(
            " ban hành {} quy định về {subject}.\n",
            if kind == "TT" {
                "Thông tư"
            } else {
                "Quyết định"
            }
        ));
        let articles = self.rng.gen_range(3..7);
        for art in 1..=articles {
            b.text(&format!("Điều {art}. "));
            self.article(&mut b, art == articles, ministry, code, y);
        }
        b.text("Nơi nhận:\n- ");
        b.entity(Label::Title, "Thủ tướng");
        b.text(", các ");
        b.entity(Label::Title, "Phó Thủ tướng Chính phủ");
        b.text(";\n- ");
        b.entity(Label::Org, "Văn phòng Trung ương Đảng");
        b.text(";\n- Các bộ, cơ quan ngang bộ;\n- ");
        b.entity(Label::Org, "Công báo");
        b.text(";\n- Lưu: ");
        b.entity(Label::Org, "VT");
        b.text(", ");
        let d2 = self.pick(DEPARTMENTS);
        b.entity(Label::Org, &abbreviate(d2));
        b.text(".\n");
        b.text(self.pick(&["KT. ", "KT. ", ""]));
        if b.text.ends_with("KT. ") {
            b.entity(Label::Title, "BỘ TRƯỞNG");
            b.text("\n");
            b.entity(Label::Title, "THỨ TRƯỞNG");
        } else {
            b.entity(Label::Title, "BỘ TRƯỞNG");
        }
        b.text("\n\n\n");
        let signer = self.person();
        b.entity(Label::Per, &signer);
        b.text("\n");
        b.wrap(body_start, self.rng.gen_range(70..100));
        self.paginate(&mut b, body_start, number, &header_date);
        b.into_document(id)
    }

    /// Running page headers at line starts outside names, every 25 to 40 lines from byte
    /// `from` on.
    pub(super) fn paginate(&mut self, b: &mut Builder, from: usize, number: u32, date: &str) {
        let mut page = self.rng.gen_range(3..60u32);
        let mut at = from;
        loop {
            let lines = self.rng.gen_range(25..40);
            let Some(pos) = nth_line_start(&b.text, at, lines) else {
                break;
            };
            if b.spans.iter().any(|s| s.start < pos && pos < s.end) {
                at = pos;
                continue;
            }
            let (header, spans) = self.page_header(page, number, date);
            let inserted = format!("\n{header}\n");
            let spans: Vec<Span> = spans
                .iter()
                .map(|s| Span {
                    start: s.start + 1,
                    end: s.end + 1,
                    label: s.label,
                })
                .collect();
            b.insert(pos, &inserted, &spans);
            at = pos + inserted.len();
            page += 1;
        }
    }

    fn article(&mut self, b: &mut Builder, last: bool, ministry: &str, code: &str, y: i32) {
        if last {
            b.text("Hiệu lực thi hành\n1. Văn bản này có hiệu lực thi hành từ ");
            let d = self.full_date(y);
            b.entity(Label::Date, &d);
            b.text(".\n2. ");
            let old = format!("Thông tư số {}", self.state_code("TT", code, true));
            b.entity(Label::Directive, &old);
            b.text(" ");
            let earlier = y - self.rng.gen_range(2..8);
            let d = self.full_date(earlier);
            b.entity(Label::Date, &d);
            b.text(" của ");
            b.entity(Label::Title, &format!("Bộ trưởng {ministry}"));
            b.text(" hết hiệu lực kể từ ngày văn bản này có hiệu lực thi hành.\n3. ");
            let dept = self.pick(DEPARTMENTS);
            b.entity(Label::Title, &format!("{} {dept}", head_of(dept)));
            b.text(" chịu trách nhiệm theo dõi, hướng dẫn và kiểm tra việc thực hiện.\n\n");
            return;
        }
        match self.rng.gen_range(0..4) {
            0 => {
                b.text(&format!(
                    "Phạm vi điều chỉnh\nVăn bản này quy định về {} theo quy định tại khoản {} Điều {} ",
                    self.pick(SUBJECTS),
                    self.rng.gen_range(1..6),
                    self.rng.gen_range(2..90)
                ));
                self.cite_law(b);
                b.text(" và các văn bản hướng dẫn thi hành.\n");
            }
            1 => {
                b.text("Trách nhiệm thực hiện\n1. ");
                let (other, _) = self.ministry();
                b.entity(Label::Org, other);
                b.text(" phối hợp với ");
                let (unit, province) = self.place();
                let ubnd = if self.rng.gen_bool(0.5) {
                    format!("Ủy ban nhân dân {unit} {province}")
                } else {
                    format!(
                        "UBND {} {province}",
                        if unit == "tỉnh" { "tỉnh" } else { "TP." }
                    )
                };
                b.entity(Label::Org, &self.style(&ubnd));
                b.text(" hướng dẫn tổ chức thực hiện; báo cáo kết quả trước ");
                let d = format!(
                    "ngày {}/{}/{y}",
                    self.rng.gen_range(1..=28),
                    self.rng.gen_range(1..=12)
                );
                b.entity(Label::Date, &d);
                b.text(".\n2. ");
                let zone = self.pick(ZONES);
                b.entity(
                    Label::Org,
                    &self.style(&format!("Ban Quản lý Khu kinh tế {zone}")),
                );
                b.text(&format!(
                    " rà soát các dự án trên địa bàn khu kinh tế {zone} và đề xuất phương án xử lý.\n"
                ));
            }
            2 => {
                b.text("Chế độ báo cáo\nĐịnh kỳ hằng năm, trước ");
                let d = format!("ngày 15 tháng {} năm {y}", self.rng.gen_range(1..=12));
                b.entity(Label::Date, &d);
                b.text(", các cơ quan, đơn vị gửi báo cáo về ");
                let dept = self.pick(DEPARTMENTS);
                b.entity(Label::Org, &format!("{dept}, {ministry}"));
                // One body named with its ministry after a comma: two ORGs.
                let whole = b.spans.pop().expect("just pushed");
                let cut = whole.start + dept.len();
                b.spans.push(Span {
                    start: whole.start,
                    end: cut,
                    label: Label::Org,
                });
                b.spans.push(Span {
                    start: cut + 2,
                    end: whole.end,
                    label: Label::Org,
                });
                b.text(" để tổng hợp; số liệu tính đến hết ngày cuối cùng của kỳ báo cáo.\n");
            }
            _ => {
                b.text("Áp dụng văn bản\nTrường hợp các văn bản được dẫn chiếu tại ");
                let d = format!("{} số {}", "Thông tư", self.state_code("TT", code, true));
                b.entity(Label::Directive, &d);
                b.text(" được sửa đổi, bổ sung hoặc thay thế thì áp dụng theo văn bản mới; việc chuyển tiếp thực hiện trong ");
                let q = format!("quý {}/{y}", ROMAN[self.rng.gen_range(0..4)]);
                b.entity(Label::Date, &q);
                b.text(".\n");
            }
        }
    }

    /// A Government Office notice of a Deputy Prime Minister's conclusions.
    pub(super) fn conclusion_notice(&mut self, id: String) -> Document {
        let mut b = Builder::new();
        let y = self.rng.gen_range(2015..=2026);
        let stamped = self.rng.gen_bool(0.5);
        if stamped {
            self.signature_stamp(&mut b, y);
        }
        let own = format!("Số: {}", self.state_code("TB", "VPCP", false));
        self.state_header(&mut b, "VĂN PHÒNG CHÍNH PHỦ", &own, y);
        b.text("\n\nTHÔNG BÁO\nKết luận của ");
        let chair = self.person();
        let deputy = self.pick(&["Phó Thủ tướng", "Phó Thủ tướng Chính phủ"]);
        b.entity(Label::Title, deputy);
        b.text(" ");
        b.entity(Label::Per, &chair);
        let subject = self.pick(SUBJECTS);
        b.text(&format!(" tại cuộc họp về {subject}\n\n"));
        let (unit, province) = self.place();
        let province_body = self.style(&format!("Ủy ban nhân dân {unit} {province}"));
        let (m1, c1) = self.ministry();
        let (m2, _) = self.ministry();
        b.entity(
            Label::Date,
            &format!(
                "Ngày {}/{}/{y}",
                self.rng.gen_range(1..=28),
                self.rng.gen_range(1..=12)
            ),
        );
        b.text(", tại trụ sở Chính phủ, ");
        b.entity(Label::Title, "Phó Thủ tướng Chính phủ");
        b.text(" ");
        b.entity(Label::Per, &chair);
        b.text(&format!(
            " đã chủ trì cuộc họp về {subject}. Tham dự cuộc họp có lãnh đạo "
        ));
        b.entity(Label::Org, m1);
        b.text(", ");
        b.entity(Label::Org, m2);
        b.text(", ");
        b.entity(Label::Org, &province_body);
        b.text(" và ");
        b.entity(Label::Org, "Văn phòng Chính phủ");
        b.text(". Sau khi nghe báo cáo của ");
        b.entity(Label::Org, m1);
        b.text(" tại ");
        let (name, kind) =
            [("Tờ trình", "TTr"), ("Báo cáo", "BC"), ("văn bản", c1)][self.rng.gen_range(0..3)];
        let tt = if kind == c1 {
            // A letter's code leads with the issuer: `1407/BXD-KTXD`.
            let unit_code = self.pick(&["KH", "TC", "PC", "HTQT"]);
            format!("{name} số {}", self.state_code(c1, unit_code, false))
        } else {
            format!("{name} số {}", self.state_code(kind, c1, false))
        };
        b.entity(Label::Directive, &tt);
        b.text(" ");
        let d = self.full_date(y);
        b.entity(Label::Date, &d);
        b.text(" và ý kiến của các đại biểu, ");
        b.entity(Label::Title, "Phó Thủ tướng");
        b.text(" kết luận như sau:\n");
        b.text("1. Giao ");
        b.entity(Label::Org, m1);
        b.text(" chủ trì, phối hợp với ");
        b.entity(Label::Org, &province_body);
        b.text(" hoàn thiện hồ sơ, báo cáo ");
        b.entity(Label::Title, "Thủ tướng Chính phủ");
        b.text(" trước ");
        let d = format!(
            "ngày {}/{}/{y}",
            self.rng.gen_range(1..=28),
            self.rng.gen_range(1..=12)
        );
        b.entity(Label::Date, &d);
        b.text(", bảo đảm hoàn thành trong ");
        // `mùa khô năm 2025` is one DATE, the season word inside.
        let season = format!("mùa {} năm {y}", self.pick(&["khô", "mưa", "mưa bão"]));
        b.entity(Label::Date, &season);
        b.text(".\n2. Về đề nghị của ");
        b.entity(Label::Org, &province_body);
        b.text(" tại ");
        let vb = format!("văn bản số {}", {
            let unit_code = self.pick(&["NNMT", "KT", "XD", "TH"]);
            self.state_code("UBND", unit_code, false)
        });
        b.entity(Label::Directive, &vb);
        b.text(": đồng ý về nguyên tắc; ");
        b.entity(Label::Org, m2);
        b.text(" hướng dẫn thực hiện theo quy định tại ");
        self.cite_law(&mut b);
        b.text(".\n");
        b.entity(Label::Org, "Văn phòng Chính phủ");
        b.text(" thông báo để các cơ quan liên quan biết, thực hiện./.\n\n");
        b.text("Nơi nhận:\n- ");
        b.entity(Label::Title, "Thủ tướng");
        b.text(", các ");
        b.entity(Label::Title, "Phó Thủ tướng Chính phủ");
        b.text(";\n- ");
        b.entity(Label::Org, m1);
        b.text(", ");
        b.entity(Label::Org, m2);
        b.text(";\n- ");
        b.entity(
            Label::Org,
            &self.style(&format!(
                "UBND {} {province}",
                if unit == "tỉnh" { "tỉnh" } else { "TP." }
            )),
        );
        b.text(";\n- ");
        b.entity(Label::Org, "VPCP");
        b.text(": ");
        let mut titles = ABBREVIATED_TITLES.to_vec();
        let n = self.rng.gen_range(2..=titles.len());
        for (i, t) in titles.drain(..n).enumerate() {
            if i > 0 {
                b.text(", ");
            }
            if t == "PCN" {
                b.text("các ");
            }
            b.entity(Label::Title, t);
        }
        b.text(", các Vụ: ");
        let units = self.rng.gen_range(1..4);
        for i in 0..units {
            if i > 0 {
                b.text(", ");
            }
            let u = self.pick(OFFICE_UNITS);
            b.entity(Label::Org, u);
        }
        b.text(";\n- Lưu: ");
        b.entity(Label::Org, "VT");
        b.text(", ");
        let u = self.pick(OFFICE_UNITS);
        b.entity(Label::Org, u);
        b.text(&format!(" ({}).\n", self.rng.gen_range(2..4)));
        b.text("KT. ");
        b.entity(Label::Title, "BỘ TRƯỞNG");
        b.text(", ");
        b.entity(Label::Title, "CHỦ NHIỆM");
        b.text("\n");
        b.entity(Label::Title, "PHÓ CHỦ NHIỆM");
        b.text("\n\n\n");
        let signer = self.person();
        b.entity(Label::Per, &signer);
        b.text("\n");
        if !stamped && self.rng.gen_bool(0.3) {
            self.signature_stamp(&mut b, y);
        }
        b.into_document(id)
    }

    /// The e-signature stamp a portal copy carries: signer body, e-mail, time of signing.
    fn signature_stamp(&mut self, b: &mut Builder, y: i32) {
        b.text("Ký bởi: ");
        b.entity(
            Label::Org,
            self.pick(&[
                "Cổng Thông tin điện tử Chính phủ",
                "Văn phòng Chính phủ",
                "CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            ]),
        );
        b.text("\nThời gian ký: ");
        let t = self.signing_time(y);
        b.entity(Label::Date, &t);
        b.text("\nCơ quan: ");
        b.entity(Label::Org, "Văn phòng Chính phủ");
        b.text("\nEmail: vanthu@chinhphu.vn\n\n");
    }

    /// When an e-signature stamp says the document was signed: `05.03.2021 08:02:15 +07:00`.
    pub(super) fn signing_time(&mut self, y: i32) -> String {
        format!(
            "{:02}.{:02}.{y} {:02}:{:02}:{:02} +07:00",
            self.rng.gen_range(1..=28),
            self.rng.gen_range(1..=12),
            self.rng.gen_range(7..19),
            self.rng.gen_range(0..60),
            self.rng.gen_range(0..60)
        )
    }

    /// A news item: timestamp, headline, outlet tag, meeting report, byline.
    pub(super) fn news_item(&mut self, id: String) -> Document {
        let mut b = Builder::new();
        let y = self.rng.gen_range(2012..=2026);
        let (d, m) = (self.rng.gen_range(1..=28), self.rng.gen_range(1..=12));
        let (h, min) = (self.rng.gen_range(6..22), self.rng.gen_range(0..60));
        let weekday = self.pick(&[
            "Thứ Hai",
            "Thứ Ba",
            "Thứ Tư",
            "Thứ Năm",
            "Thứ Sáu",
            "Thứ Bảy",
            "Chủ Nhật",
        ]);
        let stamp = match self.rng.gen_range(0..3) {
            0 => format!("{weekday}, {h:02}:{min:02}, {d:02}/{m:02}/{y}"),
            1 => format!("{d:02}/{m:02}/{y} {h:02}:{min:02}"),
            _ => format!("{weekday}, {d}/{m}/{y} {h:02}:{min:02} (GMT+7)"),
        };
        b.entity(Label::Date, &stamp);
        b.text("\n");
        let leader = self.person();
        let (unit, province) = self.place();
        let title = self.pick(&["Phó Thủ tướng", "Thủ tướng", "Bộ trưởng"]);
        let (ministry, _) = self.ministry();
        let full_title = if title == "Bộ trưởng" {
            format!("Bộ trưởng {ministry}")
        } else {
            title.to_string()
        };
        b.entity(Label::Title, &full_title);
        b.text(" ");
        b.entity(Label::Per, &leader);
        b.text(&format!(" làm việc với {unit} {province}\n"));
        b.text("(");
        b.entity(Label::Org, self.pick(OUTLETS));
        b.text(") - ");
        b.text(self.pick(&["Chiều ", "Sáng ", "Tối ", ""]));
        let day = format!("ngày {d}/{m}");
        b.entity(Label::Date, &day);
        b.text(", ");
        b.entity(Label::Title, &full_title);
        b.text(" ");
        b.entity(Label::Per, &leader);
        b.text(&format!(
            " đã có buổi làm việc với lãnh đạo {unit} {province} về {}.\n",
            self.pick(SUBJECTS)
        ));
        b.text("Cùng dự có ");
        let (m2, _) = self.ministry();
        b.entity(Label::Title, &format!("Thứ trưởng {m2}"));
        b.text(" ");
        let p = self.person();
        b.entity(Label::Per, &p);
        b.text(", lãnh đạo ");
        b.entity(Label::Org, "Văn phòng Chính phủ");
        b.text(" và các bộ, ngành liên quan.\nBáo cáo tại buổi làm việc, ");
        let committee = self.pick(&["UBND", "Ủy ban nhân dân"]);
        let chair = self.style(&format!("Chủ tịch {committee} {unit} {province}"));
        b.entity(Label::Title, &chair);
        b.text(" ");
        let p = self.person();
        b.entity(Label::Per, &p);
        b.text(" cho biết, ");
        // The words before a period (`trong`, `từ`) stay outside; a period word before the
        // year (`đầu năm`) is inside.
        let (before, period) = match self.rng.gen_range(0..4) {
            0 => ("trong ", format!("năm {}", y - 1)),
            1 => ("", format!("6 tháng đầu năm {y}")),
            2 => ("trong ", format!("quý I năm {y}")),
            _ => ("từ ", format!("đầu năm {y}")),
        };
        b.text(before);
        b.entity(Label::Date, &period);
        b.text(&format!(
            ", {unit} đã hoàn thành {} chỉ tiêu chủ yếu; nhiều công trình trọng điểm được khởi công đúng tiến độ.\n",
            self.rng.gen_range(10..25)
        ));
        b.text("Phát biểu kết luận, ");
        b.entity(Label::Title, title);
        b.text(" ghi nhận những kết quả đạt được và đề nghị ");
        b.entity(Label::Org, self.pick(&["Tỉnh ủy", "Thành ủy", "UBND tỉnh"]));
        b.text(" tiếp tục thực hiện nghiêm ");
        let nq = format!("Nghị quyết số {}-NQ/TW", self.rng.gen_range(10..80));
        b.entity(Label::Directive, &nq);
        b.text(" của ");
        b.entity(Label::Org, "Bộ Chính trị");
        b.text(".\n");
        let byline = self.person();
        b.entity(Label::Per, &byline);
        b.text("\n");
        b.into_document(id)
    }
}

/// `Vụ trưởng`, `Cục trưởng`: the head of a department.
fn head_of(dept: &str) -> &'static str {
    if dept.starts_with("Cục") {
        "Cục trưởng"
    } else {
        "Vụ trưởng"
    }
}

/// The abbreviation of a department's name: initials of its capitalized words after the
/// first (`Vụ Pháp chế` → `PC`).
fn abbreviate(name: &str) -> String {
    name.split_whitespace()
        .skip(1)
        .filter_map(|w| w.chars().next())
        .filter(|c| c.is_alphabetic())
        .flat_map(char::to_uppercase)
        .collect()
}

/// The byte offset where the `n`-th line after byte `from` starts, if the text has one.
pub(super) fn nth_line_start(text: &str, from: usize, n: usize) -> Option<usize> {
    text[from..]
        .match_indices('\n')
        .nth(n)
        .map(|(i, _)| from + i + 1)
        .filter(|&p| p < text.len())
}
