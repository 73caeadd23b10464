    if (h.Kind == ActivationKind.ReLU)
        return 2.0 / fanIn;   // E[z²] = Var[a] / 2, so n σ_w² / 2 = 1
    return 1.0 / fanIn;       // E[z²] ≈ Var[a], so n σ_w² = 1
