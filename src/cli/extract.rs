//! `claimdiff extract`.

use super::Failure;

/// Arguments of `claimdiff extract`.
#[derive(Clone, Debug, clap::Args)]
pub struct Args {}

/// Runs `claimdiff extract`.
pub fn run(_args: &Args) -> Result<u8, Failure> {
    Err(Failure("`claimdiff extract` is not built yet".to_string()))
}
