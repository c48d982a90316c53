//! The pattern language, parsed with nom:
//!
//! ```text
//! pattern     := alternatives
//! alternatives:= sequence ( '|' sequence )*
//! sequence    := item*
//! item        := '(' alternatives ')'        a group of alternatives
//!              | '[' alternatives ']'        optional
//!              | '{' name [ ':' type ] '}'   a capture into slot `name` (type from the rule)
//!              | '@' class                   any word of a word class of the language
//!              | '...' [N]                   a gap of up to N arbitrary tokens (default 8)
//!              | literal                     words, case-insensitive; `word*` matches a prefix
//! ```

use nom::branch::alt;
use nom::bytes::complete::{tag, take_while1};
use nom::character::complete::{char, digit1, multispace0};
use nom::combinator::opt;
use nom::multi::{many0, separated_list1};
use nom::sequence::{delimited, preceded};
use nom::{IResult, Parser};

/// The longest pattern accepted, in bytes.
pub const MAX_PATTERN_BYTES: usize = 4096;
/// The deepest nesting of groups accepted.
pub const MAX_NESTING: usize = 16;
/// The gap of `...` without a number.
pub const DEFAULT_GAP: usize = 8;
/// The largest gap accepted.
pub const MAX_GAP: usize = 40;

/// One element of a parsed pattern.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Node {
    /// Words as written (tokenized when compiled).
    Literal(String),
    /// `@name`: any word of a class.
    Class(String),
    /// `( a | b )`.
    Group(Vec<Vec<Node>>),
    /// `[ a | b ]`.
    Optional(Vec<Vec<Node>>),
    /// `...N`: up to N arbitrary tokens.
    Gap(usize),
    /// `{name:type}`: a capture; `kind` is `None` when the rule's slot type applies.
    Capture {
        /// Slot name.
        name: String,
        /// Capture type as written.
        kind: Option<String>,
    },
}

/// Parses a pattern, or explains where it is malformed.
pub fn parse_pattern(pattern: &str) -> Result<Vec<Vec<Node>>, String> {
    if pattern.trim().is_empty() {
        return Err("empty pattern".to_string());
    }
    if pattern.len() > MAX_PATTERN_BYTES {
        return Err(format!(
            "pattern of {} bytes is longer than the limit of {MAX_PATTERN_BYTES}",
            pattern.len()
        ));
    }
    check_brackets(pattern)?;
    match alternatives(pattern) {
        Ok((rest, parsed)) if rest.trim().is_empty() => Ok(parsed),
        Ok((rest, _)) => Err(unparsed(pattern, rest)),
        Err(nom::Err::Error(e) | nom::Err::Failure(e)) => Err(unparsed(pattern, e.input)),
        Err(nom::Err::Incomplete(_)) => Err("incomplete pattern".to_string()),
    }
}

fn unparsed(pattern: &str, rest: &str) -> String {
    let column = pattern[..pattern.len() - rest.len()].chars().count() + 1;
    let near: String = rest.chars().take(20).collect();
    format!("cannot read the pattern at column {column}, near `{near}`")
}

/// Checks that brackets balance and do not nest too deep, naming the column of the culprit.
fn check_brackets(pattern: &str) -> Result<(), String> {
    let mut open: Vec<(char, usize)> = Vec::new();
    for (column, c) in pattern.chars().enumerate().map(|(i, c)| (i + 1, c)) {
        match c {
            '(' | '[' | '{' => {
                open.push((c, column));
                if open.len() > MAX_NESTING {
                    return Err(format!(
                        "brackets nest deeper than {MAX_NESTING} at column {column}"
                    ));
                }
            }
            ')' | ']' | '}' => {
                let expected = match open.pop() {
                    Some(('(', _)) => ')',
                    Some(('[', _)) => ']',
                    Some(_) => '}',
                    None => {
                        return Err(format!(
                            "unbalanced brackets: `{c}` at column {column} closes nothing"
                        ))
                    }
                };
                if c != expected {
                    return Err(format!(
                        "unbalanced brackets: `{c}` at column {column} where `{expected}` was expected"
                    ));
                }
            }
            _ => {}
        }
    }
    match open.pop() {
        Some((c, column)) => Err(format!(
            "unbalanced brackets: `{c}` at column {column} is never closed"
        )),
        None => Ok(()),
    }
}

