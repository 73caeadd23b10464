    // Kit call: Activation.DerivativeFromOutput — the kit's h'(a) from y instead of 1 − y² and y(1 − y).
    return kind switch
    {
        ActivationKind.Tanh => Activation.Tanh.DerivativeFromOutput(y),
        ActivationKind.Logistic => Activation.Logistic.DerivativeFromOutput(y),
        _ => throw new ArgumentException($"only tanh and logistic here, not {kind}"),
    };
