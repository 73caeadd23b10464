// KEEP
// NEXT SOLUTION
    return a >= 0 ? 1.0 : k;   // h'(0) = 1: a = 0 on the wrong side of the kink
