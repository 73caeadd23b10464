    double e = Math.Exp(-Math.Abs(a));        // σ'(a) = e^(−|a|) / (1 + e^(−|a|))², symmetric, never overflows
    return e / ((1.0 + e) * (1.0 + e));
