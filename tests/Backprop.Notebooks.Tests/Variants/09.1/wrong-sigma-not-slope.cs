    return 1.0 / (1.0 + Math.Exp(-a));   // σ(a) itself, not its slope
