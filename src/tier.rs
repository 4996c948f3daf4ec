//! How much work a run does: the quick tier (seconds per check; what `cargo test` and a default `verify` run), the
//! full tier (the paper's scale), or the xl tier (beyond one machine: larger sweeps meant to run as shards on a
//! cluster; every computation without an xl size of its own does exactly what it does in the full tier).

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
    /// Cluster scale: the NTK sample-complexity sweep to d = 96 with 16 replicates; everything else as in `Full`.
    Xl,
}

impl Tier {
    /// Picks the quick or the full value (the xl tier takes the full value).
    pub fn pick<T>(self, quick: T, full: T) -> T {
        match self {
            Tier::Quick => quick,
            Tier::Full | Tier::Xl => full,
        }
    }

    /// Picks the quick, full or xl value (for the few sizes that have an xl value of their own).
    pub fn pick3<T>(self, quick: T, full: T, xl: T) -> T {
        match self {
            Tier::Quick => quick,
            Tier::Full => full,
            Tier::Xl => xl,
        }
    }

    /// Whether this tier runs at least the paper's scale (full or xl).
    pub fn at_least_full(self) -> bool {
        self != Tier::Quick
    }

    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Tier::Quick => "quick",
            Tier::Full => "full",
            Tier::Xl => "xl",
        }
    }
}

impl std::str::FromStr for Tier {
    type Err = crate::Error;
    fn from_str(s: &str) -> crate::Result<Self> {
        match s {
            "quick" => Ok(Tier::Quick),
            "full" => Ok(Tier::Full),
            "xl" => Ok(Tier::Xl),
            other => Err(crate::Error::param("tier", other, "must be 'quick', 'full' or 'xl'")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xl_behaves_like_full_unless_asked() {
        assert_eq!(Tier::Xl.pick(1, 2), 2);
        assert_eq!(Tier::Xl.pick3(1, 2, 3), 3);
        assert_eq!(Tier::Full.pick3(1, 2, 3), 2);
        assert!(Tier::Xl.at_least_full() && !Tier::Quick.at_least_full());
        for t in [Tier::Quick, Tier::Full, Tier::Xl] {
            assert_eq!(t.as_str().parse::<Tier>().unwrap(), t);
        }
    }
}
