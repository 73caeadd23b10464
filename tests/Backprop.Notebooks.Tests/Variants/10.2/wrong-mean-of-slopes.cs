    // the mean |h'(a)| instead of the ratio of norms: close, but not the factor the norms multiply by
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 1, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    return (g.FrobeniusNorm() / deltaAbove.FrobeniusNorm(), a.Map(x => Math.Abs(h.Derivative(x))).Enumerate().Average());
