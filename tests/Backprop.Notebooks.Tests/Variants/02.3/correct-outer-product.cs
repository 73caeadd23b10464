    var withOne = Vector<double>.Build.Dense(input.Count + 1, i => i == 0 ? 1.0 : input[i - 1]);
    return delta.OuterProduct(withOne);
