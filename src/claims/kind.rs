//! Whether a check is a claim of the paper or a falsification control.

use crate::stats::Verdict;
use serde::{Deserialize, Serialize};

/// Whether a registered check is a claim of the paper or a falsification control.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A statement of the paper (or a lemma the suite relies on); expected `Supported`.
    Claim,
    /// A false twin of a claim, or a claim's check on broken input; expected `Refuted`.
    Control,
}

impl Kind {
    /// A control's id is its claim's id, a colon and a short name (`ntk.lower_bound:degree-one-label`).
    pub fn of_id(id: &str) -> Self {
        if id.contains(':') { Kind::Control } else { Kind::Claim }
    }

    /// The verdict a healthy suite expects for this kind.
    pub fn expected(self) -> Verdict {
        match self {
            Kind::Claim => Verdict::Supported,
            Kind::Control => Verdict::Refuted,
        }
    }

    /// Lower-case name as printed in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Claim => "claim",
            Kind::Control => "control",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kind_from_id() {
        assert_eq!(Kind::of_id("ntk.lower_bound"), Kind::Claim);
        assert_eq!(Kind::of_id("ntk.lower_bound:degree-one-label"), Kind::Control);
    }
}
