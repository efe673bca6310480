//! The roadmaps compiled into the binary, loaded and validated once at start-up.

use super::content::Roadmap;
use super::load::{load_roadmap, SourceFile};
use super::validate::ContentProblem;
use super::views::RoadmapView;

macro_rules! content_file {
    ($path:literal) => {
        SourceFile { name: concat!("src/content/", $path), text: include_str!(concat!("../content/", $path)) }
    };
}

/// The back-end roadmap's manifest.
const BACKEND: SourceFile<'static> = content_file!("backend/roadmap.toml");

/// The back-end roadmap's sections; the manifest decides their order.
const BACKEND_SECTIONS: &[SourceFile<'static>] = &[
    content_file!("backend/foundations.toml"),
    content_file!("backend/os-and-terminal.toml"),
    content_file!("backend/version-control.toml"),
    content_file!("backend/languages.toml"),
    content_file!("backend/frameworks.toml"),
    content_file!("backend/databases.toml"),
    content_file!("backend/apis.toml"),
    content_file!("backend/security.toml"),
    content_file!("backend/testing-quality.toml"),
    content_file!("backend/caching-performance.toml"),
    content_file!("backend/delivery-operations.toml"),
    content_file!("backend/cloud-platform.toml"),
    content_file!("backend/architecture.toml"),
    content_file!("backend/scaling-reliability.toml"),
    content_file!("backend/ai.toml"),
    content_file!("backend/career.toml"),
];

/// Every roadmap the app serves.
#[derive(Debug)]
pub struct Catalog {
    roadmaps: Vec<Roadmap>,
    /// The page view of each roadmap (with its layout), computed once.
    views: Vec<RoadmapView>,
}

impl Catalog {
    /// Loads the compiled-in content. Fails with every problem found, not just the first.
    pub fn builtin() -> Result<Self, Vec<ContentProblem>> {
        let roadmaps = vec![load_roadmap(BACKEND, BACKEND_SECTIONS)?];
        let views = roadmaps.iter().map(RoadmapView::of).collect();
        Ok(Catalog { roadmaps, views })
    }

