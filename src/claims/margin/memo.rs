//! Process-wide memo for expensive, deterministic intermediate results shared by a claim and its controls (the
//! certified λ path, the ℓ1-SVM certificate): computed once per key in this process, then shared.
//!
//! The key must contain everything the value depends on (master seed, dataset, sizes). The global lock is held only
//! to look up and to insert, never while computing, so a computation may itself use rayon or the memo without
//! deadlocking; two threads racing on the same key both compute the same (deterministic) value and the first insert
//! wins.

use crate::Result;
use std::any::Any;
use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

type Store = Mutex<BTreeMap<String, Arc<dyn Any + Send + Sync>>>;

fn store() -> &'static Store {
    static STORE: OnceLock<Store> = OnceLock::new();
    STORE.get_or_init(|| Mutex::new(BTreeMap::new()))
}

/// The value of `compute()` under `key`, computed at most once per key (up to races) in this process.
/// A key already holding a value of a different type is recomputed and not stored.
pub fn memo<V, F>(key: &str, compute: F) -> Result<Arc<V>>
where
    V: Any + Send + Sync,
    F: FnOnce() -> Result<V>,
{
    let found = store().lock().ok().and_then(|g| g.get(key).cloned());
    if let Some(v) = found.and_then(|v| v.downcast::<V>().ok()) {
        return Ok(v);
    }
    let value = Arc::new(compute()?);
    if let Ok(mut g) = store().lock() {
        let entry = g.entry(key.to_string()).or_insert_with(|| value.clone() as Arc<dyn Any + Send + Sync>);
        if let Ok(v) = entry.clone().downcast::<V>() {
            return Ok(v);
        }
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
}
