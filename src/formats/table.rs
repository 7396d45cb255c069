//! Output for people: a plain-text table per document, and one standalone HTML page.

use std::io::{self, Write};

use crate::doc::{Document, Label};
use crate::formats::Sink;
use crate::text::CharOffsets;
use crate::values::{analyze, EntityValue, Normalized};

/// Shows a span's text on one line: line breaks and tabs become spaces.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

pub struct TableSink<'w> {
    out: Box<dyn Write + 'w>,
    /// Add each entity's value and the document's relations.
    values: bool,
}

impl<'w> TableSink<'w> {
    pub fn new(out: Box<dyn Write + 'w>, values: bool) -> Self {
        TableSink { out, values }
    }
}

/// A short human reading of an entity's value.
fn value_text(v: &EntityValue) -> String {
    match &v.normalized {
        Some(Normalized::Date(d)) => match (&d.iso, &d.warning) {
            (Some(iso), _) => iso.clone(),
            (None, Some(w)) => format!(
                "({})",
                serde_json::to_value(w)
                    .ok()
                    .and_then(|j| j.as_str().map(str::to_string))
                    .unwrap_or_default()
            ),
            (None, None) => String::new(),
        },
        Some(Normalized::Directive(d)) => d.canonical.clone().unwrap_or_default(),
        Some(Normalized::Title(t)) => match &t.org {
            Some(org) => format!("{} @ {org}", t.role),
            None => t.role.clone(),
        },
        None => String::new(),
    }
}

impl Sink for TableSink<'_> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        let offsets = CharOffsets::new(&doc.text);
        writeln!(
            self.out,
            "{} ({} characters, {} entities)",
            doc.id,
            offsets.char_len(),
            doc.spans.len()
        )?;
        let analysis = self.values.then(|| analyze(doc));
        let texts: Vec<String> = doc
            .spans
            .iter()
            .map(|s| one_line(doc.span_text(s)))
            .collect();
        let width = texts
            .iter()
            .map(|t| t.chars().count())
            .max()
            .unwrap_or(4)
            .clamp(4, 50);
        writeln!(
            self.out,
            "  {:<10} {:>7} {:>7}  {:<width$}{}",
            "label",
            "start",
            "end",
            "text",
            if self.values { "  value" } else { "" }
        )?;
        for (i, s) in doc.spans.iter().enumerate() {
            let value = analysis
                .as_ref()
                .map(|a| format!("  {}", value_text(&a.entities[i])))
                .unwrap_or_default();
            let line = format!(
                "  {:<10} {:>7} {:>7}  {:<width$}{value}",
                s.label.as_str(),
                offsets.to_char(s.start).unwrap_or(0),
                offsets.to_char(s.end).unwrap_or(0),
                texts[i],
            );
            writeln!(self.out, "{}", line.trim_end())?;
        }
        if let Some(a) = analysis.filter(|a| !a.relations.is_empty()) {
            writeln!(self.out, "  relations:")?;
            for r in &a.relations {
                let (x, y) = r.ends();
                writeln!(
                    self.out,
                    "    {:<10} {}  →  {}",
                    r.kind(),
                    texts[x],
                    texts[y]
                )?;
            }
        }
        writeln!(self.out)
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn colour(label: Label) -> &'static str {
    match label {
        Label::Per => "#ffd6a5",
        Label::Title => "#caffbf",
        Label::Org => "#9bf6ff",
        Label::Date => "#ffc6ff",
        Label::Directive => "#fdffb6",
    }
}

pub struct HtmlSink<'w> {
    out: Box<dyn Write + 'w>,
    started: bool,
}

impl<'w> HtmlSink<'w> {
    pub fn new(out: Box<dyn Write + 'w>) -> Self {
        HtmlSink {
            out,
            started: false,
        }
    }

    fn start(&mut self) -> io::Result<()> {
        if self.started {
            return Ok(());
        }
        self.started = true;
        let mut style = String::new();
        let mut legend = String::new();
        for l in Label::ALL {
            style.push_str(&format!(
                "mark.{0}{{background:{1}}} mark.{0}::after{{content:\" {0}\";font-size:.65em;font-weight:bold}}\n",
                l.as_str(),
                colour(l)
            ));
            legend.push_str(&format!("<mark class=\"{0}\">{0}</mark> ", l.as_str()));
        }
        write!(
            self.out,
            "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n<title>vaner</title>\n<style>\n\
             body{{font-family:sans-serif;max-width:60em;margin:auto;padding:1em}}\n\
             pre{{white-space:pre-wrap;line-height:1.7;font-family:inherit}}\n\
             mark{{padding:0 .15em;border-radius:.2em}}\n{style}</style>\n</head>\n<body>\n\
             <p class=\"legend\">{legend}</p>\n"
        )
    }
}

impl Sink for HtmlSink<'_> {
    fn document(&mut self, doc: &Document) -> io::Result<()> {
        self.start()?;
        let mut body = String::with_capacity(doc.text.len() * 2);
        let mut at = 0;
        for s in &doc.spans {
            body.push_str(&escape(&doc.text[at..s.start]));
            body.push_str(&format!(
                "<mark class=\"{0}\" title=\"{0}\">{1}</mark>",
                s.label.as_str(),
                escape(doc.span_text(s))
            ));
            at = s.end;
        }
        body.push_str(&escape(&doc.text[at..]));
        writeln!(
            self.out,
            "<section>\n<h2>{}</h2>\n<pre>{}</pre>\n</section>",
            escape(&doc.id),
            body
        )
    }

    fn finish(&mut self) -> io::Result<()> {
        self.start()?;
        writeln!(self.out, "</body>\n</html>")?;
        self.out.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::formats::inline;

    #[test]
    fn html_escapes_and_highlights() {
        let doc = inline::parse("<id>", "x", "a <ORG>Công ty \"A&B\"</ORG> <script>").unwrap();
        let mut buf = Vec::new();
        {
            let mut sink = HtmlSink::new(Box::new(&mut buf));
            sink.document(&doc).unwrap();
            sink.finish().unwrap();
        }
        let html = String::from_utf8(buf).unwrap();
        assert!(html.starts_with("<!DOCTYPE html>"));
        assert!(html.contains("<h2>&lt;id&gt;</h2>"));
        assert!(html.contains(
            "<mark class=\"ORG\" title=\"ORG\">Công ty &quot;A&amp;B&quot;</mark> &lt;script&gt;"
        ));
        assert!(html.trim_end().ends_with("</html>"));
    }

    #[test]
    fn table_shows_char_offsets() {
        let doc = inline::parse("d", "x", "Ông <PER>Lê\nVăn</PER>").unwrap();
        let mut buf = Vec::new();
        {
            let mut sink = TableSink::new(Box::new(&mut buf), false);
            sink.document(&doc).unwrap();
        }
        let s = String::from_utf8(buf).unwrap();
        assert!(s.contains("PER              4      10  Lê Văn"), "{s}");
    }
}
