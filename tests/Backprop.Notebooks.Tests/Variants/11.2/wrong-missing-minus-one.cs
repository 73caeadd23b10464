    return a > 0 ? a : k * Math.Exp(a);   // k·e^a is the derivative, not the value
