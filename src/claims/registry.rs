//! The registry: every claim and falsification control the suite knows, and the runner.

use super::{Claim, Context, Evidence, Kind, Verdict};
use serde::Serialize;
use serde_json::Value;
use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::Instant;

/// Every registered check, in a fixed order (group by group, claims before their controls).
pub fn registry() -> Vec<Box<dyn Claim>> {
    let mut all: Vec<Box<dyn Claim>> = Vec::new();
    all.extend(super::nets::claims());
    all.extend(super::margin::claims());
    all.extend(super::width::claims());
    all.extend(super::kernel::claims());
    all.extend(super::ntk::claims());
    all.extend(super::wgf::claims());
    all
}

/// Does `id` match `pattern`? A pattern selects ids by prefix; `*` matches any run of characters.
/// So `ntk.lower_bound` selects the claim and its controls (`ntk.lower_bound:…`), and `*:*` every control.
pub fn matches(pattern: &str, id: &str) -> bool {
    fn go(p: &[u8], s: &[u8]) -> bool {
        match p.split_first() {
            None => true, // prefix semantics: the rest of the id is free
            Some((b'*', rest)) => (0..=s.len()).any(|k| go(rest, &s[k..])),
            Some((c, rest)) => s.first() == Some(c) && go(rest, &s[1..]),
        }
    }
    go(pattern.as_bytes(), id.as_bytes())
}

/// The result of running one check: its evidence plus bookkeeping.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// The check's id.
    pub id: String,
    /// The paper's theorem numbering.
    pub source: String,
    /// Claim or control.
    pub kind: Kind,
    /// The verdict (an error is reported as `Inconclusive` with the error in `error`).
    pub verdict: Verdict,
    /// The decision rule in words.
    pub rule: String,
    /// One line of key numbers.
    pub summary: String,
    /// The metrics the rule decided on.
    pub metrics: BTreeMap<String, Value>,
    /// α spent by the rule.
    pub alpha: f64,
    /// Notes (reconstructed details, choices).
    pub notes: Vec<String>,
    /// Artifact paths.
    pub artifacts: Vec<String>,
    /// Wall time in seconds.
    pub seconds: f64,
    /// The error message, if the check failed to run.
    pub error: Option<String>,
}

impl Outcome {
    /// Did the check come out the way a healthy suite expects (claim Supported, control Refuted)?
    pub fn as_expected(&self) -> bool {
        self.verdict == self.kind.expected()
    }
}

/// Runs one check under `ctx` (setting the context's claim id) and records its outcome.
pub fn run_one(claim: &dyn Claim, ctx: &mut Context) -> Outcome {
    ctx.claim_id = claim.id().to_string();
    let start = Instant::now();
    let result = catch_unwind(AssertUnwindSafe(|| claim.check(ctx))).unwrap_or_else(|payload| {
        let msg = payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic payload".into());
        Err(crate::Error::Numerical(format!("the check panicked: {msg}")))
    });
    let seconds = start.elapsed().as_secs_f64();
    let (ev, error) = match result {
        Ok(ev) => (ev, None),
        Err(e) => (
            Evidence::from_decision(super::Decision::new(Verdict::Inconclusive, "the check returned an error")),
            Some(e.to_string()),
        ),
    };
    Outcome {
        id: claim.id().to_string(),
        source: claim.source().to_string(),
        kind: claim.kind(),
        verdict: ev.verdict,
        rule: ev.rule,
        summary: ev.summary,
        metrics: ev.metrics,
        alpha: ev.alpha,
        notes: ev.notes,
        artifacts: ev.artifacts.iter().map(|p| p.display().to_string()).collect(),
        seconds,
        error,
    }
}

/// Runs `checks` with up to `workers` running at once, each on its own clone of `ctx`, calls `on_done` as each one
/// finishes, and returns the outcomes in the order of `checks`.
///
/// Outcomes do not depend on `workers` or on the schedule: a check draws only from its own streams
/// (seed, id, replicate), and results shared between checks are cached by (seed, configuration). The checks run on plain
/// scoped threads, not on rayon workers, so a check that waits for a shared cache never stalls the rayon pool that its
/// own parallel loops use. A check that panics is reported as an error outcome (`Inconclusive`), not propagated.
pub fn run_all(
    checks: &[Box<dyn Claim>],
    ctx: &Context,
    workers: usize,
    on_done: &(dyn Fn(&Outcome) + Sync),
) -> Vec<Outcome> {
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::channel();
    std::thread::scope(|scope| {
        for _ in 0..workers.clamp(1, checks.len().max(1)) {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                let mut local = ctx.clone();
                loop {
                    let index = next.fetch_add(1, Ordering::Relaxed);
                    let Some(check) = checks.get(index) else { break };
                    let outcome = run_one(check.as_ref(), &mut local);
                    on_done(&outcome);
                    if tx.send((index, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
    });
    drop(tx);
    let mut done: Vec<(usize, Outcome)> = rx.into_iter().collect();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, o)| o).collect()
}

/// Looks a check up by exact id.
pub fn find(id: &str) -> Option<Box<dyn Claim>> {
    registry().into_iter().find(|c| c.id() == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pattern_matching() {
        assert!(matches("ntk.lower_bound", "ntk.lower_bound"));
        assert!(matches("ntk.lower_bound", "ntk.lower_bound:degree-one-label"));
        assert!(matches("ntk", "ntk.non_focus"));
        assert!(!matches("ntk.non", "ntk.lower_bound"));
        assert!(matches("*:*", "margin.limit:unregularized-bias"));
        assert!(!matches("*:*", "margin.limit"));
        assert!(matches("*limit", "margin.limit"));
        assert!(matches("", "anything"));
    }

    #[test]
    fn ids_unique_and_well_formed() {
        let reg = registry();
        let mut ids: Vec<&str> = reg.iter().map(|c| c.id()).collect();
        for id in &ids {
            assert!(!id.is_empty() && !id.contains(' '), "bad id {id:?}");
            assert_eq!(Kind::of_id(id), reg.iter().find(|c| c.id() == *id).map(|c| c.kind()).unwrap_or(Kind::Claim));
        }
        let n = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), n, "duplicate ids in the registry");
    }
}
