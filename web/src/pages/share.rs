//! Sharing an event from its page: its address in a plain field to copy, and a QR code of that
//! address drawn here as inline SVG, so a phone held up to a screen or a printed page opens it
//! without any request to another site.

/// The QR code of `url` as an SVG element, named `label` for assistive technology; `None` for
/// an address too long for a QR code (ours never are).
pub fn qr_code(url: &str, label: &str) -> Option<String> {
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    // One unit a module: the stylesheet gives it its size, and it scales without blur.
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .module_dimensions(1, 1)
        .quiet_zone(true)
        .build();
    let svg = svg
        .strip_prefix(r#"<?xml version="1.0" standalone="yes"?>"#)
        .unwrap_or(&svg);
    Some(svg.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{}\" ", attribute(label)),
        1,
    ))
}

fn attribute(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_qr_code_is_an_inline_svg_with_its_name_and_nothing_to_fetch() {
        let svg = qr_code("https://convive.example/events/0b6e", "QR \"code\"").unwrap();
        assert!(
            svg.starts_with(r#"<svg role="img" aria-label="QR &quot;code&quot;" xmlns="http://www.w3.org/2000/svg""#),
            "{svg}"
        );
        assert!(svg.ends_with("</svg>"));
        assert!(!svg.contains("href"), "nothing linked from elsewhere");
        // A version-3 code of 29 modules, with its quiet zone of 4 on each side.
        assert!(svg.contains(r#"viewBox="0 0 37 37""#), "{svg}");
    }
}
