    return h.Kind == ActivationKind.ReLU ? 1.0 / fanIn : 2.0 / fanIn;   // the factor 2 on the wrong activation
