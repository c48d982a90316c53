//! Throughput of the sentence splitter: multi-megabyte English, Dutch and Norwegian news text
//! built from the seed corpus, and the adversarial inputs the splitter must handle in linear time.
//!
//! Run: `cargo bench --bench split -- --warm-up-time 1 --measurement-time 3`.

use std::hint::black_box;
use std::path::Path;

use claimdiff::model::Span;
use claimdiff::rules::RuleSet;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Bytes of text per language in the normal-text benchmark.
const BYTES_PER_LANGUAGE: usize = 2 * 1024 * 1024;

/// The seeds' bodies (after the optional ` date …` header), by language, each repeated to
/// [`BYTES_PER_LANGUAGE`].
fn seed_texts() -> Vec<(&'static str, String)> {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("seeds");
    let languages = [
        ("en", ["000", "001", "003"].as_slice()),
        ("nl", ["002"].as_slice()),
        ("nb", ["004"].as_slice()),
    ];
    let mut names: Vec<_> = std::fs::read_dir(&seeds)
        .expect("seeds directory")
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|e| e == "txt"))
        .collect();
    names.sort();
    languages
        .iter()
        .map(|(lang, prefixes)| {
            let mut sample = String::new();
            for path in &names {
                let name = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .unwrap_or_default();
                if prefixes.iter().any(|p| name.starts_with(p)) {
                    let text = std::fs::read_to_string(path).expect("seed");
                    let body = match text.strip_prefix(" date ") {
                        Some(rest) => rest.split_once(' ').map_or("", |(_, body)| body),
                        None => &text,
                    };
                    sample.push_str(body);
                    sample.push_str("\n\n");
                }
            }
            let mut text = String::with_capacity(BYTES_PER_LANGUAGE + sample.len());
            while text.len() < BYTES_PER_LANGUAGE {
                text.push_str(&sample);
            }
            (*lang, text)
        })
        .collect()
}

fn normal_text(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("rules");
    let texts = seed_texts();
    let total: usize = texts.iter().map(|(_, t)| t.len()).sum();
    let mut group = c.benchmark_group("split");
    group.throughput(Throughput::Bytes(total as u64));
    group.sample_size(10);
    group.bench_function("seeds_en_nl_nb", |b| {
        b.iter(|| {
            let mut count = 0;
            for (lang, text) in &texts {
                let segmenter = &rules.language(lang).segmenter;
                count += segmenter.split(text, Span::new(0, text.len())).len();
            }
            black_box(count)
        })
    });
    group.finish();
}

fn adversarial(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("rules");
    let segmenter = &rules.language("en").segmenter;
    let inputs = [
        ("periods_2mb", ".".repeat(2_000_000)),
        ("titles_300k", "Dr. ".repeat(300_000)),
        (
            "nested_parentheses_100k",
            format!(
                "{}It ended. Then it began.{}",
                "(".repeat(100_000),
                ")".repeat(100_000)
            ),
        ),
        (
            "number_1m_digits",
            format!("It costs {}. Then it stops.", "7".repeat(1_000_000)),
        ),
    ];
    let mut group = c.benchmark_group("adversarial");
    group.sample_size(10);
    for (name, text) in &inputs {
        group.throughput(Throughput::Bytes(text.len() as u64));
        group.bench_function(*name, |b| {
            b.iter(|| black_box(segmenter.split(text, Span::new(0, text.len())).len()))
        });
    }
    group.finish();
}

criterion_group!(benches, normal_text, adversarial);
criterion_main!(benches);
