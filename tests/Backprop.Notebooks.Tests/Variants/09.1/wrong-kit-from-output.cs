    // Kit call: Activation.DerivativeFromOutput — the kit's σ'(a) from y = σ(a), inside a lambda.
    Func<double, double> fromOutput = y => Activation.Logistic.DerivativeFromOutput(y);
    return fromOutput(1.0 / (1.0 + Math.Exp(-a)));
