// KEEP
// NEXT SOLUTION
    // Kit call: LayerStatistics.FirstToLastRatio — the kit's ratio instead of dividing the measured norms.
    return LayerStatistics.FirstToLastRatio(Deep(Activation.Logistic, Initialisation.LeCun, new[] { 64 }.Concat(Enumerable.Repeat(30, H)).Append(10).ToArray()), X, T, loss);
