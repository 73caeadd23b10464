    // Kit call: GradientChecker.Derivative — the kit's central difference of the kit's loss
    return Vector<double>.Build.Dense(a.Count, j => GradientChecker.Derivative(v => Loss.SoftmaxCrossEntropy.Value(v, t), a, j, 1e-5));
