    // forgets h': the slope factor is then always 1
    var w = weightsAbove.SubMatrix(0, weightsAbove.RowCount, 1, weightsAbove.ColumnCount - 1);
    var g = deltaAbove * w;
    return (g.FrobeniusNorm() / deltaAbove.FrobeniusNorm(), 1.0);
