    // e^(a_k) / Σ e^(a_m) without subtracting the largest a_m: overflows to ∞/∞ = NaN for a = (1000, 1001, 999)
    var e = a.Map(Math.Exp);
    return e / e.Sum();
// NEXT SOLUTION
// KEEP
