//! Claims of the `width` group: the max margin saturates at width n and equals half the ℓ1-SVM margin there.
//! See `theorems/width.md` for the statement → check → test map.

pub mod common;

checks!(l1_svm, monotone);
