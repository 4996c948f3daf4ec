//! Memory budget: a command estimates the bytes it will allocate before allocating them and refuses, with a typed
//! error naming the estimate and the `--max-memory` option, when the estimate is above the limit.
//!
//! The limit is `--max-memory BYTES` when given ([`parse_bytes`]: an integer with an optional binary suffix K, M, G,
//! T — 8G = 8·2³⁰ bytes), else 80% of `MemAvailable` in `/proc/meminfo`, else [`FALLBACK_BYTES`] when that file cannot
//! be read. Estimates are computed in u128 with saturating arithmetic ([`f64s`]), so an absurd size (n = 2⁶³ − 1)
//! becomes a huge estimate and an error, never an overflow or a failed allocation.

use crate::error::{Error, Result};

/// The limit used when `/proc/meminfo` has no readable `MemAvailable` line: 4 GiB.
pub const FALLBACK_BYTES: u64 = 4 << 30;

/// The fraction of `MemAvailable` a command may use by default.
pub const AVAILABLE_FRACTION: f64 = 0.8;

/// Parses a byte count: digits with an optional suffix K, M, G, T (binary: ×2¹⁰, ×2²⁰, ×2³⁰, ×2⁴⁰; also `KB`, `KiB`,
/// …, any case) or `B`.
///
/// Errors: [`Error::InvalidParameter`] for anything else, zero, or a value above u64::MAX.
pub fn parse_bytes(s: &str) -> Result<u64> {
    let bad = |why: &str| Error::param("--max-memory", format!("'{s}'"), why);
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (digits, suffix) = t.split_at(split);
    if digits.is_empty() {
        return Err(bad("expected a byte count such as 8G, 512M or 1000000"));
    }
    let shift = match suffix.trim().to_ascii_uppercase().as_str() {
        "" | "B" => 0,
        "K" | "KB" | "KIB" => 10,
        "M" | "MB" | "MIB" => 20,
        "G" | "GB" | "GIB" => 30,
        "T" | "TB" | "TIB" => 40,
        _ => return Err(bad("unknown suffix (use K, M, G or T)")),
    };
    let v: u64 = digits.parse().map_err(|_| bad("number too large"))?;
    let bytes = v.checked_mul(1u64 << shift).ok_or_else(|| bad("number too large"))?;
    if bytes == 0 {
        return Err(bad("must be > 0"));
    }
    Ok(bytes)
}

/// `MemAvailable` from `/proc/meminfo` in bytes, if readable.
pub fn available() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/meminfo").ok()?;
    parse_meminfo(&text)
}

/// The `MemAvailable:  N kB` line of a meminfo text, in bytes.
fn parse_meminfo(text: &str) -> Option<u64> {
    let line = text.lines().find(|l| l.starts_with("MemAvailable:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    kb.checked_mul(1024)
}

/// Bytes of `counts[0] · counts[1] · …` f64 values (saturating at u128::MAX).
pub fn f64s(counts: &[usize]) -> u128 {
    counts.iter().fold(8u128, |acc, &c| acc.saturating_mul(c as u128))
}

/// A memory limit and where it came from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limit {
    /// Bytes.
    pub bytes: u64,
    /// `--max-memory`, `80% of MemAvailable` or the fallback.
    pub source: String,
}

impl Limit {
    /// `--max-memory` if given, else 80% of `MemAvailable`, else [`FALLBACK_BYTES`].
    pub fn resolve(max_memory: Option<u64>) -> Limit {
        match max_memory {
            Some(bytes) => Limit { bytes, source: "--max-memory".into() },
            None => match available() {
                Some(avail) => Limit {
                    bytes: (avail as f64 * AVAILABLE_FRACTION) as u64,
                    source: format!("80% of MemAvailable {}", crate::error::human_bytes(avail)),
                },
                None => Limit { bytes: FALLBACK_BYTES, source: "fallback: /proc/meminfo unreadable".into() },
            },
        }
    }

    /// Ok when `needed` ≤ the limit, else [`Error::Memory`] naming `what`, the estimate and the limit.
    pub fn check(&self, what: &str, needed: u128) -> Result<()> {
        if needed <= self.bytes as u128 {
            Ok(())
        } else {
            Err(Error::Memory { what: what.to_string(), needed, limit: self.bytes, limit_source: self.source.clone() })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn byte_counts_parse_with_suffixes() {
        assert_eq!(parse_bytes("1000").unwrap(), 1000);
        assert_eq!(parse_bytes("8G").unwrap(), 8 << 30);
        assert_eq!(parse_bytes("512m").unwrap(), 512 << 20);
        assert_eq!(parse_bytes("2KiB").unwrap(), 2048);
        assert_eq!(parse_bytes("1T").unwrap(), 1 << 40);
        for bad in ["", "G", "0", "-1", "1.5G", "8X", "99999999999999999999", "17179869184T"] {
            assert!(matches!(parse_bytes(bad), Err(Error::InvalidParameter { .. })), "{bad}");
        }
    }

    #[test]
    fn meminfo_and_limits() {
        assert_eq!(parse_meminfo("MemTotal: 10 kB\nMemAvailable:    2048 kB\n"), Some(2 << 20));
        assert_eq!(parse_meminfo("MemTotal: 10 kB\n"), None);
        let l = Limit { bytes: 1000, source: "--max-memory".into() };
        assert!(l.check("x", 1000).is_ok());
        let e = l.check("the 50000 × 50000 kernel matrix", f64s(&[50_000, 50_000])).unwrap_err().to_string();
        assert!(e.contains("18.6 GiB") && e.contains("--max-memory"), "{e}");
        assert_eq!(f64s(&[usize::MAX, usize::MAX, 3]), u128::MAX);
        assert!(Limit::resolve(None).bytes > 0);
    }
}
