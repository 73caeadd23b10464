    // Kit call: Initialisation.StandardDeviation — the kit's σ_w squared instead of the derived variance.
    var rule = h.Kind == ActivationKind.ReLU ? Initialisation.He : Initialisation.LeCun;
    return Math.Pow(rule.StandardDeviation(fanIn, 1), 2);
