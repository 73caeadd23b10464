    // overwrites a with h'(a) in place
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 1, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    a.MapInplace(h.Derivative);
    var delta = g.PointwiseMultiply(a);
    return (g.FrobeniusNorm() / deltaAbove.FrobeniusNorm(), delta.FrobeniusNorm() / g.FrobeniusNorm());
