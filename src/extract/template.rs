//! Key and topic templates: text with `{slot}` and `{side:slot}` placeholders.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Slot, Value};
use crate::normalize::names::EntityBook;
use crate::rules::nearest_name;

/// A piece of a template.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Piece {
    Text(String),
    Slot { name: String, side: bool },
}

/// A compiled template.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Template {
    pieces: Vec<Piece>,
}

/// How a template renders values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Rendering {
    /// Canonical ids and numbers: for keys.
    Canonical,
    /// Display names: for topics.
    Display,
}

impl Template {
    /// Parses `text`, checking every placeholder names one of `slots`.
    pub fn parse(text: &str, slots: &[&str]) -> Result<Template, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(open) = rest.find('{') {
            if open > 0 {
                pieces.push(Piece::Text(rest[..open].to_string()));
            }
            let Some(close) = rest[open..].find('}') else {
                return Err(format!("unclosed `{{` in `{text}`"));
            };
            let inside = rest[open + 1..open + close].trim();
            let (side, name) = match inside.strip_prefix("side:") {
                Some(name) => (true, name.trim()),
                None => (false, inside),
            };
            if !slots.contains(&name) {
                let hint = nearest_name(name, slots)
                    .map(|best| format!("; did you mean `{best}`?"))
                    .unwrap_or_default();
                return Err(format!("`{{{inside}}}` names no slot{hint}"));
            }
            pieces.push(Piece::Slot {
                name: name.to_string(),
                side,
            });
            rest = &rest[open + close + 1..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Text(rest.to_string()));
        }
        Ok(Template { pieces })
    }

    /// Renders the template with the slots of a claim; a missing slot renders empty.
    pub fn render(
        &self,
        slots: &BTreeMap<String, Slot>,
        entities: &EntityBook,
        rendering: Rendering,
    ) -> String {
        let mut out = String::new();
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Slot { name, side } => {
                    if let Some(slot) = slots.get(name) {
                        out.push_str(&render_value(&slot.value, *side, entities, rendering));
                    }
                }
            }
        }
        squeeze_whitespace(out)
    }
}

/// `text` with its ends trimmed of whitespace and each run of whitespace inside made one
/// space; returned as it is when it is so already, as most rendered keys and topics are.
fn squeeze_whitespace(text: String) -> String {
    let tidy = !text.starts_with(' ')
        && !text.ends_with(' ')
        && !text.contains("  ")
        && !text.contains(|c: char| c.is_whitespace() && c != ' ');
    if tidy {
        text
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

fn render_value(value: &Value, side: bool, entities: &EntityBook, rendering: Rendering) -> String {
    let entity_part = |entity: &crate::model::EntityRef| -> String {
        match (side, rendering) {
            (true, _) => entities
                .side_of(&entity.id)
                .unwrap_or(&entity.id)
                .to_string(),
            (false, Rendering::Canonical) => entity.id.clone(),
            (false, Rendering::Display) => entity.name.clone(),
        }
    };
    match value {
        Value::Entity(entity) => entity_part(entity),
        Value::Entities(members) => match rendering {
            Rendering::Canonical => {
                let parts: BTreeSet<String> = members.iter().map(entity_part).collect();
                parts.into_iter().collect::<Vec<_>>().join("+")
            }
            Rendering::Display => {
                let mut parts: Vec<String> = Vec::new();
                for part in members.iter().map(entity_part) {
                    if !parts.contains(&part) {
                        parts.push(part);
                    }
                }
                parts.join(", ")
            }
        },
        other => match rendering {
            Rendering::Canonical => super::examples::canonical(other),
            Rendering::Display => super::display(other),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezes_whitespace() {
        for text in ["a b", "", " a  b\t", "a\u{a0}b ", "\n"] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(squeeze_whitespace(text.to_string()), expected, "{text:?}");
        }
    }

    #[test]
    fn checks_placeholders() {
        assert!(Template::parse("backs/{side:object}", &["object"]).is_ok());
        let error = Template::parse("{objet}", &["object"]).unwrap_err();
        assert!(error.contains("did you mean `object`"), "{error}");
        assert!(Template::parse("{x", &["x"]).is_err());
    }
}
