//! The Government layout: a resolution or decision of the Government or the Prime Minister
//! as the Official Gazette prints it. It is dense in the names the tagger finds hardest:
//! long names of units, enterprises and councils ending in a place or `Việt Nam`, followed by
//! ordinary words that are not part of them; laws cited by long titles (amending laws,
//! `(sửa đổi)`, the Constitution); recipient lists that name ministries bare after `Các
//! Bộ:`; the issuer `CHÍNH PHỦ` (a body) beside the office `THỦ TƯỚNG CHÍNH PHỦ` (a title);
//! e-signature stamps in several wordings.

use rand::Rng;

use super::state::{nth_line_start, MINISTRIES};
use super::{Builder, Synth};
use crate::doc::{Document, Label};

/// Units a ministry or a province hands over, sets up or reorganizes: (head, names).
const UNIT_KINDS: &[(&str, &[&str])] = &[
    (
        "Vườn quốc gia",
        &[
            "Cúc Phương",
            "Bạch Mã",
            "Cát Tiên",
            "Pù Mát",
            "Tam Đảo",
            "Yok Đôn",
            "Chư Mom Ray",
        ],
    ),
    (
        "Khu bảo tồn thiên nhiên",
        &[
            "Pù Luông",
            "Xuân Liên",
            "Ngọc Linh",
            "Bà Nà - Núi Chúa",
            "Phong Điền",
        ],
    ),
    (
        "Bệnh viện",
        &[
            "Đa khoa Trung ương Cần Thơ",
            "Hữu nghị Việt Đức",
            "Nội tiết Trung ương",
            "Phổi Trung ương",
            "Đa khoa khu vực Tây Nguyên",
        ],
    ),
    (
        "Trường Đại học",
        &[
            "Kinh tế Quốc dân",
            "Sư phạm Kỹ thuật Vinh",
            "Nông Lâm Bắc Giang",
            "Y Dược Thái Bình",
            "Văn hóa Thành phố Hồ Chí Minh",
        ],
    ),
    (
        "Viện",
        &[
            "Chiến lược và Chính sách tài chính",
            "Khoa học Lâm nghiệp Việt Nam",
            "Dinh dưỡng quốc gia",
            "Nghiên cứu quản lý kinh tế Trung ương",
            "Khoa học Thủy lợi miền Nam",
        ],
    ),
    (
        "Trung tâm",
        &[
            "Lưu trữ quốc gia III",
            "Phục vụ hành chính công tỉnh Quảng Trị",
            "Kiểm soát bệnh tật thành phố Hải Phòng",
            "Đăng kiểm xe cơ giới Bình Định",
            "Quan trắc môi trường miền Bắc",
        ],
    ),
    (
        "Tổng công ty",
        &[
            "Đường sắt Việt Nam",
            "Bưu điện Việt Nam",
            "Lương thực miền Nam",
            "Quản lý bay Việt Nam",
            "Đầu tư và Kinh doanh vốn nhà nước",
            "Cảng hàng không Việt Nam",
        ],
    ),
    (
        "Công ty TNHH MTV",
        &[
            "Xổ số kiến thiết Long An",
            "Thủy lợi Bắc Nghệ An",
            "Lâm nghiệp Con Cuông",
            "Cao su Chư Prông",
            "Môi trường đô thị Quy Nhơn",
        ],
    ),
    (
        "Ngân hàng",
        &[
            "Chính sách xã hội",
            "Phát triển Việt Nam",
            "Nhà nước Việt Nam",
            "Nông nghiệp và Phát triển nông thôn Việt Nam",
        ],
    ),
    (
        "Ban Quản lý",
        &[
            "các khu công nghiệp tỉnh Bắc Ninh",
            "dự án đầu tư xây dựng công trình giao thông tỉnh Hà Tĩnh",
            "Khu công nghệ cao Hòa Lạc",
            "dự án đường sắt",
            "Khu kinh tế cửa khẩu tỉnh Lạng Sơn",
        ],
    ),
    (
        "Cục",
        &[
            "Hàng hải và Đường thủy Việt Nam",
            "Thuế tỉnh Gia Lai",
            "Quản lý thị trường tỉnh Sơn La",
            "Quản lý đất đai",
            "Kiểm định xây dựng",
        ],
    ),
    (
        "Bảo hiểm xã hội",
        &[
            "Việt Nam",
            "tỉnh Thanh Hóa",
            "thành phố Cần Thơ",
            "khu vực XII",
        ],
    ),
    (
        "Kho bạc Nhà nước",
        &["khu vực IV", "tỉnh Điện Biên", "thành phố Đà Nẵng"],
    ),
    (
        "Hội đồng",
        &[
            "thẩm định giá đất tỉnh Tây Ninh",
            "quốc gia về phát triển bền vững",
            "quản lý Quỹ bảo hiểm y tế",
            "thẩm định nhà nước các dự án quan trọng quốc gia",
            "Giáo sư nhà nước",
        ],
    ),
    (
        "Ban Chỉ đạo",
        &[
            "quốc gia về phòng, chống thiên tai",
            "Trung ương về phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số",
            "các chương trình mục tiêu quốc gia giai đoạn thực hiện tiếp theo",
            "nhà nước các công trình, dự án trọng điểm ngành giao thông vận tải",
            "Trung ương về phòng, chống buôn lậu, gian lận thương mại và hàng giả",
        ],
    ),
    (
        "Tổ công tác",
        &[
            "liên ngành về tháo gỡ khó khăn cho các dự án tồn đọng",
            "rà soát văn bản quy phạm pháp luật",
            "đặc biệt về giải phóng mặt bằng đường cao tốc Bắc - Nam",
        ],
    ),
];

