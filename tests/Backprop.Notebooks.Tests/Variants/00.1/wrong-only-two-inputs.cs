    return Vector<double>.Build.Dense(new[] { 1.0, x[0], x[1] });   // works for D = 2 only
