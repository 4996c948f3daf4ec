//! Bad input gets a typed error that says what is wrong — never a panic, never a silent number.

use nalgebra::{DMatrix, DVector};
use regmatters::Error;
use regmatters::data::{Dataset, MultiDataset, Task, XorHypercube};
use regmatters::nets::margin::normalized_margin;
use regmatters::nets::{Model, Objective, Reduction, TrainConfig, TwoLayer};

#[test]
fn nan_in_data_is_rejected() {
    let x = DMatrix::from_row_slice(2, 2, &[1.0, f64::NAN, 0.0, 1.0]);
    let e = Dataset::binary(x, DVector::from_row_slice(&[1.0, -1.0])).unwrap_err();
    assert!(matches!(e, Error::NonFinite { .. }), "{e}");
    assert!(e.to_string().contains("inputs"), "{e}");
}

#[test]
fn shape_mismatch_is_rejected() {
    let e = Dataset::binary(DMatrix::zeros(3, 2), DVector::from_row_slice(&[1.0, -1.0])).unwrap_err();
    assert!(matches!(e, Error::ShapeMismatch { .. }), "{e}");
    let net = TwoLayer::new(DMatrix::zeros(2, 3), DVector::zeros(2)).unwrap();
    let data = Dataset::binary(DMatrix::zeros(2, 4), DVector::from_row_slice(&[1.0, -1.0])).unwrap();
    assert!(matches!(net.eval(data.x()), Err(Error::ShapeMismatch { .. })));
    assert!(matches!(normalized_margin(&net, &data), Err(Error::ShapeMismatch { .. })));
}

#[test]
fn empty_data_is_rejected() {
    let e = Dataset::binary(DMatrix::zeros(0, 2), DVector::zeros(0)).unwrap_err();
    assert!(matches!(e, Error::Empty(_)), "{e}");
    let mut rng = regmatters::seed::stream(1, &["bad-input"], 0);
    assert!(matches!(XorHypercube::new(4).unwrap().dataset(0, &mut rng), Err(Error::Empty(_))));
}

#[test]
fn nonpositive_lambda_is_rejected() {
    for lambda in [0.0, -1e-3, f64::NAN] {
        let e = Objective::new(lambda, 2.0, Reduction::Mean).unwrap_err();
        assert!(matches!(e, Error::InvalidParameter { .. }), "{e}");
        assert!(e.to_string().contains('λ'), "{e}");
    }
    assert!(Objective::new(1e-3, 0.0, Reduction::Mean).is_err());
    let mut cfg = TrainConfig::annealed(1e-2, 1e-4, 3, 10, 1);
    cfg.lambdas[1] = -1.0;
    assert!(matches!(cfg.validate(), Err(Error::InvalidParameter { .. })));
}

#[test]
fn labels_out_of_range_are_rejected() {
    let e = Dataset::new(DMatrix::zeros(2, 1), DVector::from_row_slice(&[1.0, 0.5]), Task::Binary).unwrap_err();
    assert!(matches!(e, Error::InvalidLabel { index: 1, .. }), "{e}");
    let e = MultiDataset::new(DMatrix::zeros(2, 1), vec![0, 3], 3).unwrap_err();
    assert!(matches!(e, Error::InvalidLabel { index: 1, .. }), "{e}");
}

#[test]
fn margin_of_a_non_separating_net_is_an_error() {
    let x = DMatrix::from_row_slice(2, 1, &[1.0, 2.0]);
    let data = Dataset::binary(x, DVector::from_row_slice(&[1.0, -1.0])).unwrap();
    // A net that is positive on both points cannot separate labels + and −.
    let net = TwoLayer::new(DMatrix::from_row_slice(1, 1, &[1.0]), DVector::from_row_slice(&[1.0])).unwrap();
    let e = normalized_margin(&net, &data).unwrap_err();
    assert!(matches!(e, Error::NotSeparable(_)), "{e}");
    // The zero net separates nothing either.
    let zero = net.scaled(0.0).unwrap();
    assert!(matches!(normalized_margin(&zero, &data), Err(Error::NotSeparable(_))));
}