/// Bodies that stand alone with their full name.
const NATIONAL: &[&str] = &[
    "Tòa án nhân dân tối cao",
    "Viện kiểm sát nhân dân tối cao",
    "Kiểm toán nhà nước",
    "Tổng Liên đoàn Lao động Việt Nam",
    "Liên đoàn Thương mại và Công nghiệp Việt Nam",
    "Đài Truyền hình Việt Nam",
    "Thông tấn xã Việt Nam",
    "Ủy ban Quản lý vốn nhà nước tại doanh nghiệp",
    "Hội Liên hiệp Phụ nữ Việt Nam",
    "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam",
    "Viện Hàn lâm Khoa học và Công nghệ Việt Nam",
    "Đại học Quốc gia Hà Nội",
];

/// What a resolution does to a unit, around two ORG slots: before, between and after.
const TRANSFERS: &[(&str, &str, &str)] = &[
    ("Chuyển giao nguyên trạng ", " về ", " trực tiếp quản lý"),
    (
        "Giao ",
        " chủ trì, phối hợp với ",
        " bảo đảm đúng tiến độ đề ra",
    ),
    (
        "Sáp nhập ",
        " vào ",
        " kể từ ngày Nghị quyết này có hiệu lực",
    ),
    (
        "Đồng ý để ",
        " tiếp nhận ",
        " và bảo đảm hoạt động không bị gián đoạn",
    ),
    (
        "Yêu cầu ",
        " phối hợp chặt chẽ với ",
        " khẩn trương tổ chức thực hiện",
    ),
    // Two bodies coordinated by `và` are two spans.
    ("Giao ", " và ", " phối hợp tổ chức thực hiện"),
];

/// Verbs that follow a body's name directly and are not part of it.
const AFTER_ORG: &[&str] = &[
    " quản lý",
    " thực hiện",
    " chịu trách nhiệm",
    " khẩn trương báo cáo",
    " tổ chức triển khai",
    " và các cơ quan liên quan",
];

/// Ordinances, cited as `Pháp lệnh …`.
const ORDINANCES: &[&str] = &[
    "Dân số",
    "Phí và lệ phí",
    "Chi phí tố tụng",
    "Tín ngưỡng, tôn giáo",
    "Quản lý, bảo vệ công trình quốc phòng và khu quân sự",
    "Thủ tục bắt giữ tàu biển",
];

