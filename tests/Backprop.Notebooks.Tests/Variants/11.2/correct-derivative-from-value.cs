// KEEP
// NEXT SOLUTION
    return a > 0 ? 1.0 : Elu(a, k) + k;   // h'(a) = h(a) + k on the negative side
