    // Classic mistake: a constant that looks like a passing check.
    return 1e-10;
