//! Distinct uniform points of the hypercube {±1}^d: a uniformly random n-subset, drawn by rejecting repeats.
//!
//! n i.i.d. uniform points repeat with probability ≈ n²/2^{d+1}; a repeated point adds nothing to a span of kernel
//! sections but makes their Gram matrix singular. Drawing without replacement is the same as drawing i.i.d. and
//! keeping first occurrences, so a prefix of the sequence is itself a uniform subset of its size (what the nested
//! curves of `kernels::oracle_correlation` need).

use crate::error::{Error, Result};
use nalgebra::DMatrix;
use rand::Rng;
use std::collections::HashSet;

/// n distinct points of {±1}^d in draw order, as the rows of an n × d matrix of ±1.
///
/// Errors: d = 0, or n > 2^d (not enough distinct points).
pub fn distinct_cube_points<R: Rng + ?Sized>(d: usize, n: usize, rng: &mut R) -> Result<DMatrix<f64>> {
    if d == 0 {
        return Err(Error::param("d", d, "must be ≥ 1"));
    }
    if d < 64 && n as u128 > 1u128 << d {
        return Err(Error::param("n", n, &format!("exceeds the 2^{d} points of the hypercube")));
    }
    let mut seen: HashSet<Vec<bool>> = HashSet::with_capacity(n);
    let mut rows: Vec<Vec<bool>> = Vec::with_capacity(n);
    while rows.len() < n {
        let p: Vec<bool> = (0..d).map(|_| rng.random::<bool>()).collect();
        if seen.insert(p.clone()) {
            rows.push(p);
        }
    }
    Ok(DMatrix::from_fn(n, d, |i, j| if rows[i][j] { 1.0 } else { -1.0 }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed;

    #[test]
    fn points_are_distinct_signs_and_exhaust_a_small_cube() {
        let mut rng = seed::stream(3, &["cube-points"], 0);
        let x = distinct_cube_points(4, 16, &mut rng).unwrap();
        assert!(x.iter().all(|&v| v == 1.0 || v == -1.0));
        let codes: HashSet<u32> = (0..16).map(|i| (0..4).map(|j| u32::from(x[(i, j)] > 0.0) << j).sum()).collect();
        assert_eq!(codes.len(), 16, "all 16 points of {{±1}}^4, each once");
        assert!(distinct_cube_points(4, 17, &mut rng).is_err());
        assert!(distinct_cube_points(0, 1, &mut rng).is_err());
    }

    #[test]
    fn coordinates_are_balanced() {
        // each coordinate is a fair sign: over 4000 points of {±1}^20 its mean is within 5 standard errors of 0
        let mut rng = seed::stream(4, &["cube-points"], 0);
        let x = distinct_cube_points(20, 4000, &mut rng).unwrap();
        for j in 0..20 {
            let m = x.column(j).sum() / 4000.0;
            assert!(m.abs() < 5.0 / 4000f64.sqrt(), "coordinate {j}: mean {m}");
        }
    }
}
