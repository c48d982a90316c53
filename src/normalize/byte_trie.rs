//! A trie of byte strings: the number and time rules rule out most words of a text by walking
//! their first bytes through one.

use std::collections::BTreeMap;

/// Byte strings in a trie, each with a value, so that [`ByteTrie::prefixes_of`] finds those
/// that start a byte sequence in a single walk, without a lookup per prefix. Each node is a row
/// of a table with a column per byte that some string has, so a step is two lookups, and most
/// words that are none of the strings are ruled out at their first byte.
#[derive(Clone, Debug)]
pub(super) struct ByteTrie<V = ()> {
    /// Each byte's column; column 0, for the bytes no string has, holds no child.
    column: [u16; 256],
    columns: usize,
    /// Per node, the root first: its children by column (0 for none: the root is no child).
    children: Vec<usize>,
    /// Per node: a string ends there, with its value.
    ends: Vec<Option<V>>,
}

impl<V> Default for ByteTrie<V> {
    fn default() -> Self {
        ByteTrie::new(Vec::new())
    }
}

impl<V> ByteTrie<V> {
    /// The trie of `strings`, each with its value (the last one given, for a string given
    /// twice).
    pub(super) fn new(strings: Vec<(Vec<u8>, V)>) -> Self {
        let mut column = [0u16; 256];
        let mut columns = 1;
        for &byte in strings.iter().flat_map(|(bytes, _)| bytes) {
            if column[usize::from(byte)] == 0 {
                column[usize::from(byte)] = columns;
                columns += 1;
            }
        }
        let columns = usize::from(columns);
        let mut trie = ByteTrie {
            column,
            columns,
            children: vec![0; columns],
            ends: vec![None],
        };
        for (bytes, value) in strings {
            let mut node = 0;
            for byte in bytes {
                let cell = node * columns + usize::from(column[usize::from(byte)]);
                if trie.children[cell] == 0 {
                    trie.children[cell] = trie.ends.len();
                    trie.ends.push(None);
                    trie.children.resize(trie.children.len() + columns, 0);
                }
                node = trie.children[cell];
            }
            trie.ends[node] = Some(value);
        }
        trie
    }

    /// The child of `node` by `byte`.
    fn child(&self, node: usize, byte: u8) -> Option<usize> {
        let column = usize::from(self.column[usize::from(byte)]);
        match self.children[node * self.columns + column] {
            0 => None,
            child => Some(child),
        }
    }

    /// The value of `bytes`, when they are one of the strings.
    pub(super) fn get(&self, bytes: impl Iterator<Item = u8>) -> Option<&V> {
        let mut node = 0;
        for byte in bytes {
            node = self.child(node, byte)?;
        }
        self.ends[node].as_ref()
    }

    /// True when `bytes` are one of the strings.
    pub(super) fn contains(&self, bytes: impl Iterator<Item = u8>) -> bool {
        self.get(bytes).is_some()
    }

    /// The strings that are a prefix of `bytes`, shortest first: each one's length and value.
    pub(super) fn prefixes_of(
        &self,
        bytes: impl Iterator<Item = u8>,
    ) -> impl Iterator<Item = (usize, &V)> {
        let mut node = 0;
        bytes
            .map_while(move |byte| {
                node = self.child(node, byte)?;
                Some(node)
            })
            .enumerate()
            .filter_map(|(index, node)| Some((index + 1, self.ends[node].as_ref()?)))
    }
}

impl ByteTrie<bool> {
    /// The trie of `strings`, each marked with whether whatever follows it may be another; a
    /// string given twice is marked when one of its marks is.
    pub(super) fn marked<'w>(strings: impl Iterator<Item = (&'w str, bool)>) -> Self {
        let mut marks: BTreeMap<&str, bool> = BTreeMap::new();
        for (string, mark) in strings {
            *marks.entry(string).or_default() |= mark;
        }
        ByteTrie::new(
            (marks.into_iter())
                .map(|(string, mark)| (string.as_bytes().to_vec(), mark))
                .collect(),
        )
    }

    /// False when the token at byte `pos` of `text` (a character boundary) begins none of the
    /// strings, judged from its ASCII bytes without reading it: an ASCII mark (a token of its
    /// own) that no string starts with, or a word whose ASCII letters, lower-cased (as its
    /// folded form starts, whatever follows them), leave the trie before a marked string has
    /// ended. Anything else passes.
    pub(super) fn may_begin_token(&self, text: &[u8], pos: usize) -> bool {
        let rest = text.get(pos..).unwrap_or_default();
        let Some(&first) = rest.first() else {
            return true;
        };
        if first.is_ascii_punctuation() {
            return self.child(0, first).is_some();
        }
        let mut node = 0;
        for byte in rest.iter().take_while(|byte| byte.is_ascii_alphabetic()) {
            match self.child(node, byte.to_ascii_lowercase()) {
                None => return false,
                Some(next) if self.ends[next] == Some(true) => return true,
                Some(next) => node = next,
            }
        }
        true
    }
}

impl ByteTrie {
    /// The trie of `words`.
    pub(super) fn of_words<'w>(words: impl Iterator<Item = &'w str>) -> Self {
        ByteTrie::new(words.map(|word| (word.as_bytes().to_vec(), ())).collect())
    }
}

#[cfg(test)]
impl<V> ByteTrie<V> {
    /// The strings of the trie.
    pub(super) fn strings(&self) -> Vec<Vec<u8>> {
        let mut found = Vec::new();
        let mut stack = vec![(0, Vec::new())];
        while let Some((node, bytes)) = stack.pop() {
            if self.ends[node].is_some() {
                found.push(bytes.clone());
            }
            for byte in 0..=u8::MAX {
                if let Some(child) = self.child(node, byte) {
                    stack.push((child, [bytes.as_slice(), &[byte]].concat()));
                }
            }
        }
        found
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_trie_finds_prefixes_shortest_first() {
        let trie = ByteTrie::new(vec![
            (b"vier".to_vec(), 4),
            (b"vierhonderd".to_vec(), 400),
            (b"vijf".to_vec(), 5),
        ]);
        let found: Vec<(usize, i32)> = trie
            .prefixes_of(b"vierhonderdduizend".iter().copied())
            .map(|(length, value)| (length, *value))
            .collect();
        assert_eq!(found, [(4, 4), (11, 400)]);
        assert_eq!(trie.get(b"vijf".iter().copied()), Some(&5));
        assert!(!trie.contains(b"vij".iter().copied()));
    }
}
