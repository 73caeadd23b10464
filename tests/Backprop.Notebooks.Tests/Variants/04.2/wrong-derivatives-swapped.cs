    // the two formulas swapped
    return kind == ActivationKind.Tanh ? y * (1 - y) : 1 - y * y;