impl Synth {
    /// A long, specific unit name: head, what it is, often a place or `Việt Nam`.
    pub(super) fn unit_name(&mut self) -> String {
        let s = if self.rng.gen_bool(0.2) {
            self.pick(NATIONAL).to_string()
        } else if self.rng.gen_bool(0.25) {
            let provinces = self.g.provinces.clone();
            let cities = self.g.cities.clone();
            let place = if self.rng.gen_bool(0.5) {
                format!("tỉnh {}", self.pick(&provinces))
            } else {
                format!(
                    "{} {}",
                    self.pick(&["thành phố", "Thành phố", "TP."]),
                    self.pick(&cities)
                )
            };
            let head = self.pick(&[
                "Ủy ban nhân dân",
                "UBND",
                "Hội đồng nhân dân",
                "Thường trực Hội đồng nhân dân",
                "Sở Tài chính",
                "Sở Xây dựng",
                "Công an",
                "Ban Thường vụ Tỉnh ủy",
            ]);
            if head.ends_with("Tỉnh ủy") {
                format!(
                    "{} {}",
                    self.pick(&["Tỉnh ủy", "Thành ủy"]),
                    self.pick(&cities)
                )
            } else {
                format!("{head} {place}")
            }
        } else {
            let (head, names) = UNIT_KINDS[self.rng.gen_range(0..UNIT_KINDS.len())];
            format!("{head} {}", self.pick(names))
        };
        self.style(&s)
    }

    /// A law or ordinance cited by title in one of its long forms, as one DIRECTIVE.
    fn long_law(&mut self) -> String {
        let name = self.law_title();
        let y = self.rng.gen_range(2010..=2025);
        match self.rng.gen_range(0..8) {
            0 => format!("Luật sửa đổi, bổ sung một số điều của {name}"),
            1 => format!("{name} (sửa đổi)"),
            2 => "Hiến pháp nước Cộng hòa xã hội chủ nghĩa Việt Nam năm 2013".to_string(),
            3 => format!(
                "{name} số {}/{y}/QH{}",
                self.rng.gen_range(10..120),
                self.rng.gen_range(12..=15)
            ),
            4 => format!("Pháp lệnh {}", self.pick(ORDINANCES)),
            5 => format!("{name} năm {y}"),
            _ => name,
        }
    }

