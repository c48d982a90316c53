//! Reports: the same findings rendered as a terminal table, Markdown, JSON, JSON Lines, HTML and
//! the CI formats.
