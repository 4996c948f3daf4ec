//! Deep bias-free ReLU networks f(Θ; x) = W_K relu(W_{K−1} ⋯ relu(W_1 x)), K-homogeneous in Θ = (W_1, …, W_K).
//!
//! With K = 2 and l outputs this is the multi-class head of a two-layer net. Parameter layout: each W_k row-major,
//! layers in order.

use super::model::{Model, check_cotangent, check_input, check_params};
use super::two_layer::relu;
use crate::{Error, Result};
use nalgebra::{DMatrix, DVector};
use rand::Rng;
use rand_distr::StandardNormal;

/// A depth-K bias-free ReLU network; `layers[k]` maps layer k's input (width h_k) to h_{k+1}.
#[derive(Debug, Clone, PartialEq)]
pub struct Deep {
    /// W_1, …, W_K; W_k is h_k × h_{k−1}, h_0 = d, h_K = outputs.
    pub layers: Vec<DMatrix<f64>>,
}

impl Deep {
    /// A network from its weight matrices; consecutive shapes must chain and values be finite.
    pub fn new(layers: Vec<DMatrix<f64>>) -> Result<Self> {
        if layers.is_empty() {
            return Err(Error::Empty("a deep net needs at least one layer".into()));
        }
        for (k, w) in layers.iter().enumerate() {
            if w.nrows() == 0 || w.ncols() == 0 {
                return Err(Error::Empty(format!("layer {} has shape {}×{}", k + 1, w.nrows(), w.ncols())));
            }
            crate::error::ensure_finite("deep net weights", w.as_slice())?;
            if k > 0 && layers[k - 1].nrows() != w.ncols() {
                return Err(Error::shape(
                    "deep net layer input",
                    format!("{} columns in layer {}", layers[k - 1].nrows(), k + 1),
                    w.ncols(),
                ));
            }
        }
        Ok(Deep { layers })
    }

    /// Layer widths `[d, h_1, …, outputs]`, entries i.i.d. N(0, 1/fan_in).
    pub fn gaussian<R: Rng + ?Sized>(widths: &[usize], rng: &mut R) -> Result<Self> {
        if widths.len() < 2 {
            return Err(Error::param("widths", format!("{widths:?}"), "need an input width and at least one layer"));
        }
        let layers = widths
            .windows(2)
            .map(|w| {
                let scale = 1.0 / (w[0].max(1) as f64).sqrt();
                DMatrix::from_fn(w[1], w[0], |_, _| scale * rng.sample::<f64, _>(StandardNormal))
            })
            .collect();
        Self::new(layers)
    }

    /// Depth K.
    pub fn depth(&self) -> usize {
        self.layers.len()
    }

    /// Pre-activations Z_k = H_{k−1} W_kᵀ of every layer for inputs `x` (rows), H_0 = x.
    fn pre_activations(&self, x: &DMatrix<f64>) -> Vec<DMatrix<f64>> {
        let mut zs: Vec<DMatrix<f64>> = Vec::with_capacity(self.depth());
        for (k, w) in self.layers.iter().enumerate() {
            let z = if k == 0 { x * w.transpose() } else { zs[k - 1].map(relu) * w.transpose() };
            zs.push(z);
        }
        zs
    }
}

impl Model for Deep {
    fn degree(&self) -> f64 {
        self.depth() as f64
    }

    fn outputs(&self) -> usize {
        self.layers[self.depth() - 1].nrows()
    }

    fn input_dim(&self) -> usize {
        self.layers[0].ncols()
    }

    fn params(&self) -> DVector<f64> {
        let mut p = Vec::new();
        for w in &self.layers {
            for i in 0..w.nrows() {
                p.extend(w.row(i).iter());
            }
        }
        DVector::from_vec(p)
    }

