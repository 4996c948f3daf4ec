//! Claims of the `width` group: the max margin saturates at width n and equals half the ℓ1-SVM margin there.
//! See `theorems/width.md` for the statement → check → test map.

use super::Claim;

pub mod common;
pub mod l1_svm;
pub mod monotone;

/// The checks of this group, claims before their controls.
pub fn claims() -> Vec<Box<dyn Claim>> {
    let mut all: Vec<Box<dyn Claim>> = Vec::new();
    all.extend(l1_svm::WidthL1Svm::all());
    all.extend(monotone::WidthMonotone::all());
    all
}
