    // Kit call: ComputationGraph.Backward — the kit's graph and its backward pass instead of the student's chain rule.
    var g = new ComputationGraph();
    var wn = g.Input("w", w);
    var z1 = g.Tanh("z₁", g.Multiply("a₁", wn, g.Input("x", x)));
    var top = g.HalfSumOfSquares("L", g.Minus("e", g.Tanh("z₂", g.Multiply("a₂", wn, z1)), t));
    g.Backward(top);
    return wn.Gradient;
