    // Kit call: Initialisation.DefaultFor — the kit's default rule for the activation, read back as a variance.
    Func<Activation, Initialisation> rule = Initialisation.DefaultFor;
    double sigma = rule(h).StandardDeviation(fanIn, 1);
    return sigma * sigma;
