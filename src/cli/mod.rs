//! Subcommand implementations of the `regmatters` binary.

pub mod eig;
pub mod kernel;
pub mod merge;
pub mod repro;
pub mod spectrum;
pub mod verify;
