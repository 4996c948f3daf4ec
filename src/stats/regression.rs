//! Ordinary least squares for a line.

/// y ≈ intercept + slope·x.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineFit {
    /// Fitted intercept a.
    pub intercept: f64,
    /// Fitted slope b.
    pub slope: f64,
}

/// OLS fit of y = a + b x; `None` with fewer than two distinct x or non-finite input.
pub fn fit_line(x: &[f64], y: &[f64]) -> Option<LineFit> {
    if x.len() != y.len() || x.len() < 2 || x.iter().chain(y).any(|v| !v.is_finite()) {
        return None;
    }
    let n = x.len() as f64;
    let mx = x.iter().sum::<f64>() / n;
    let my = y.iter().sum::<f64>() / n;
    let sxx: f64 = x.iter().map(|xi| (xi - mx) * (xi - mx)).sum();
    if sxx <= 0.0 {
        return None;
    }
    let sxy: f64 = x.iter().zip(y).map(|(xi, yi)| (xi - mx) * (yi - my)).sum();
    let slope = sxy / sxx;
    Some(LineFit { intercept: my - slope * mx, slope })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exact_line() {
        let f = fit_line(&[1.0, 2.0, 3.0], &[3.0, 5.0, 7.0]).unwrap();
        assert!((f.slope - 2.0).abs() < 1e-14 && (f.intercept - 1.0).abs() < 1e-14);
        assert!(fit_line(&[1.0, 1.0], &[1.0, 2.0]).is_none());
    }
}
