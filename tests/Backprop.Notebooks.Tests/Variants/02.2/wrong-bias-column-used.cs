    var back = W2.SubMatrix(0, W2.RowCount, 0, z.Count).TransposeThisAndMultiply(deltaOut);   // columns 0 … M−1: off by the bias column
    return back.PointwiseMultiply(z.Map(zj => 1 - zj * zj));
