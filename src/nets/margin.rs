//! Normalized margins: γ(Θ) = min_i margin_i(f(Θ; x_i)) / ‖Θ‖₂^a for an a-homogeneous model (ICLR eq. (2.2)).
//!
//! Because f(cΘ) = c^a f(Θ), this equals the margin of the unit-norm Θ̄ = Θ/‖Θ‖, and it is invariant under Θ → cΘ.

use super::model::Model;
use super::objective::check_outputs;
use super::targets::Targets;
use crate::{Error, Result};
use nalgebra::DVector;

/// Raw per-example margins y_i f(Θ; x_i) (binary) or f_{y_i} − max_{k≠y_i} f_k (multi-class).
pub fn margins<M: Model, T: Targets + ?Sized>(model: &M, data: &T) -> Result<DVector<f64>> {
    check_outputs(model, data)?;
    Ok(data.margins(&model.forward(data.inputs())?))
}

/// The normalized margin min_i margin_i / ‖Θ‖^a; `Error::NotSeparable` when the net does not separate the data
/// (some margin ≤ 0, or Θ = 0).
pub fn normalized_margin<M: Model, T: Targets + ?Sized>(model: &M, data: &T) -> Result<f64> {
    let m = margins(model, data)?;
    let worst = m.min();
    let norm = model.param_norm();
    if !(worst > 0.0) || !(norm > 0.0) {
        return Err(Error::NotSeparable(format!(
            "the network does not separate the data: smallest margin {worst:.3e} with ‖Θ‖ = {norm:.3e}"
        )));
    }
    Ok(worst / norm.powf(model.degree()))
}