    /// Loads the content in `dir` instead (`BACKROAD_CONTENT_DIR`): each folder holding a
    /// `roadmap.toml` is a roadmap, its section files beside it, as in `src/content/`.
    pub fn from_dir(dir: &std::path::Path) -> Result<Self, Vec<ContentProblem>> {
        let unreadable = |what: &std::path::Path, e: std::io::Error| {
            vec![ContentProblem::file(&what.display().to_string(), format!("cannot be read: {e}"))]
        };
        let mut folders: Vec<std::path::PathBuf> = std::fs::read_dir(dir)
            .map_err(|e| unreadable(dir, e))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| p.join("roadmap.toml").is_file())
            .collect();
        folders.sort();
        if folders.is_empty() {
            return Err(vec![ContentProblem::file(
                &dir.display().to_string(),
                "holds no roadmap: a roadmap is a folder with a roadmap.toml and its section files",
            )]);
        }
        let mut roadmaps = Vec::new();
        for folder in folders {
            let mut files = Vec::new();
            for entry in std::fs::read_dir(&folder).map_err(|e| unreadable(&folder, e))? {
                let path = entry.map_err(|e| unreadable(&folder, e))?.path();
                if path.extension().is_some_and(|x| x == "toml") {
                    let text = std::fs::read_to_string(&path).map_err(|e| unreadable(&path, e))?;
                    files.push((path.display().to_string(), text));
                }
            }
            let manifest_name = folder.join("roadmap.toml").display().to_string();
            let manifest = files
                .iter()
                .find(|(n, _)| *n == manifest_name)
                .ok_or_else(|| vec![ContentProblem::file(&manifest_name, "cannot be read")])?;
            let sections: Vec<SourceFile<'_>> = files
                .iter()
                .filter(|(n, _)| *n != manifest_name)
                .map(|(name, text)| SourceFile { name, text })
                .collect();
            roadmaps.push(load_roadmap(SourceFile { name: &manifest.0, text: &manifest.1 }, &sections)?);
        }
        let views = roadmaps.iter().map(RoadmapView::of).collect();
        Ok(Catalog { roadmaps, views })
    }

    pub fn roadmaps(&self) -> &[Roadmap] {
        &self.roadmaps
    }

    pub fn roadmap(&self, id: &str) -> Option<&Roadmap> {
        self.roadmaps.iter().find(|r| r.id.as_str() == id)
    }

    /// The roadmap's page view, laid out at start-up.
    pub fn view(&self, id: &str) -> Option<&RoadmapView> {
        self.views.iter().find(|v| v.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::roadmap::content::Kind;

    #[test]
    fn content_read_from_a_folder_is_the_same_as_the_compiled_in_content() {
        let dir = tempfile::tempdir().expect("temp dir");
        let to = dir.path().join("backend");
        std::fs::create_dir(&to).expect("folder");
        for file in std::iter::once(&BACKEND).chain(BACKEND_SECTIONS) {
            let name = file.name.rsplit('/').next().expect("name");
            std::fs::write(to.join(name), file.text).expect("write");
        }
        let read = Catalog::from_dir(dir.path()).expect("valid content");
        let builtin = Catalog::builtin().expect("valid content");
        assert_eq!(read.roadmaps()[0].topics, builtin.roadmaps()[0].topics);
        assert_eq!(read.roadmaps()[0].changes(), builtin.roadmaps()[0].changes());
        let empty = tempfile::tempdir().expect("temp dir");
        let problems = Catalog::from_dir(empty.path()).expect_err("no roadmap");
        assert!(problems[0].message.contains("holds no roadmap"), "{problems:?}");
    }

    #[test]
    fn the_builtin_roadmap_keeps_a_ledger_of_published_ids() {
        let manifest: toml::Value = toml::from_str(BACKEND.text).expect("manifest");
        let published = manifest.get("published").and_then(|p| p.as_array()).expect("a published list");
        let catalog = Catalog::builtin().expect("valid content");
        assert!(published.len() >= catalog.roadmaps()[0].topics.len(), "{} ids", published.len());
    }

    #[test]
    fn builtin_content_is_valid() {
        let catalog = Catalog::builtin().unwrap_or_else(|problems| {
            panic!("content problems:\n{}", problems.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("\n"))
        });
        let backend = catalog.roadmap("backend").expect("the back-end roadmap");
        assert!(backend.topics.len() >= 230, "{} topics", backend.topics.len());
        assert_eq!(backend.sections.len(), 16);
        assert!(backend.topics.iter().any(|t| t.kind == Kind::Core));
    }

    #[test]
    fn content_meets_the_quality_targets() {
        let catalog = Catalog::builtin().expect("valid content");
        let backend = catalog.roadmap("backend").expect("the back-end roadmap");
        let stats = crate::roadmap::stats::ContentStats::of(backend);
        assert!(stats.topics >= 230, "{} topics", stats.topics);
        assert!(stats.avg_summary_words >= 100.0, "average summary {} words", stats.avg_summary_words);
        assert!(stats.avg_resources >= 3.0, "average resources {}", stats.avg_resources);
        assert!(backend.topics.iter().all(|t| !t.outcomes.is_empty() && t.hours > 0));
        let order: Vec<&str> = backend.sections.iter().map(|s| s.id.as_str()).collect();
        assert_eq!(
            order,
            [
                "foundations",
                "os-and-terminal",
                "version-control",
                "languages",
                "frameworks",
                "databases",
                "apis",
                "security",
                "testing-quality",
                "caching-performance",
                "delivery-operations",
                "cloud-platform",
                "architecture",
                "scaling-reliability",
                "ai",
                "career"
            ]
        );
    }

    #[test]
    fn languages_and_frameworks_are_alternatives_of_each_other() {
        let catalog = Catalog::builtin().expect("valid content");
        let backend = catalog.roadmap("backend").expect("the back-end roadmap");
        let group_of = |id: &str| {
            let t = backend.topic(id).unwrap_or_else(|| panic!("topic {id} is missing"));
            assert_eq!(t.kind, Kind::Alternative, "{id}");
            t.group.clone().unwrap_or_default()
        };
        for id in ["python", "javascript-nodejs", "java", "csharp-dotnet", "go", "php", "ruby", "rust"] {
            assert_eq!(group_of(id), "language");
        }
        for id in [
            "django",
            "flask",
            "fastapi",
            "express",
            "nestjs",
            "spring-boot",
            "aspnet-core",
            "go-net-http-and-chi",
            "laravel",
            "symfony",
            "ruby-on-rails",
            "axum",
            "actix-web",
        ] {
            assert_eq!(group_of(id), "framework");
        }
    }

    #[test]
    fn starter_topic_ids_stay_stable() {
        let catalog = Catalog::builtin().expect("valid content");
        let backend = catalog.roadmap("backend").expect("the back-end roadmap");
        for id in [
            "how-the-internet-works",
            "dns",
            "http",
            "https-tls",
            "web-hosting",
            "backend-anatomy",
            "terminal-and-shell",
            "processes-and-threads",
            "files-and-permissions",
            "ssh",
            "networking-basics",
            "git-basics",
            "branching-and-merging",
            "pull-requests",
            "git-hosting",
        ] {
            assert!(backend.topic(id).is_some(), "topic {id} is missing");
        }
    }
}
