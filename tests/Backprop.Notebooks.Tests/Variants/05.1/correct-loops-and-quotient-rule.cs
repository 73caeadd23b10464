    var p = Vector<double>.Build.Dense(a.Count);
    double top = double.NegativeInfinity;
    for (int k = 0; k < a.Count; k++) top = Math.Max(top, a[k]);
    double s = 0;
    for (int k = 0; k < a.Count; k++) { p[k] = Math.Exp(a[k] - top); s += p[k]; }
    for (int k = 0; k < a.Count; k++) p[k] /= s;
    return p;
// NEXT SOLUTION
    // the quotient rule on e^(a_k) / S with the shifted exponentials: (I_kj e_k S − e_k e_j) / S²
    double top = a.Maximum();
    var e = a.Map(v => Math.Exp(v - top));
    double s = e.Sum();
    var J = Matrix<double>.Build.Dense(a.Count, a.Count);
    for (int k = 0; k < a.Count; k++)
        for (int j = 0; j < a.Count; j++)
            J[k, j] = ((k == j ? e[k] * s : 0.0) - e[k] * e[j]) / (s * s);
    return J;