    /// A Government resolution or a Prime Minister's decision, as the Gazette prints it.
    pub(super) fn government_document(&mut self, id: String) -> Document {
        let mut b = Builder::new();
        let y = self.rng.gen_range(2019..=2026);
        if self.rng.gen_bool(0.25) {
            return self.unit_decision(id, y);
        }
        let by_pm = self.rng.gen_bool(0.5);
        let (issuer, code, doc_name) = if by_pm {
            ("THỦ TƯỚNG CHÍNH PHỦ", "QĐ-TTg", "QUYẾT ĐỊNH")
        } else {
            ("CHÍNH PHỦ", "NQ-CP", "NGHỊ QUYẾT")
        };
        let number = self.rng.gen_range(10..2000);
        // The issuer above the number: a body, or the Prime Minister's office.
        let label = if by_pm { Label::Title } else { Label::Org };
        b.entity(label, issuer);
        b.text(&format!(
            "{:>w$}\n",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            w = 58 - issuer.chars().count()
        ));
        // The rule under the issuer comes first on the motto's line, as columns flatten.
        let rule = "-".repeat(self.rng.gen_range(5..9));
        b.text(&format!(
            "{rule:>10}{:>42}\n",
            "Độc lập - Tự do - Hạnh phúc"
        ));
        let own = format!(
            "Số: {number}/{}",
            if by_pm {
                code.to_string()
            } else {
                format!("{y}/{code}")
            }
        );
        b.entity(Label::Directive, &own);
        b.text(&format!(
            "{:>w$}",
            "Hà Nội, ",
            w = 44 - own.chars().count().min(40)
        ));
        let d = self.full_date(y);
        b.entity(Label::Date, &d);
        b.text(&format!("\n\n{doc_name}\n"));
        let subject_kind = self.rng.gen_range(0..3);
        // A committee is consolidated; any unit is handed over or given a task.
        let unit = if subject_kind == 1 {
            let (head, names) =
                UNIT_KINDS[self.rng.gen_range(UNIT_KINDS.len() - 3..UNIT_KINDS.len())];
            let name = format!("{head} {}", self.pick(names));
            self.style(&name)
        } else {
            self.unit_name()
        };
        let receiver = self.unit_name();
        match subject_kind {
            0 => {
                b.text("Về việc chuyển giao ");
                b.entity(Label::Org, &unit);
                b.text("\nvề ");
                b.entity(Label::Org, &receiver);
                b.text(" quản lý\n\n");
            }
            1 => {
                b.text("Kiện toàn ");
                b.entity(Label::Org, &unit);
                b.text("\n\n");
            }
            _ => {
                b.text("Về việc giao nhiệm vụ cho ");
                b.entity(Label::Org, &unit);
                b.text("\n\n");
            }
        }
        let body_start = b.text.len();
        if by_pm {
            b.entity(Label::Title, "THỦ TƯỚNG CHÍNH PHỦ");
        } else {
            b.entity(Label::Org, "CHÍNH PHỦ");
        }
        b.text("\n\n");
        for _ in 0..self.rng.gen_range(2..6) {
            b.text("Căn cứ ");
            let law = self.long_law();
            b.entity(Label::Directive, &self.style(&law));
            if self.rng.gen_bool(0.5) {
                b.text(" ");
                let year = self.rng.gen_range(2012..=2025);
                let d = self.full_date(year);
                b.entity(Label::Date, &d);
            }
            b.text(";\n");
        }
        b.text("Căn cứ ");
        let decree = format!("Nghị định số {}", self.state_code("NĐ", "CP", true));
        b.entity(Label::Directive, &decree);
        b.text(" của ");
        b.entity(Label::Org, "Chính phủ");
        b.text(";\n");
        if self.rng.gen_bool(0.3) {
            b.text("Thực hiện chủ trương của ");
            b.entity(Label::Org, "Đảng");
            b.text(", chính sách, pháp luật của ");
            b.entity(Label::Org, "Nhà nước");
            b.text(" về quản lý nhà nước đối với đơn vị sự nghiệp công lập;\n");
        }
        let (ministry, ministry_code) = self.ministry();
        b.text("Theo ");
        let submission = format!(
            "Tờ trình số {}/TTr-{ministry_code}",
            self.rng.gen_range(10..900)
        );
        b.entity(Label::Directive, &submission);
        b.text(" của ");
        b.entity(Label::Title, &format!("Bộ trưởng {ministry}"));
        if !by_pm {
            b.text(";\nTrên cơ sở ý kiến biểu quyết của các Thành viên ");
            b.entity(Label::Org, "Chính phủ");
            b.text(",\n\nQUYẾT NGHỊ:\n\n");
        } else {
            b.text(",\n\nQUYẾT ĐỊNH:\n\n");
        }
        if subject_kind == 1 {
            self.member_list(&mut b, &unit);
        }
        let first_article = if subject_kind == 1 { 2 } else { 1 };
        let articles = self.rng.gen_range(first_article + 1..first_article + 4);
        for art in first_article..=articles {
            b.text(&format!("Điều {art}. "));
            let (before, between, after) = TRANSFERS[self.rng.gen_range(0..TRANSFERS.len())];
            b.text(before);
            let first = if art == first_article {
                unit.clone()
            } else {
                self.unit_name()
            };
            b.entity(Label::Org, &first);
            b.text(between);
            let second = self.unit_name();
            b.entity(Label::Org, &second);
            b.text(after);
            b.text(".\n");
            if self.rng.gen_bool(0.6) {
                b.text("Việc quản lý, sử dụng đất đai, tài sản tại ");
                b.entity(Label::Org, &first);
                b.text(" thực hiện theo quy định của ");
                let law = self.long_law();
                b.entity(Label::Directive, &self.style(&law));
                b.text(".\n");
            }
            if self.rng.gen_bool(0.5) {
                let third = self.unit_name();
                b.entity(Label::Org, &third);
                b.text(self.pick(AFTER_ORG));
                b.text(" việc rà soát, bàn giao hồ sơ, tài liệu trước ");
                let d = self.full_date(y);
                b.entity(Label::Date, &d);
                b.text(".\n");
            }
        }
        b.text(&format!(
            "Điều {}. Các Bộ trưởng, Thủ trưởng cơ quan ngang bộ, Thủ trưởng cơ quan thuộc ",
            articles + 1
        ));
        b.entity(Label::Org, "Chính phủ");
        b.text(", ");
        b.entity(Label::Title, "Chủ tịch Ủy ban nhân dân");
        b.text(" các tỉnh, thành phố trực thuộc trung ương chịu trách nhiệm thi hành ");
        b.text(if by_pm {
            "Quyết định"
        } else {
            "Nghị quyết"
        });
        b.text(" này./.\n\n");
        self.recipients(&mut b);
        if by_pm {
            b.text("KT. ");
            b.entity(Label::Title, "THỦ TƯỚNG");
            b.text("\n");
            b.entity(Label::Title, "PHÓ THỦ TƯỚNG");
        } else {
            b.text("TM. ");
            b.entity(Label::Org, "CHÍNH PHỦ");
            b.text("\nKT. ");
            b.entity(Label::Title, "THỦ TƯỚNG");
            b.text("\n");
            b.entity(Label::Title, "PHÓ THỦ TƯỚNG");
        }
        b.text("\n\n\n");
        let signer = self.person();
        b.entity(Label::Per, &signer);
        b.text("\n");
        b.wrap(body_start, self.rng.gen_range(75..100));
        let header_date = format!(
            "Ngày {:02}-{:02}-{y}",
            self.rng.gen_range(1..=28),
            self.rng.gen_range(1..=12)
        );
        self.paginate(&mut b, body_start, number, &header_date);
        // Portal copies print the stamp where the signature image was, often mid-text.
        let mut stamp = Builder::new();
        self.stamp(&mut stamp, y);
        let lines = b.text[body_start..].matches('\n').count();
        let at = nth_line_start(&b.text, body_start, self.rng.gen_range(0..lines.max(1)))
            .filter(|&p| !b.spans.iter().any(|s| s.start < p && p < s.end))
            .unwrap_or(b.text.len());
        b.insert(at, &stamp.text, &stamp.spans);
        b.into_document(id)
    }

