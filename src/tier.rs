//! How much work a run does: the quick tier (seconds per check; what `cargo test` and a default `verify` run) or
//! the full tier (the paper's scale).

use serde::{Deserialize, Serialize};

/// How much work a check does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Tier {
    /// Small sizes, seconds per claim: what `cargo test` and a default `verify` run.
    #[default]
    Quick,
    /// The paper's scale: `--tier full` and `cargo test -- --ignored`.
    Full,
}

impl Tier {
    /// Picks the quick or the full value.
    pub fn pick<T>(self, quick: T, full: T) -> T {
        match self {
            Tier::Quick => quick,
            Tier::Full => full,
        }
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Quick => "quick",
            Tier::Full => "full",
        }
    }
}

impl std::str::FromStr for Tier {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "quick" => Ok(Tier::Quick),
            "full" => Ok(Tier::Full),
            other => Err(crate::Error::param("tier", other, "must be 'quick' or 'full'")),
        }
    }
}
