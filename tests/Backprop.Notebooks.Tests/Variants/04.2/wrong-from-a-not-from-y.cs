    // treats y as the activation a and applies tanh again: h'(a) written through a, not through the output
    return kind == ActivationKind.Tanh ? 1 - Math.Tanh(y) * Math.Tanh(y) : Activation.Logistic.Derivative(y);
