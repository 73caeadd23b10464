    return 1.0 / (1.0 + Math.Exp(a));   // the minus sign of the exponent dropped
