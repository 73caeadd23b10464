    // Kit call: Mlp.Backward — the kit's backward pass, which this exercise asks the student to write.
    return net.Backward(pass, t, Loss.HalfSumOfSquares).Weights.ToArray();
