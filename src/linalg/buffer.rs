//! Large zero-initialized output buffers backed by transparent huge pages where the OS allows it.
//!
//! An n × n kernel matrix at n = 4000 is 128 MB, i.e. 32 768 first-touch page faults with 4 KiB pages; on the
//! virtual machines this suite runs on each costs several microseconds, so faulting the output in took longer than
//! the whole GEMM. `zeroed` allocates with `calloc` semantics (fresh zero pages, nothing written yet) and, on Linux,
//! asks `madvise(MADV_HUGEPAGE)` for the 2 MiB-aligned interior before anything touches it (honoured when
//! `/sys/kernel/mm/transparent_hugepage/enabled` is `always` or `madvise`; otherwise a no-op). The contents are
//! zeros either way; the advice only changes the page size.

/// A vector of `len` zeros; on Linux (x86-64, aarch64) buffers of at least 4 MiB are advised to use huge pages.
pub fn zeroed(len: usize) -> Vec<f64> {
    let mut v = vec![0.0_f64; len];
    advise_huge(&mut v);
    v
}

#[cfg(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64")))]
fn advise_huge(v: &mut [f64]) {
    use std::ffi::{c_int, c_void};
    unsafe extern "C" {
        fn madvise(addr: *mut c_void, len: usize, advice: c_int) -> c_int;
    }
    /// MADV_HUGEPAGE from <asm-generic/mman-common.h> (the value on x86-64 and aarch64).
    const MADV_HUGEPAGE: c_int = 14;
    const HUGE: usize = 2 << 20;
    let bytes = std::mem::size_of_val(v);
    if bytes < 2 * HUGE {
        return;
    }
    let start = v.as_mut_ptr() as usize;
    let lo = start.next_multiple_of(HUGE);
    let hi = (start + bytes) / HUGE * HUGE;
    if hi > lo {
        // SAFETY: [lo, hi) lies inside the allocation of `v` and is page-aligned; MADV_HUGEPAGE is advice only — it
        // never changes the contents of the range, and a failure (e.g. THP disabled) leaves the mapping as it was.
        unsafe {
            madvise(lo as *mut c_void, hi - lo, MADV_HUGEPAGE);
        }
    }
}

#[cfg(not(all(target_os = "linux", any(target_arch = "x86_64", target_arch = "aarch64"))))]
fn advise_huge(_v: &mut [f64]) {}

#[cfg(test)]
mod tests {
    #[test]
    fn zeroed_is_zero() {
        for len in [0, 1, 1000, 3 << 20] {
            let v = super::zeroed(len);
            assert_eq!(v.len(), len);
            assert!(v.iter().all(|&x| x == 0.0));
        }
    }
}
