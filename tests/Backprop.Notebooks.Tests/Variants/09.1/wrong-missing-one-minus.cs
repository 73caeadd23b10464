    double y = 1.0 / (1.0 + Math.Exp(-a));
    return y * y;                          // y² instead of y(1 − y)
