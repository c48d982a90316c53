//! Number and quantity parsing throughput: expressions per second over a mixed list in all
//! eight languages (peers: dateparser ~730 sentences/s, Quantulum3 ~135 expressions/s).

use std::hint::black_box;

use claimdiff::rules::RuleSet;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Expressions by language: digits, words, ranges, qualifiers, vague magnitudes and units.
const EXPRESSIONS: &[(&str, &str)] = &[
    ("en", "2,500"),
    ("en", "thirty-five"),
    ("en", "between 600 and 800"),
    ("en", "more than 1,000"),
    ("en", "$1.4 billion"),
    ("en", "hundreds of"),
    ("en", "about 400 kilometres"),
    ("nl", "ruim vierhonderd kilometer"),
    ("nl", "tweehonderdduizend"),
    ("nl", "2,5 miljoen"),
    ("nl", "tientallen"),
    ("nb", "mellom 600 og 800"),
    ("nb", "minst 100.000"),
    ("nb", "Over 1.000"),
    ("nb", "flere hundre"),
    ("de", "zweitausend"),
    ("de", "mehr als 1.000"),
    ("de", "1,5 Mrd. Euro"),
    ("fr", "plus de 2 500"),
    ("fr", "quatre-vingt-dix-sept"),
    ("fr", "1,5 milliard d'euros"),
    ("es", "dos mil"),
    ("es", "unos 35"),
    ("es", "treinta y cinco por ciento"),
    ("it", "oltre 1.000"),
    ("it", "duecentocinquanta"),
    ("ru", "2.500 тысяч"),
    ("ru", "от 600 до 800"),
    ("ru", "двести"),
    ("en", "not a number at all"),
];

fn parse_mixed(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("embedded rules load");
    let pairs: Vec<_> = EXPRESSIONS
        .iter()
        .map(|(code, text)| (&rules.language(code).numbers, *text))
        .collect();
    let mut group = c.benchmark_group("parse");
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("numbers_mixed_languages", |b| {
        b.iter(|| {
            for (numbers, text) in &pairs {
                black_box(numbers.parse(black_box(text)));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, parse_mixed);
criterion_main!(benches);
