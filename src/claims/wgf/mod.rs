//! Claims of the `wgf` group. See `theorems/` for the statement → check → test map.

use super::Claim;

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    Vec::new()
}