fn is_name_char(c: char) -> bool {
    c.is_alphanumeric() || c == '-' || c == '_'
}

fn is_literal_char(c: char) -> bool {
    !c.is_whitespace() && !"()[]{}|@".contains(c)
}

fn alternatives(input: &str) -> IResult<&str, Vec<Vec<Node>>> {
    separated_list1(preceded(multispace0, char('|')), sequence).parse(input)
}

fn sequence(input: &str) -> IResult<&str, Vec<Node>> {
    let (input, items) = many0(preceded(multispace0, item)).parse(input)?;
    let (input, _) = multispace0(input)?;
    Ok((input, items))
}

fn item(input: &str) -> IResult<&str, Node> {
    alt((group, optional, capture, class, gap, literal)).parse(input)
}

fn group(input: &str) -> IResult<&str, Node> {
    delimited(char('('), alternatives, char(')'))
        .map(Node::Group)
        .parse(input)
}

fn optional(input: &str) -> IResult<&str, Node> {
    delimited(char('['), alternatives, char(']'))
        .map(Node::Optional)
        .parse(input)
}

fn capture(input: &str) -> IResult<&str, Node> {
    let name = take_while1(is_name_char);
    let kind = opt(preceded(
        (multispace0, char(':'), multispace0),
        take_while1(is_name_char),
    ));
    delimited(
        (char('{'), multispace0),
        (name, kind),
        (multispace0, char('}')),
    )
    .map(|(name, kind): (&str, Option<&str>)| Node::Capture {
        name: name.to_string(),
        kind: kind.map(str::to_string),
    })
    .parse(input)
}

fn class(input: &str) -> IResult<&str, Node> {
    preceded(char('@'), take_while1(is_name_char))
        .map(|name: &str| Node::Class(name.to_string()))
        .parse(input)
}

fn gap(input: &str) -> IResult<&str, Node> {
    let (rest, (_, size)) = (tag("..."), opt(digit1)).parse(input)?;
    if rest.chars().next().is_some_and(is_literal_char) {
        return Err(nom::Err::Error(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Tag,
        )));
    }
    let size = size.map_or(Ok(DEFAULT_GAP), |digits: &str| {
        digits.parse::<usize>().map_err(|_| {
            nom::Err::Failure(nom::error::Error::new(input, nom::error::ErrorKind::Digit))
        })
    })?;
    if size == 0 || size > MAX_GAP {
        return Err(nom::Err::Failure(nom::error::Error::new(
            input,
            nom::error::ErrorKind::Verify,
        )));
    }
    Ok((rest, Node::Gap(size)))
}

fn literal(input: &str) -> IResult<&str, Node> {
    take_while1(is_literal_char)
        .map(|text: &str| Node::Literal(text.to_string()))
        .parse(input)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_every_construct() {
        let parsed =
            parse_pattern("{count:quantity} [@nat] (leiesoldat*|troops) ...3 {x} | a").unwrap();
        assert_eq!(parsed.len(), 2);
        assert_eq!(
            parsed[0],
            vec![
                Node::Capture {
                    name: "count".into(),
                    kind: Some("quantity".into())
                },
                Node::Optional(vec![vec![Node::Class("nat".into())]]),
                Node::Group(vec![
                    vec![Node::Literal("leiesoldat*".into())],
                    vec![Node::Literal("troops".into())]
                ]),
                Node::Gap(3),
                Node::Capture {
                    name: "x".into(),
                    kind: None
                },
            ]
        );
    }

    #[test]
    fn rejects_malformed_patterns() {
        for (pattern, wanted) in [
            ("", "empty"),
            ("  ", "empty"),
            ("(a|b", "never closed"),
            ("a ]", "closes nothing"),
            ("(a]", "where `)` was expected"),
            ("...99", "column 1"),
            ("{a:b:c}", "column 1"),
        ] {
            let error = parse_pattern(pattern).unwrap_err();
            assert!(error.contains(wanted), "{pattern}: {error}");
        }
        assert!(parse_pattern(&"a ".repeat(3000))
            .unwrap_err()
            .contains("longer than"));
        assert!(parse_pattern(&"(".repeat(40))
            .unwrap_err()
            .contains("deeper"));
    }
}