    /// A decision of a ministry's department (`Tổng cục`, `Cục`) as a legal database gives
    /// it: the two-line header flattened onto one line with the motto, two ORGs side by
    /// side; a regulation issued with it (`Ban hành kèm theo`: a verb, not a board).
    fn unit_decision(&mut self, id: String, y: i32) -> Document {
        let mut b = Builder::new();
        let (ministry, _) = self.ministry();
        let (unit, code) = self.pick_pair(&[
            ("Tổng cục Thuế", "TCT"),
            ("Tổng cục Hải quan", "TCHQ"),
            ("Tổng cục Thống kê", "TCTK"),
            ("Cục Đường thủy nội địa Việt Nam", "CĐTNĐ"),
            ("Cục Quản lý khám, chữa bệnh", "KCB"),
            ("Cục Quản lý chất lượng", "QLCL"),
        ]);
        let number = self.rng.gen_range(100..3000);
        // The title line a legal database puts first.
        b.entity(Label::Directive, &format!("Quyết định {number}/QĐ-{code}"));
        b.text(" ");
        b.entity(Label::Date, &format!("năm {y}"));
        b.text("\n");
        // Both columns run together: the issuer and its unit, the number, the motto broken by
        // the place-date line.
        b.entity(Label::Org, &ministry.to_uppercase());
        b.text(" ");
        b.entity(Label::Org, &unit.to_uppercase());
        b.text(" ------- ");
        b.entity(Label::Directive, &format!("Số: {number}/QĐ-{code}"));
        b.text("\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\tHà Nội, ");
        let d = self.full_date(y);
        b.entity(Label::Date, &d);
        b.text("\nĐộc lập - Tự do - Hạnh phúc");
        let subject = self.pick(&[
            "quy trình tiếp nhận, xử lý hồ sơ đề nghị",
            "quy chế làm việc",
            "kế hoạch kiểm tra nội bộ",
            "quy chế phối hợp trong công tác thanh tra",
        ]);
        let upper_unit = unit.to_uppercase();
        let heading = match self.rng.gen_range(0..3) {
            0 => format!("VỀ VIỆC BAN HÀNH {}", subject.to_uppercase()),
            1 => format!("BAN HÀNH {}", subject.to_uppercase()),
            _ => format!("V/v ban hành {subject}"),
        };
        b.text(&format!("\nQUYẾT ĐỊNH\n{heading}\n"));
        let head = if unit.starts_with("Tổng cục") {
            "TỔNG CỤC TRƯỞNG"
        } else {
            "CỤC TRƯỞNG"
        };
        b.entity(Label::Title, &format!("{head} {upper_unit}"));
        b.text("\nCăn cứ ");
        let law = self.long_law();
        b.entity(Label::Directive, &self.style(&law));
        b.text(";\nCăn cứ ");
        let decision = format!("Quyết định số {}", self.state_code("QĐ", "TTg", true));
        b.entity(Label::Directive, &decision);
        b.text(" quy định nhiệm vụ, quyền hạn và tổ chức bộ máy của ");
        b.entity(Label::Org, unit);
        b.text(";\nXét đề nghị của ");
        b.entity(Label::Title, "Chánh Văn phòng");
        b.text(",\nQUYẾT ĐỊNH:\nĐiều 1.\nBan hành kèm theo Quyết định này ");
        b.text(subject);
        b.text(".\nĐiều 2. Quyết định này có hiệu lực kể từ ngày ký.\nĐiều 3. ");
        b.entity(Label::Title, "Chánh Văn phòng");
        b.text(", Thủ trưởng các đơn vị thuộc ");
        b.entity(Label::Org, unit);
        b.text(" và ");
        let other = self.unit_name();
        b.entity(Label::Org, &other);
        b.text(" chịu trách nhiệm thi hành Quyết định này./.\n(");
        b.text("Ban hành kèm theo ");
        b.entity(
            Label::Directive,
            &format!("Quyết định số {number}/QĐ-{code}"),
        );
        b.text(")\nNơi nhận:\n- Như Điều 3;\n- Lưu: ");
        b.entity(Label::Org, "VT");
        b.text(" (2b).\nKT. ");
        b.entity(Label::Title, head);
        b.text("\n");
        b.entity(Label::Title, &format!("PHÓ {head}"));
        b.text("\n");
        let signer = self.person();
        b.entity(Label::Per, &signer);
        b.text("\n");
        b.into_document(id)
    }

