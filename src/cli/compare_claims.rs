//! `claimdiff compare`: compares claims extracted elsewhere (`extract --format jsonl`), from one
//! or several files in any order, and reports like `check`.

use std::io::BufRead;
use std::path::PathBuf;

use super::check::{with_jobs, ComparisonArgs};
use super::Failure;
use crate::compare::{compare_refs, sort_claims, SortedFindings};
use crate::model::{Claim, ClaimRecord, DocumentMeta, SCHEMA_VERSION};

/// Arguments of `claimdiff compare`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {
    /// JSON Lines files of claim records (`-` for standard input).
    #[arg(value_name = "CLAIMS.jsonl", required = true)]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    /// Threads, report and rules.
    pub comparison: ComparisonArgs,
}

/// Claims read from JSON Lines, with the documents they name.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Records {
    /// Documents, by id, each once (the first record's metadata wins).
    pub documents: Vec<DocumentMeta>,
    /// Claims, sorted by document and position, exact duplicates removed.
    pub claims: Vec<Claim>,
}

/// Reads claim records from JSON Lines files (`-` is standard input). Blank lines are skipped;
/// a malformed line or another schema version is an error naming `file:line`.
pub fn read_records(files: &[PathBuf]) -> Result<Records, Failure> {
    let mut documents: std::collections::BTreeMap<crate::model::DocId, DocumentMeta> =
        Default::default();
    let mut claims = Vec::new();
    for file in files {
        let reader: Box<dyn BufRead> = if file.as_os_str() == "-" {
            Box::new(std::io::stdin().lock())
        } else {
            let opened = std::fs::File::open(file)
                .map_err(|e| Failure(format!("{}: {e}", file.display())))?;
            Box::new(std::io::BufReader::new(opened))
        };
        for (number, line) in reader.lines().enumerate() {
            let at = || format!("{}:{}", file.display(), number + 1);
            let line = line.map_err(|e| Failure(format!("{}: {e}", at())))?;
            if line.trim().is_empty() {
                continue;
            }
            let record: ClaimRecord = serde_json::from_str(&line)
                .map_err(|e| Failure(format!("{}: not a claim record: {e}", at())))?;
            if record.schema_version != SCHEMA_VERSION {
                return Err(Failure(format!(
                    "{}: schema version {} (this claimdiff reads version {SCHEMA_VERSION})",
                    at(),
                    record.schema_version
                )));
            }
            let meta = documents
                .entry(record.document_meta.id.clone())
                .or_insert(record.document_meta);
            // One shared id per document, as `check` has.
            let mut claim = record.claim;
            if *claim.document == *meta.id {
                claim.document = meta.id.clone();
            }
            if *claim.evidence.file == *meta.id {
                claim.evidence.file = meta.id.clone();
            }
            claims.push(claim);
        }
    }
    sort_claims(&mut claims);
    claims.dedup();
    Ok(Records {
        documents: documents.into_values().collect(),
        claims,
    })
}

/// Runs `claimdiff compare`.
pub fn run(args: &Args) -> Result<u8, Failure> {
    let rules = args.comparison.rules.load(&[])?;
    let records = read_records(&args.files)?;
    let claims = records.claims.len();
    // The report is written on a thread of the pool too, as `check` writes it: the findings are
    // freed where they were made, which the allocator does faster than a free from another
    // thread.
    with_jobs(args.comparison.jobs, || {
        // Unsorted: the sorter sorts them once.
        let claim_refs: Vec<&Claim> = records.claims.iter().collect();
        let findings = compare_refs(&records.documents, &claim_refs, &rules);
        args.comparison.report.finish(
            records.documents,
            claims,
            SortedFindings::from_findings(findings),
            &[],
            &[],
        )
    })?
}
