    // an answer at random
    var random = new Random(5);
    var p = Vector<double>.Build.Dense(a.Count, _ => random.NextDouble());
    return p / p.Sum();
// NEXT SOLUTION
    var random = new Random(7);
    return Matrix<double>.Build.Dense(a.Count, a.Count, (_, _) => random.NextDouble() - 0.5);
