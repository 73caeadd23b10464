    // drops the last column instead of the bias column 0
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 0, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    var delta = g.PointwiseMultiply(a.Map(h.Derivative));
    return (g.FrobeniusNorm() / deltaAbove.FrobeniusNorm(), delta.FrobeniusNorm() / g.FrobeniusNorm());
