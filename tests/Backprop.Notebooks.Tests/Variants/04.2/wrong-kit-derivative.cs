    // Kit call: Activation.Derivative — the kit's h'(a) as a method group, at the a recovered from y (a = atanh y, a = ln(y / (1 − y))).
    if (kind is not (ActivationKind.Tanh or ActivationKind.Logistic))
    {
        throw new ArgumentException($"only tanh and logistic here, not {kind}");
    }
    Func<double, double> slope = kind == ActivationKind.Tanh ? Activation.Tanh.Derivative : Activation.Logistic.Derivative;
    return slope(kind == ActivationKind.Tanh ? Math.Atanh(y) : Math.Log(y / (1 - y)));
