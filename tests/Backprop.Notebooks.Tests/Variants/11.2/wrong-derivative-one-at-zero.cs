// KEEP
// NEXT SOLUTION
    return a >= 0 ? 1.0 : k * Math.Exp(a);   // h'(0) = 1: a = 0 belongs to the k·e^a branch
