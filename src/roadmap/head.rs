//! What a roadmap page puts in the document's head: the roadmap's title and description, or
//! the open topic's. The server writes them; the browser sets them again when a panel opens
//! or closes in place.

/// The title, description and Open Graph values of a page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Head {
    /// The page's own title, without the site name (see `document_title`).
    pub title: String,
    pub description: String,
    /// `og:type`.
    pub kind: &'static str,
    /// `og:title`.
    pub preview_title: String,
}

impl Head {
    /// The roadmap page itself.
    pub fn of_roadmap(title: &str, description: &str) -> Self {
        Head {
            title: title.to_owned(),
            description: description.to_owned(),
            kind: "website",
            preview_title: format!("{title} roadmap"),
        }
    }

    /// The roadmap with a topic's panel open: `topic` is its title, `None` when the address
    /// names no topic of this roadmap.
    pub fn of_topic(roadmap_title: &str, roadmap_description: &str, topic: Option<&str>) -> Self {
        match topic {
            Some(topic) => Head {
                title: topic.to_owned(),
                description: format!("{topic}: what it is, why a back-end developer needs it, and how to learn it."),
                kind: "article",
                preview_title: format!("{topic} · {roadmap_title}"),
            },
            None => Head {
                title: "Not found".to_owned(),
                description: roadmap_description.to_owned(),
                kind: "website",
                preview_title: "Not found".to_owned(),
            },
        }
    }
}

/// The document's `<title>` for a page's own title.
pub fn document_title(page: &str) -> String {
    if page.is_empty() {
        "backroad".to_owned()
    } else {
        format!("{page} · backroad")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_topic_head_names_the_topic_and_its_roadmap() {
        let head = Head::of_topic("Back-end developer", "All of it.", Some("DNS"));
        assert_eq!(head.title, "DNS");
        assert_eq!(head.kind, "article");
        assert_eq!(head.preview_title, "DNS · Back-end developer");
        assert!(head.description.starts_with("DNS: what it is"));
        let missing = Head::of_topic("Back-end developer", "All of it.", None);
        assert_eq!((missing.title.as_str(), missing.description.as_str()), ("Not found", "All of it."));
        let roadmap = Head::of_roadmap("Back-end developer", "All of it.");
        assert_eq!((roadmap.kind, roadmap.preview_title.as_str()), ("website", "Back-end developer roadmap"));
        assert_eq!(document_title("DNS"), "DNS · backroad");
        assert_eq!(document_title(""), "backroad");
    }
}
