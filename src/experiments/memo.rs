//! Process-wide memo for expensive, deterministic intermediate results shared by a claim and its controls (the
//! certified λ path and ℓ1-SVM certificates of `margin`/`width`, the sample-complexity sweep of `ntk`, the flow
//! certificates and step-size pairs of `wgf`): computed once per key in this process, then shared. Keys start with
//! the owning module's name (`"ntk.sweep|…"`) so that modules cannot collide.
//!
//! The key must contain everything the value depends on (master seed, dataset, sizes). Each key has its own slot:
//! the global lock is held only to find the slot. On a plain thread (the checks of `verify` and the test harness run
//! on those), the slot is locked while the value is computed, so a control asking for the sweep its claim is
//! computing waits for it instead of computing it again; other keys are not blocked. On a rayon worker the slot is
//! never waited for (a blocked worker could hold the very job its owner waits on): if the value is not there it is
//! computed, and stored unless another thread got there first — the values are deterministic, so either copy is the
//! same. Errors are never stored.

use crate::Result;
use std::any::Any;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

type Value = Arc<dyn Any + Send + Sync>;
type Slot = Arc<Mutex<Option<Value>>>;

fn slot(key: &str) -> Slot {
    static STORE: OnceLock<Mutex<BTreeMap<String, Slot>>> = OnceLock::new();
    let store = STORE.get_or_init(|| Mutex::new(BTreeMap::new()));
    let mut map = store.lock().unwrap_or_else(PoisonError::into_inner);
    map.entry(key.to_string()).or_default().clone()
}

/// The value of `compute()` under `key`, computed at most once per key in this process (on rayon workers: up to
/// races). A key already holding a value of a different type is recomputed and not stored.
pub fn memo<V, F>(key: &str, compute: F) -> Result<Arc<V>>
where
    V: Any + Send + Sync,
    F: FnOnce() -> Result<V>,
{
    let slot = slot(key);
    if rayon::current_thread_index().is_some() {
        let found = slot.try_lock().ok().and_then(|g| g.clone());
        if let Some(v) = found.and_then(|v| v.downcast::<V>().ok()) {
            return Ok(v);
        }
        let value = Arc::new(compute()?);
        if let Ok(mut g) = slot.try_lock() {
            g.get_or_insert_with(|| value.clone() as Value);
        }
        return Ok(value);
    }
    let mut guard = slot.lock().unwrap_or_else(PoisonError::into_inner);
    if let Some(v) = guard.clone().and_then(|v| v.downcast::<V>().ok()) {
        return Ok(v);
    }
    let value = Arc::new(compute()?);
    if guard.is_none() {
        *guard = Some(value.clone() as Value);
    }
    Ok(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[test]
    fn computes_once_per_key() {
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let f = || -> Result<u64> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            Ok(7)
        };
        let a = memo("memo-test-key", f).unwrap();
        let b = memo("memo-test-key", f).unwrap();
        assert_eq!((*a, *b), (7, 7));
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
        // errors are not stored
        assert!(memo::<u64, _>("memo-test-err", || Err(crate::Error::Numerical("x".into()))).is_err());
        assert_eq!(*memo("memo-test-err", || Ok(3u64)).unwrap(), 3);
    }

    /// Plain threads asking for the same key at once wait for one computation (a claim and its control sharing a
    /// sweep); inside rayon workers the memo never blocks, and every caller gets the same value.
    #[test]
    fn concurrent_callers_share_one_computation() {
        use rayon::prelude::*;
        static CALLS: AtomicUsize = AtomicUsize::new(0);
        let slow = || -> Result<u64> {
            CALLS.fetch_add(1, Ordering::SeqCst);
            std::thread::sleep(std::time::Duration::from_millis(50));
            Ok(11)
        };
        let got: Vec<u64> = std::thread::scope(|s| {
            let hs: Vec<_> = (0..4).map(|_| s.spawn(|| *memo("memo-test-concurrent", slow).unwrap())).collect();
            hs.into_iter().map(|h| h.join().unwrap()).collect()
        });
        assert_eq!(got, vec![11; 4]);
        assert_eq!(CALLS.load(Ordering::SeqCst), 1);
        let inner: Vec<u64> = (0..8).into_par_iter().map(|_| *memo("memo-test-rayon", || Ok(5u64)).unwrap()).collect();
        assert_eq!(inner, vec![5; 8]);
    }
}
