    // ignores the grid it is given and always uses [−10, 10]
    var own = Enumerable.Range(0, 2001).Select(i => -10 + 0.01 * i);
    return own.Max(a => Math.Abs(Math.Tanh(a) - (2 * Activation.Logistic.Value(2 * a) - 1)));
