    return 0.5 * (1.0 + Math.Tanh(a / 2));   // σ(a) = (1 + tanh(a/2)) / 2