    fn pick_pair(
        &mut self,
        items: &[(&'static str, &'static str)],
    ) -> (&'static str, &'static str) {
        items[self.rng.gen_range(0..items.len())]
    }

    /// `Điều 1.` of a decision that sets up a committee: who sits on it.
    fn member_list(&mut self, b: &mut Builder, unit: &str) {
        b.text("Điều 1. Kiện toàn ");
        b.entity(Label::Org, unit);
        b.text(" (sau đây gọi tắt là ");
        let short = ["Ban Chỉ đạo", "Tổ công tác", "Hội đồng"]
            .into_iter()
            .find(|h| unit.starts_with(h))
            .unwrap_or("Ban Chỉ đạo");
        b.entity(Label::Org, short);
        b.text("), gồm các thành viên sau:\n");
        let roles = ["Trưởng ban", "Phó Trưởng ban", "Ủy viên", "Ủy viên"];
        for (i, role) in roles.iter().enumerate() {
            b.text(&format!("{}. ", i + 1));
            if self.rng.gen_bool(0.5) {
                b.text("Đồng chí ");
                let p = self.person();
                b.entity(Label::Per, &p);
                b.text(", ");
            } else {
                b.text("01 ");
            }
            let (ministry, _) = self.ministry();
            let position = self.pick(&["Bộ trưởng", "Thứ trưởng", "Phó Chủ nhiệm Văn phòng"]);
            let title = if position.starts_with("Phó Chủ nhiệm") {
                format!("{position} Văn phòng Chính phủ")
                    .replace("Văn phòng Văn phòng", "Văn phòng")
            } else {
                format!("{position} {ministry}")
            };
            b.entity(Label::Title, &title);
            b.text(" - ");
            b.entity(Label::Title, role);
            b.text(";\n");
        }
    }

