    return a > 0 ? a : Math.Exp(a) - 1.0;   // forgets the scale k
