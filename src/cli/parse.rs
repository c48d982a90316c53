//! `claimdiff parse`.

use super::Failure;

/// Arguments of `claimdiff parse`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {}

/// Runs `claimdiff parse`.
pub fn run(_args: &Args) -> Result<u8, Failure> {
    Err(Failure("`claimdiff parse` is not built yet".to_string()))
}
