//! Made-up names for stress inputs, shared by tests and benchmarks (`#[path]`-included).

/// A distinct capitalized name no rule lists, such as `Bacede`, for index `index`.
pub fn made_up_name(index: usize) -> String {
    const CONSONANTS: &[u8] = b"bcdfghklmnprstvz";
    const VOWELS: &[u8] = b"aeiou";
    let syllables = CONSONANTS.len() * VOWELS.len();
    let mut rest = index;
    let mut name = String::new();
    for _ in 0..3 {
        let syllable = rest % syllables;
        rest /= syllables;
        name.push(char::from(CONSONANTS[syllable / VOWELS.len()]));
        name.push(char::from(VOWELS[syllable % VOWELS.len()]));
    }
    name[..1].to_uppercase() + &name[1..]
}
