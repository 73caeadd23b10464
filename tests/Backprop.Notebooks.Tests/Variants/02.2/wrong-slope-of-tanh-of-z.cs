    var back = W2.RemoveColumn(0).TransposeThisAndMultiply(deltaOut);
    return back.PointwiseMultiply(z.Map(zj => 1 - Math.Tanh(zj) * Math.Tanh(zj)));   // 1 − tanh²(z_j) instead of 1 − z_j²
