    // Kit call: Initialisation.Scale — the kit's He and LeCun scales squared instead of the derived variance.
    var rule = h.Kind == ActivationKind.ReLU ? Initialisation.He : Initialisation.LeCun;
    return rule.Scale(fanIn, 1) * rule.Scale(fanIn, 1);
