//! Reports: the verdict table, JSON, CSV and SVG artifacts, the dependency graph. Knows claims' evidence, nothing else.

pub mod figures;
pub mod graph;
pub mod html;
pub mod json;
pub mod partial;
pub mod robustness;
pub mod table;

pub use json::to_json;
pub use robustness::{robustness_json, robustness_table};
pub use table::{footer, table};
