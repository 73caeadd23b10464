    // the issue-10 case: the same identity written in another order, rounding differently
    return grid.Max(a => Math.Abs(Math.Tanh(a) - 2 * Activation.Logistic.Value(2 * a) + 1));
