//! The arrow keys on skill trees: they move the focus between a tree's boxes, to the
//! nearest box in that direction that can take it (a filter may hide some). Each box
//! carries its place in the picture (`data-at`: column and row), so this needs nothing else
//! from the page; it runs on every page that shows skill trees (roadmap and shared pages).

use leptos::prelude::*;

#[island]
pub fn SkillTreeKeys() -> impl IntoView {
    #[cfg(feature = "hydrate")]
    {
        browser::start();
        super::started();
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use super::super::focus::focus_first;
    use super::super::page_dom::all;
    use crate::roadmap::layout::{neighbours, Direction, NodeBox};
    use leptos::ev;
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use web_sys::{Element, KeyboardEvent};

    pub fn start() {
        let keys = window_event_listener(ev::keydown, on_arrow_key);
        std::mem::forget(keys);
    }

    fn on_arrow_key(ev: KeyboardEvent) {
        let Some(dir) = Direction::from_key(&ev.key()) else { return };
        if ev.default_prevented() || ev.alt_key() || ev.ctrl_key() || ev.meta_key() || ev.shift_key() {
            return;
        }
        let Some(node) = ev
            .target()
            .and_then(|t| t.dyn_into::<Element>().ok())
            .filter(|t| t.matches(".skill-tree a.node").unwrap_or(false))
        else {
            return;
        };
        let (Some(id), Some(tree)) = (node.get_attribute("data-topic-id"), node.closest(".skill-tree").ok().flatten())
        else {
            return;
        };
        ev.prevent_default();
        let boxes = boxes_of(&tree);
        // A topic has one box on the page, so its id finds it.
        focus_first(
            neighbours(&boxes, &id, dir)
                .into_iter()
                .map(|next| format!(r#".skill-tree a.node[data-topic-id="{next}"]"#)),
        );
    }

    /// The boxes of one tree with their places, as the server laid them out.
    fn boxes_of(tree: &Element) -> Vec<NodeBox> {
        all(tree, "a.node[data-topic-id]")
            .into_iter()
            .filter_map(|node| {
                let at = node.get_attribute("data-at")?;
                let (column, row) = at.split_once(' ')?;
                Some(NodeBox {
                    id: node.get_attribute("data-topic-id")?,
                    x: 0,
                    y: 0,
                    column: column.parse().ok()?,
                    row: row.parse().ok()?,
                })
            })
            .collect()
    }
}
