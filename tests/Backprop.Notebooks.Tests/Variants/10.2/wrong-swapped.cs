    // returns the two factors in the wrong order
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 1, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    var delta = g.PointwiseMultiply(a.Map(h.Derivative));
    return (delta.FrobeniusNorm() / g.FrobeniusNorm(), g.FrobeniusNorm() / deltaAbove.FrobeniusNorm());
