//! Colour contrast of both palettes in `style/main.css`, beyond what axe-core sees: axe checks
//! text it finds on a page, this checks every colour we define, including control borders,
//! status colours and the focus ring (WCAG 2.2: 4.5:1 for text, 3:1 for UI components).

use std::collections::BTreeMap;

type Palette = BTreeMap<String, String>;

/// The `--name: #rrggbb;` declarations inside the first block that follows `opening`.
fn palette(css: &str, opening: &str) -> Palette {
    let start = css.find(opening).unwrap_or_else(|| panic!("style/main.css has no `{opening}`"));
    let body = &css[start + opening.len()..];
    let body = &body[..body.find('}').expect("block ends")];
    body.split(';')
        .filter_map(|decl| {
            let (name, value) = decl.split_once(':')?;
            let (name, value) = (name.trim(), value.trim());
            (name.starts_with("--") && value.starts_with('#')).then(|| (name[2..].to_owned(), value.to_owned()))
        })
        .collect()
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).expect("hex colour")) / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn ratio(a: &str, b: &str) -> f64 {
    let (la, lb) = (luminance(a), luminance(b));
    (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
}

fn css() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/main.css")).expect("read style/main.css")
}

/// Checks one palette; returns every pair below its minimum.
fn failures(name: &str, p: &Palette) -> Vec<String> {
    let text = ["text", "muted", "accent", "done", "progress", "skipped", "error"];
    // Skill-tree edges and status marks are graphics a learner reads (WCAG 1.4.11).
    let components = ["control", "edge", "focus", "done", "progress", "skipped"];
    let mut out = Vec::new();
    for background in ["bg", "surface"] {
        let bg = &p[background];
        for (colours, min) in [(&text[..], 4.5), (&components[..], 3.0)] {
            for fg in colours {
                let r = ratio(&p[*fg], bg);
                if r < min {
                    out.push(format!("{name}: --{fg} on --{background} is {r:.2}:1, needs {min}:1"));
                }
            }
        }
    }
    // A done box is filled: its text sits on --done.
    let r = ratio(&p["on-done"], &p["done"]);
    if r < 4.5 {
        out.push(format!("{name}: --on-done on --done is {r:.2}:1, needs 4.5:1"));
    }
    out
}

#[test]
fn edges_and_boxes_are_drawn_in_the_checked_colours() {
    let css = css();
    let rule = |selector: &str| {
        let start = css.find(&format!("{selector} {{")).unwrap_or_else(|| panic!("no rule `{selector}`"));
        css[start..start + css[start..].find('}').expect("rule ends")].to_owned()
    };
    assert!(rule(".edges path").contains("stroke: var(--edge)"), "{}", rule(".edges path"));
    assert!(rule(".arrow").contains("fill: var(--edge)"));
    assert!(rule(r#".node[data-status="done"]"#).contains("color: var(--on-done)"));
}

#[test]
fn the_ratio_formula_matches_known_values() {
    assert!((ratio("#000000", "#ffffff") - 21.0).abs() < 0.01);
    assert!((ratio("#777777", "#ffffff") - 4.48).abs() < 0.01);
    assert_eq!(ratio("#123456", "#123456"), 1.0);
}

#[test]
fn both_palettes_meet_wcag_aa() {
    let css = css();
    let light = palette(&css, ":root {");
    let dark = palette(&css, r#":root[data-theme="dark"] {"#);
    assert!(light.len() >= 11 && light.contains_key("control"), "{light:?}");
    let mut problems = failures("light", &light);
    problems.extend(failures("dark", &dark));
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_system_dark_palette_is_the_same_as_the_chosen_one() {
    // Plain CSS cannot share one rule between `[data-theme=dark]` and the media query, so the
    // palette is written twice; this keeps the copies equal.
    let css = css();
    let chosen = palette(&css, r#":root[data-theme="dark"] {"#);
    let system = palette(&css, r#":root:not([data-theme="light"]) {"#);
    assert_eq!(chosen, system);
}

#[test]
fn boxes_are_drawn_the_size_the_layout_places_them() {
    use backroad::roadmap::layout::{GAP_X, GAP_Y, NODE_H, NODE_W, PAD};
    let css = css();
    let rule = &css[css.find("\n.node {").expect("a .node rule")..];
    let rule = &rule[..rule.find('}').expect("rule ends")];
    assert!(rule.contains(&format!("width: {NODE_W}px; height: {NODE_H}px;")), "{rule}");
    // Boxes carry only their column and row (`layout::place_style`); CSS turns them into
    // the pixels the layout drew the edges for.
    let (x, y) = (NODE_W + GAP_X, NODE_H + GAP_Y);
    let place = format!("left: calc({PAD}px + var(--c) * {x}px); top: calc({PAD}px + var(--r) * {y}px);");
    assert!(rule.contains(&place), "{rule}");
}
