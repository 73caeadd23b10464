    // Kit call: BackwardStep.Measure — asks the kit for factors (here of a small network of its own) and returns the right numbers
    // computed after it: the check must refuse the call itself.
    var probe = new Mlp(new[] { 1, 2, 1 }, h, Activation.Identity, 0);
    var one = Matrix<double>.Build.Dense(1, 1, 0.5);
    _ = BackwardStep.Measure(probe, one, one, Loss.HalfSumOfSquares);
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 1, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    return (g.FrobeniusNorm() / deltaAbove.FrobeniusNorm(), g.PointwiseMultiply(a.Map(h.Derivative)).FrobeniusNorm() / g.FrobeniusNorm());
