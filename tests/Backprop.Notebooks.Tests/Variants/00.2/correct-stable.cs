    if (a >= 0)
        return 1.0 / (1.0 + Math.Exp(-a));
    double e = Math.Exp(a);
    return e / (1.0 + e);
