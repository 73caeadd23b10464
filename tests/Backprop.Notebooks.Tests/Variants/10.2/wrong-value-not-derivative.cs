    // multiplies by h(a) instead of h'(a)
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 1, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    var delta = g.PointwiseMultiply(a.Map(h.Value));
    return (g.FrobeniusNorm() / deltaAbove.FrobeniusNorm(), delta.FrobeniusNorm() / g.FrobeniusNorm());
