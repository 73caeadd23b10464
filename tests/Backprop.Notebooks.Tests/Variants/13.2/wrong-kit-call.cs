    // Kit call: GradientChecker.NumericalGradient — the kit's central differences instead of the student's.
    return GradientChecker.NumericalGradient(L, w, eps);
