//! `.npy` input and output of f64 matrices and vectors, so results cross-check with NumPy/SciPy.
