//! `claimdiff compare`.

use super::Failure;

/// Arguments of `claimdiff compare`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {}

/// Runs `claimdiff compare`.
pub fn run(_args: &Args) -> Result<u8, Failure> {
    Err(Failure("`claimdiff compare` is not built yet".to_string()))
}
