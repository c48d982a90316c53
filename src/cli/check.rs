//! `claimdiff check`.

use super::Failure;

/// Arguments of `claimdiff check`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {}

/// Runs `claimdiff check`.
pub fn run(_args: &Args) -> Result<u8, Failure> {
    Err(Failure("`claimdiff check` is not built yet".to_string()))
}
