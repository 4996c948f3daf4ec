//! The three outcomes of a check.

use serde::{Deserialize, Serialize};

/// What a numerical check says about a statement.
///
/// "Supported" is the honest word: a numerical check supports a theorem, it never proves it. For a falsification
/// control (a deliberately false twin of a claim) the expected outcome is `Refuted`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    /// The check's decision rule held.
    Supported,
    /// The decision rule failed decisively.
    Refuted,
    /// Neither: a solver did not certify, a CI straddles the threshold, …
    Inconclusive,
}

impl Verdict {
    /// `Supported` iff `cond`, otherwise `Refuted`.
    pub fn from_bool(cond: bool) -> Self {
        if cond { Verdict::Supported } else { Verdict::Refuted }
    }

    /// Conjunction: every part must be supported; any refuted part refutes; otherwise inconclusive.
    pub fn all(parts: impl IntoIterator<Item = Verdict>) -> Self {
        let mut out = Verdict::Supported;
        for v in parts {
            match v {
                Verdict::Refuted => return Verdict::Refuted,
                Verdict::Inconclusive => out = Verdict::Inconclusive,
                Verdict::Supported => {}
            }
        }
        out
    }

    /// Lower-case name as printed in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Supported => "supported",
            Verdict::Refuted => "refuted",
            Verdict::Inconclusive => "inconclusive",
        }
    }
}

impl std::fmt::Display for Verdict {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conjunction() {
        use Verdict::*;
        assert_eq!(Verdict::all([Supported, Supported]), Supported);
        assert_eq!(Verdict::all([Supported, Inconclusive]), Inconclusive);
        assert_eq!(Verdict::all([Inconclusive, Refuted]), Refuted);
        assert_eq!(Verdict::all([]), Supported);
    }
}
