//! The one look of Convive's mail: the same content written as plain text and as simple,
//! accessible HTML (no images, no remote resources, no tracking).

/// A piece of a message.
#[derive(Debug, Clone)]
pub enum Block {
    Paragraph(String),
    /// A call to action: label and absolute URL.
    Button(String, String),
    /// Label and value, as in "When: Tuesday…".
    Fact(String, String),
    /// Text shown smaller, after the rest (why you got this, how to stop it).
    Footnote(String),
}

/// Builds the text and HTML bodies of one message.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    title: String,
    blocks: Vec<Block>,
}

impl Layout {
    pub fn new(title: impl Into<String>) -> Self {
        Self {
            title: title.into(),
            blocks: Vec::new(),
        }
    }

    pub fn paragraph(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Paragraph(text.into()));
        self
    }

    pub fn button(mut self, label: impl Into<String>, url: impl Into<String>) -> Self {
        self.blocks.push(Block::Button(label.into(), url.into()));
        self
    }

    pub fn fact(mut self, label: impl Into<String>, value: impl Into<String>) -> Self {
        self.blocks.push(Block::Fact(label.into(), value.into()));
        self
    }

    pub fn footnote(mut self, text: impl Into<String>) -> Self {
        self.blocks.push(Block::Footnote(text.into()));
        self
    }

    pub fn text(&self, instance_name: &str) -> String {
        let mut out = String::new();
        out.push_str(&self.title);
        out.push_str("\n\n");
        for block in &self.blocks {
            match block {
                Block::Paragraph(text) => {
                    out.push_str(text);
                    out.push_str("\n\n");
                }
                Block::Button(label, url) => {
                    out.push_str(&format!("{label}:\n{url}\n\n"));
                }
                Block::Fact(label, value) => {
                    out.push_str(&format!("{label}: {value}\n"));
                }
                Block::Footnote(text) => {
                    out.push_str(&format!("\n-- \n{text}\n"));
                }
            }
        }
        out.push_str(&format!("\n{instance_name}\n"));
        out
    }

    pub fn html(&self, instance_name: &str, lang: &str) -> String {
        let mut body = String::new();
        let mut in_facts = false;
        for block in &self.blocks {
            let is_fact = matches!(block, Block::Fact(..));
            if in_facts && !is_fact {
                body.push_str("</table>\n");
                in_facts = false;
            }
            match block {
                Block::Paragraph(text) => {
                    body.push_str(&format!(
                        "<p style=\"margin:0 0 16px\">{}</p>\n",
                        escape(text).replace('\n', "<br>")
                    ));
                }
                Block::Button(label, url) => {
                    body.push_str(&format!(
                        "<p style=\"margin:24px 0\"><a href=\"{url}\" style=\"background:#1d4ed8;color:#ffffff;padding:12px 20px;border-radius:6px;text-decoration:none;display:inline-block;font-weight:600\">{label}</a></p>\n\
                         <p style=\"margin:0 0 16px;font-size:13px;color:#555555\">{url_text}</p>\n",
                        url = escape(url),
                        label = escape(label),
                        url_text = escape(url),
                    ));
                }
                Block::Fact(label, value) => {
                    if !in_facts {
                        body.push_str("<table role=\"presentation\" style=\"margin:0 0 16px;border-collapse:collapse\">\n");
                        in_facts = true;
                    }
                    body.push_str(&format!(
                        "<tr><th scope=\"row\" style=\"text-align:left;padding:4px 12px 4px 0;vertical-align:top\">{}</th><td style=\"padding:4px 0\">{}</td></tr>\n",
                        escape(label),
                        escape(value).replace('\n', "<br>")
                    ));
                }
                Block::Footnote(text) => {
                    body.push_str(&format!(
                        "<p style=\"margin:32px 0 0;font-size:13px;color:#555555\">{}</p>\n",
                        escape(text)
                    ));
                }
            }
        }
        if in_facts {
            body.push_str("</table>\n");
        }
        format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width\"><title>{title}</title></head>\n\
             <body style=\"margin:0;padding:0;background:#f4f4f5\">\n\
             <div style=\"max-width:560px;margin:0 auto;padding:24px;background:#ffffff;color:#18181b;font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;font-size:16px;line-height:1.5\">\n\
             <h1 style=\"font-size:22px;margin:0 0 20px\">{title}</h1>\n{body}\
             <p style=\"margin:32px 0 0;font-size:13px;color:#555555\">{instance}</p>\n</div>\n</body>\n</html>\n",
            title = escape(&self.title),
            instance = escape(instance_name),
        )
    }
}

/// Escapes text for HTML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_escapes_everything_it_is_given() {
        let layout = Layout::new("<Hello>")
            .paragraph("Tom & \"Jerry\"")
            .button("Go", "https://example.org/?a=1&b=2");
        let html = layout.html("Convive", "en");
        assert!(html.contains("&lt;Hello&gt;"));
        assert!(html.contains("Tom &amp; &quot;Jerry&quot;"));
        assert!(html.contains("href=\"https://example.org/?a=1&amp;b=2\""));
        assert!(!html.contains("<Hello>"));
    }

    #[test]
    fn the_text_part_carries_the_same_content_as_the_html_part() {
        let layout = Layout::new("Title")
            .paragraph("Body")
            .fact("When", "Tomorrow")
            .button("Open", "https://example.org/x");
        let text = layout.text("Convive");
        assert!(text.contains("Title"));
        assert!(text.contains("Body"));
        assert!(text.contains("When: Tomorrow"));
        assert!(text.contains("https://example.org/x"));
    }
}
