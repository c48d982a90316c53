//! Key and topic templates: text with `{slot}` and `{side:slot}` placeholders.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{EntityRef, Slot, Value};
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
        let mut out = String::with_capacity(self.length_hint());
        for piece in &self.pieces {
            match piece {
                Piece::Text(text) => out.push_str(text),
                Piece::Slot { name, side } => {
                    if let Some(slot) = slots.get(name) {
                        render_value(&mut out, &slot.value, *side, entities, rendering);
                    }
                }
            }
        }
        squeeze_whitespace(out)
    }

    /// About how long a rendering is: the fixed text and room for a short value per slot, so
    /// that most renderings need no second allocation.
    fn length_hint(&self) -> usize {
        self.pieces
            .iter()
            .map(|piece| match piece {
                Piece::Text(text) => text.len(),
                Piece::Slot { .. } => SLOT_LENGTH_HINT,
            })
            .sum()
    }
}

/// The room [`Template::render`] makes for the value of a slot.
const SLOT_LENGTH_HINT: usize = 24;

/// `text` with its ends trimmed of whitespace and each run of whitespace inside made one
/// space; returned as it is when it is so already, as most rendered keys and topics are.
fn squeeze_whitespace(text: String) -> String {
    if is_squeezed(&text) {
        text
    } else {
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// True when `text` has no whitespace but single spaces between words: what
/// [`squeeze_whitespace`] would make of it. One pass over the bytes; only a character that is
/// not ASCII is decoded.
fn is_squeezed(text: &str) -> bool {
    // A space at the start counts as following a space.
    let mut after_space = true;
    for (index, &byte) in text.as_bytes().iter().enumerate() {
        match byte {
            b' ' if after_space => return false,
            b' ' => after_space = true,
            _ if byte.is_ascii() => {
                if char::from(byte).is_whitespace() {
                    return false;
                }
                after_space = false;
            }
            // The first byte of a character that is not ASCII; the bytes that continue it
            // leave `after_space` false.
            _ if byte >= 0xc0 => {
                if text[index..]
                    .chars()
                    .next()
                    .is_some_and(char::is_whitespace)
                {
                    return false;
                }
                after_space = false;
            }
            _ => {}
        }
    }
    text.is_empty() || !after_space
}

/// Appends a slot's value to `out`: entities as [`entity_part`] writes them, lists of entities
/// joined, other values as the extractor shows them.
fn render_value(
    out: &mut String,
    value: &Value,
    side: bool,
    entities: &EntityBook,
    rendering: Rendering,
) {
    let entity_part = |entity| entity_part(entity, side, entities, rendering);
    match value {
        Value::Entity(entity) => out.push_str(entity_part(entity)),
        Value::Entities(members) => match rendering {
            Rendering::Canonical => {
                let parts: BTreeSet<&str> = members.iter().map(entity_part).collect();
                push_joined(out, parts, "+");
            }
            Rendering::Display => {
                let mut parts: Vec<&str> = Vec::with_capacity(members.len());
                for part in members.iter().map(entity_part) {
                    if !parts.contains(&part) {
                        parts.push(part);
                    }
                }
                push_joined(out, parts, ", ");
            }
        },
        other => out.push_str(&match rendering {
            Rendering::Canonical => super::examples::canonical(other),
            Rendering::Display => super::display(other),
        }),
    }
}

/// How an entity is written in a rendering: the id of its side when `side`, else its id
/// (`Canonical`) or name (`Display`).
fn entity_part<'a>(
    entity: &'a EntityRef,
    side: bool,
    entities: &'a EntityBook,
    rendering: Rendering,
) -> &'a str {
    match (side, rendering) {
        (true, _) => entities.side_of(&entity.id).unwrap_or(&entity.id),
        (false, Rendering::Canonical) => &entity.id,
        (false, Rendering::Display) => &entity.name,
    }
}

/// Appends `parts` to `out`, with `separator` between each two.
fn push_joined<'a>(out: &mut String, parts: impl IntoIterator<Item = &'a str>, separator: &str) {
    for (index, part) in parts.into_iter().enumerate() {
        if index > 0 {
            out.push_str(separator);
        }
        out.push_str(part);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn squeezes_whitespace() {
        for text in [
            "a b",
            "",
            " a  b\t",
            "a\u{a0}b ",
            "\n",
            " ",
            "a",
            "ab cd",
            "a ",
            " a",
            "a\u{2009}b",
        ] {
            let expected = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert_eq!(is_squeezed(text), text == expected, "{text:?}");
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
