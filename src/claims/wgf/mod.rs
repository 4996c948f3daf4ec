//! Claims of the `wgf` group: perturbed Wasserstein gradient descent reaches the certified global optimum.
//! See `theorems/wgf.md` for the statement → check → test map.

checks!(convergence, discrete, controls);
