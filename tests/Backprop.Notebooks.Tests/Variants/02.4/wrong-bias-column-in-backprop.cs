    var x1 = Vector<double>.Build.Dense(x.Count + 1, i => i == 0 ? 1.0 : x[i - 1]);
    var z = (W1 * x1).Map(Math.Tanh);
    var z1 = Vector<double>.Build.Dense(z.Count + 1, j => j == 0 ? 1.0 : z[j - 1]);
    var deltaK = W2 * z1 - t;
    var deltaJ = W2.RemoveColumn(W2.ColumnCount - 1).TransposeThisAndMultiply(deltaK)   // the last column dropped instead of the bias column
                   .PointwiseMultiply(z.Map(zj => 1 - zj * zj));
    return (deltaJ.OuterProduct(x1), deltaK.OuterProduct(z1));
