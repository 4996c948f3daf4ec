//! Claims of the `ntk` group: the neural tangent kernel needs Ω(d²) samples on XOR, the regularized net O(d), and why
//! (the kernel cannot focus on the informative coordinates). See `theorems/ntk.md`.

checks!(lower_bound, non_focus, oracle_correlation, random_features);
