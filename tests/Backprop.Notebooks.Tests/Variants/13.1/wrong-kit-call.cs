    // Kit call: Mlp.Backward — the kit's backward pass, which this exercise asks the student to write.
    var g = net.Backward(pass, t, Loss.HalfSumOfSquares);
    return Enumerable.Range(1, g.LayerCount).Select(g.WeightGradient).ToArray();
