    var x1 = Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]);
    var z = (W1 * x1).Map(Math.Tanh);
    return W2.RemoveColumn(0) * z;   // z_0 = 1 forgotten: the output biases are dropped
