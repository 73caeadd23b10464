    return h.Kind == ActivationKind.ReLU ? Math.Sqrt(2.0 / fanIn) : Math.Sqrt(1.0 / fanIn);   // σ_w, not σ_w²
