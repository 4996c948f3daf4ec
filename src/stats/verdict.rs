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

    /// The three-way ending of every region rule: Inconclusive when the numbers are not `usable` (non-finite, a
    /// broken certificate); else Supported when the support region holds, Refuted when the refutation region holds
    /// (the two are disjoint by construction of each rule), Inconclusive in between.
    pub fn decide(usable: bool, supported: bool, refuted: bool) -> Self {
        if !usable {
            Verdict::Inconclusive
        } else if supported {
            Verdict::Supported
        } else if refuted {
            Verdict::Refuted
        } else {
            Verdict::Inconclusive
        }
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
    fn three_way_decision() {
        assert_eq!(Verdict::decide(false, true, false), Verdict::Inconclusive);
        assert_eq!(Verdict::decide(true, true, false), Verdict::Supported);
        assert_eq!(Verdict::decide(true, false, true), Verdict::Refuted);
        assert_eq!(Verdict::decide(true, false, false), Verdict::Inconclusive);
    }

    #[test]
    fn conjunction() {
        use Verdict::*;
        assert_eq!(Verdict::all([Supported, Supported]), Supported);
        assert_eq!(Verdict::all([Supported, Inconclusive]), Inconclusive);
        assert_eq!(Verdict::all([Inconclusive, Refuted]), Refuted);
        assert_eq!(Verdict::all([]), Supported);
    }
}
