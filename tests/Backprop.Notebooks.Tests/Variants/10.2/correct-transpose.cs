    // g⊤ = W⊤ δ⊤ with the bias row removed after the product
    var gT = weightsAbove.Transpose() * deltaAbove.Transpose();        // (1 + units) × samples; row 0 belongs to the bias
    var g = gT.SubMatrix(1, gT.RowCount - 1, 0, gT.ColumnCount).Transpose();
    var delta = a.Map(h.Derivative).PointwiseMultiply(g);
    double weightFactor = g.FrobeniusNorm() / deltaAbove.FrobeniusNorm();
    return (weightFactor, delta.FrobeniusNorm() / g.FrobeniusNorm());
