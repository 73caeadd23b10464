    var x1 = Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]);
    var z = (W1 * x1).Map(Math.Tanh);
    var z1 = Vector<double>.Build.Dense(z.Count + 1, j => j == 0 ? 1.0 : z[j - 1]);
    return (W2 * z1).Map(Math.Tanh);   // the outputs are linear, not tanh
