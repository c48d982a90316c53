//! Throughput of extraction (sentences per second, over the seed articles) and of the whole
//! `check` pipeline (articles per second, over a corpus built by `gen-corpus`).
//!
//! Run: `cargo bench --bench pipeline -- --warm-up-time 1 --measurement-time 3`.
//! For corpora of 1k–100k articles, with peak memory, see `bench/scale.sh`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use claimdiff::cli::gen_corpus;
use claimdiff::corpus::{discover, StoryMode};
use claimdiff::model::{Document, Sentence};
use claimdiff::pipeline::{check_corpus, read_all, CorpusOptions};
use claimdiff::rules::RuleSet;
use criterion::{criterion_group, criterion_main, Criterion, Throughput};

/// Articles in the generated corpus of the `check` benchmark.
const ARTICLES: usize = 200;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The seed documents, each with its sentences.
fn seed_documents(rules: &RuleSet) -> Vec<(Document, Vec<Sentence>)> {
    let inputs = discover(&[root().join("seeds")], StoryMode::One).expect("seeds");
    let (documents, problems) = read_all(&inputs, rules, &CorpusOptions::default(), |document| {
        let language = rules.language(&document.meta.lang);
        let sentences = language.segmenter.split(&document.text, document.body);
        (document, sentences)
    });
    assert!(problems.is_empty(), "the seeds read: {problems:?}");
    documents
}

fn extract(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("rules");
    let documents = seed_documents(&rules);
    let sentences: usize = documents.iter().map(|(_, s)| s.len()).sum();
    let mut group = c.benchmark_group("extract");
    group.throughput(Throughput::Elements(sentences as u64));
    group.bench_function("seeds", |b| {
        b.iter(|| {
            for (document, sentences) in &documents {
                black_box(claimdiff::extract::extract(document, sentences, &rules));
            }
        })
    });
    group.finish();
}

/// Writes a corpus of `articles` articles under `dir`.
fn generate(dir: &Path, articles: usize) {
    let args = gen_corpus::Args {
        out: dir.to_path_buf(),
        articles,
        per_story: 5,
        min_bytes: 3000,
        seed: 1,
        from: vec![root().join("seeds"), root().join("fixtures/corpora")],
    };
    gen_corpus::run(&args).expect("the corpus is generated");
}

fn check(c: &mut Criterion) {
    let rules = RuleSet::embedded().expect("rules");
    let dir = tempfile::tempdir().expect("temporary directory");
    let corpus = dir.path().join("corpus");
    generate(&corpus, ARTICLES);
    let inputs = discover(&[corpus], StoryMode::Dirs).expect("corpus");
    let mut group = c.benchmark_group("check");
    group.sample_size(10);
    group.throughput(Throughput::Elements(ARTICLES as u64));
    group.bench_function("articles", |b| {
        b.iter(|| black_box(check_corpus(&inputs, &rules, &CorpusOptions::default())))
    });
    group.finish();
}

criterion_group!(benches, extract, check);
criterion_main!(benches);