    /// `Nơi nhận:` with ministries named bare after `Các Bộ:`, each an ORG.
    fn recipients(&mut self, b: &mut Builder) {
        b.text("Nơi nhận:\n- ");
        b.entity(Label::Org, "Ban Bí thư Trung ương Đảng");
        b.text(";\n- ");
        b.entity(Label::Title, "Thủ tướng");
        b.text(", các ");
        b.entity(Label::Title, "Phó Thủ tướng Chính phủ");
        b.text(";\n- ");
        b.text(self.pick(&["Các Bộ: ", "Các bộ: ", "Bộ: "]));
        let n = self.rng.gen_range(2..6);
        let start = self.rng.gen_range(0..MINISTRIES.len());
        for i in 0..n {
            if i > 0 {
                b.text(", ");
            }
            let (name, _) = MINISTRIES[(start + i * 3) % MINISTRIES.len()];
            b.entity(Label::Org, name.trim_start_matches("Bộ "));
        }
        b.text(";\n- ");
        let unit = self.unit_name();
        b.entity(Label::Org, &unit);
        b.text(";\n- Ủy ban nhân dân các tỉnh, thành phố trực thuộc trung ương;\n- ");
        b.entity(Label::Org, "VPCP");
        b.text(": ");
        b.entity(Label::Title, "BTCN");
        b.text(", các ");
        b.entity(Label::Title, "PCN");
        b.text(", ");
        b.entity(Label::Org, "Công báo");
        b.text(";\n- Lưu: ");
        b.entity(Label::Org, "VT");
        b.text(", ");
        b.entity(Label::Org, self.pick(&["KGVX", "NN", "KTTH", "CN", "PL"]));
        b.text(&format!(" ({}b).\n", self.rng.gen_range(2..30)));
    }

    /// An e-signature stamp in one of the wordings portal copies carry.
    fn stamp(&mut self, b: &mut Builder, y: i32) {
        let signer = self.pick(&[
            "CÔNG BÁO NƯỚC CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
            "Cổng Thông tin điện tử Chính phủ",
            "CỔNG THÔNG TIN ĐIỆN TỬ CHÍNH PHỦ",
            "VĂN PHÒNG CHÍNH PHỦ",
        ]);
        b.text(self.pick(&["Ký bởi: ", "Người ký: "]));
        b.entity(Label::Org, signer);
        b.text("\n");
        if self.rng.gen_bool(0.5) {
            b.text("Email: thongtin@example.gov.vn\n");
        }
        b.text("Cơ quan: ");
        b.entity(
            Label::Org,
            self.pick(&["VĂN PHÒNG CHÍNH PHỦ", "Văn phòng Chính phủ"]),
        );
        b.text("\nThời gian ký: ");
        let t = self.signing_time(y);
        b.entity(Label::Date, &t);
        b.text("\n");
    }
}
