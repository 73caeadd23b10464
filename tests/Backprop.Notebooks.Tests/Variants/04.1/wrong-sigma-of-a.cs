    // forgets to double the argument: 2σ(a) − 1 = tanh(a/2), not tanh(a)
    return grid.Max(a => Math.Abs(Math.Tanh(a) - (2 * Activation.Logistic.Value(a) - 1)));
