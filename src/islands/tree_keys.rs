//! The arrow keys on skill trees: they move the focus between a tree's boxes, to the
//! nearest box in that direction that can take it (a filter may hide some). Each box
//! carries its place in the picture (its style's `--c` and `--r`: column and row,
//! `layout::place_style`), so this needs nothing else from the page; it runs on every page that shows skill trees (roadmap and shared pages).

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
    use super::super::page_dom::{all, box_topic};
    use crate::roadmap::layout::{neighbours, parse_place_style, Direction, NodeBox};
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
        let (Some(id), Some(tree)) = (box_topic(&node), node.closest(".skill-tree").ok().flatten()) else {
            return;
        };
        ev.prevent_default();
        let boxes = boxes_of(&tree);
        // A topic has one box on the page, so its id finds it.
        focus_first(neighbours(&boxes, &id, dir).into_iter().map(|next| format!(r#".skill-tree a.node#t-{next}"#)));
    }

    /// The boxes of one tree with their places, as the server laid them out.
    fn boxes_of(tree: &Element) -> Vec<NodeBox> {
        all(tree, "a.node")
            .into_iter()
            .filter_map(|node| {
                let (column, row) = parse_place_style(&node.get_attribute("style")?)?;
                Some(NodeBox { id: box_topic(&node)?, x: 0, y: 0, column, row })
            })
            .collect()
    }
}
