// KEEP
// NEXT SOLUTION
    // Kit call: GradientChecker.Derivative — the kit's central difference of each p_k
    return Matrix<double>.Build.Dense(a.Count, a.Count, (k, j) => GradientChecker.Derivative(v => Softmax(v)[k], a, j, 1e-5));
