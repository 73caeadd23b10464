// KEEP
// NEXT SOLUTION
    int[] layerSizes = new[] { 64 }.Concat(Enumerable.Repeat(30, H)).Append(10).ToArray();
    var norms = LayerStatistics.MeanBiasGradientNorms(Deep(Activation.Logistic, Initialisation.LeCun, layerSizes), X, T, loss);
    return norms[H - 1] / norms[0];   // last over first: the reciprocal of the ratio asked for
