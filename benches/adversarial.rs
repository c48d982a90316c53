//! Adversarial inputs through each stage — split, extract, parse — at two sizes, N and 4N, to
//! show time linear in the input: the 4N time should be about four times the N time.
//!
//! Run: `cargo bench --bench adversarial`; criterion's estimates land in
//! `target/criterion/adversarial-<stage>/<input>/<size>/new/estimates.json`.

use std::hint::black_box;
use std::time::Duration;

use claimdiff::model::{Document, DocumentMeta};
use claimdiff::normalize::time::Anchor;
use claimdiff::rules::RuleSet;
use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use made_up::made_up_name;

#[path = "../tests/common/made_up.rs"]
mod made_up;

/// Names for the entity-list stress sentence.
const NAMES: [&str; 10] = [
    "Russia", "Turkey", "Egypt", "France", "Italy", "Germany", "Jordan", "Qatar", "Sudan", "Chad",
];

/// One adversarial input, built at a scale: 1 for N, 4 for 4N.
struct Input {
    name: &'static str,
    build: fn(usize) -> String,
}

const INPUTS: [Input; 9] = [
    Input {
        name: "periods-2MB",
        build: |scale| ".".repeat(scale * (2 << 20)),
    },
    Input {
        name: "titles-300k",
        build: |scale| "Dr. ".repeat(scale * 300_000),
    },
    Input {
        name: "parens-100k",
        build: |scale| {
            let depth = scale * 100_000;
            format!("{}x{}", "(".repeat(depth), ")".repeat(depth))
        },
    },
    Input {
        name: "digits-1M",
        build: |scale| format!("About {} people.", "9".repeat(scale * 1_000_000)),
    },
    Input {
        name: "words-1MB",
        build: |scale| "word ".repeat(scale * (1 << 20) / 5),
    },
    Input {
        name: "name-list-1000",
        build: |scale| {
            let names: Vec<&str> = (0..scale * 1000).map(|i| NAMES[i % NAMES.len()]).collect();
            format!("Haftar is backed by {} and the UAE.", names.join(", "))
        },
    },
    Input {
        name: "made-up-names-1000",
        build: |scale| {
            let names: Vec<String> = (0..scale * 1000).map(made_up_name).collect();
            format!("Haftar is backed by {} and the UAE.", names.join(", "))
        },
    },
    Input {
        name: "quotes-5000",
        build: |scale| format!("He said {}.", "\"a\" ".repeat(scale * 5000)),
    },
    Input {
        name: "quote-marks-20k",
        build: |scale| "“".repeat(scale * 20_000),
    },
];

/// An English document of `text`, dated, as the corpus reader would give it.
fn document(text: String) -> Document {
    let date = "2020-01-08".parse().ok();
    Document::whole_text(DocumentMeta::given("adversarial.txt", "en", date), text)
}

fn configured() -> Criterion {
    Criterion::default()
        .sample_size(10)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
        .without_plots()
}

fn stages(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("the embedded rules load");
    let english = rules.language("en");
    let anchor = Anchor::from_date("2020-01-08".parse().ok());
    let mut split = c.benchmark_group("adversarial-split");
    let documents: Vec<(&str, usize, Document)> = INPUTS
        .iter()
        .flat_map(|input| [1, 4].map(|scale| (input.name, scale, document((input.build)(scale)))))
        .collect();
    for (name, scale, doc) in &documents {
        split.throughput(Throughput::Bytes(doc.text.len() as u64));
        split.bench_with_input(BenchmarkId::new(*name, scale), doc, |b, doc| {
            b.iter(|| english.segmenter.split(black_box(&doc.text), doc.body))
        });
    }
    split.finish();

    let mut extract = c.benchmark_group("adversarial-extract");
    for (name, scale, doc) in &documents {
        let sentences = english.segmenter.split(&doc.text, doc.body);
        extract.throughput(Throughput::Bytes(doc.text.len() as u64));
        extract.bench_with_input(BenchmarkId::new(*name, scale), doc, |b, doc| {
            b.iter(|| claimdiff::extract::extract(black_box(doc), &sentences, &rules))
        });
    }
    extract.finish();

    let mut parse = c.benchmark_group("adversarial-parse");
    for (name, scale, doc) in &documents {
        let text = doc.text.as_str();
        parse.throughput(Throughput::Bytes(text.len() as u64));
        parse.bench_with_input(BenchmarkId::new(*name, scale), text, |b, text| {
            b.iter(|| {
                (
                    english.numbers.parse(black_box(text)),
                    english.times.parse(black_box(text), &anchor, None),
                    rules.entities.match_at(black_box(text), 0, "en"),
                )
            })
        });
    }
    parse.finish();
}

criterion_group! {
    name = adversarial;
    config = configured();
    targets = stages
}
criterion_main!(adversarial);
