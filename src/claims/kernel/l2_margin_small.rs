//! Work in progress.

use crate::claims::Claim;

/// The checks of this file.
pub fn claims() -> Vec<Box<dyn Claim>> {
    Vec::new()
}