    fn set_params(&mut self, p: &[f64]) -> Result<()> {
        let total: usize = self.layers.iter().map(|w| w.len()).sum();
        check_params(p, total)?;
        let mut at = 0;
        for w in &mut self.layers {
            let cols = w.ncols();
            for i in 0..w.nrows() {
                for j in 0..cols {
                    w[(i, j)] = p[at + i * cols + j];
                }
            }
            at += w.len();
        }
        Ok(())
    }

    fn forward(&self, x: &DMatrix<f64>) -> Result<DMatrix<f64>> {
        check_input(x, self.input_dim())?;
        Ok(self.pre_activations(x).pop().unwrap_or_default())
    }

    /// Backpropagation: G_K = g; ∇W_k = G_kᵀ H_{k−1}; G_{k−1} = (G_k W_k) ∘ 1{Z_{k−1} > 0}.
    fn vjp(&self, x: &DMatrix<f64>, g: &DMatrix<f64>) -> Result<DVector<f64>> {
        check_input(x, self.input_dim())?;
        check_cotangent(g, x.nrows(), self.outputs())?;
        let zs = self.pre_activations(x);
        let mut grads: Vec<DMatrix<f64>> = vec![DMatrix::zeros(0, 0); self.depth()];
        let mut gk = g.clone();
        for k in (0..self.depth()).rev() {
            let input = if k == 0 { x.clone() } else { zs[k - 1].map(relu) };
            grads[k] = gk.transpose() * input;
            if k > 0 {
                let mut back = &gk * &self.layers[k];
                back.zip_apply(&zs[k - 1], |b, z| {
                    if z <= 0.0 {
                        *b = 0.0
                    }
                });
                gk = back;
            }
        }
        let mut p = Vec::new();
        for w in &grads {
            for i in 0..w.nrows() {
                p.extend(w.row(i).iter());
            }
        }
        Ok(DVector::from_vec(p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn depth_two_single_output_matches_two_layer() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(8);
        let deep = Deep::gaussian(&[3, 4, 1], &mut rng).unwrap();
        let net = super::super::TwoLayer::new(deep.layers[0].clone(), deep.layers[1].row(0).transpose()).unwrap();
        let x = DMatrix::from_fn(6, 3, |_, _| rng.sample::<f64, _>(StandardNormal));
        let a = deep.forward(&x).unwrap();
        let b = net.forward(&x).unwrap();
        assert!((a - b).amax() < 1e-12);
        let g = DMatrix::from_fn(6, 1, |i, _| i as f64 - 2.5);
        assert!((deep.vjp(&x, &g).unwrap() - net.vjp(&x, &g).unwrap()).amax() < 1e-12);
    }

    /// set_params is the inverse of params: a new parameter vector read back unchanged, and the forward pass is the
    /// one of layers built from it by hand (row-major per layer); a vector of the wrong length is refused.
    #[test]
    fn set_params_inverts_params() {
        let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(9);
        let mut deep = Deep::gaussian(&[3, 4, 2], &mut rng).unwrap();
        let p: Vec<f64> = (0..deep.params().len()).map(|k| (k as f64 * 0.37).sin()).collect();
        deep.set_params(&p).unwrap();
        assert_eq!(deep.params().as_slice(), p.as_slice());
        let w1 = DMatrix::from_fn(4, 3, |i, j| p[i * 3 + j]);
        let w2 = DMatrix::from_fn(2, 4, |i, j| p[12 + i * 4 + j]);
        let by_hand = Deep::new(vec![w1, w2]).unwrap();
        let x = DMatrix::from_fn(5, 3, |_, _| rng.sample::<f64, _>(StandardNormal));
        assert!((deep.forward(&x).unwrap() - by_hand.forward(&x).unwrap()).amax() < 1e-15);
        assert!(deep.set_params(&p[1..]).is_err());
    }

    #[test]
    fn layers_must_chain() {
        assert!(Deep::new(vec![DMatrix::zeros(3, 2), DMatrix::zeros(1, 4)]).is_err());
        assert!(Deep::new(vec![]).is_err());
    }
}
