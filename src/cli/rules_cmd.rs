//! `claimdiff rules`.

use super::Failure;

/// Arguments of `claimdiff rules`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {}

/// Runs `claimdiff rules`.
pub fn run(_args: &Args) -> Result<u8, Failure> {
    Err(Failure("`claimdiff rules` is not built yet".to_string()))
}
