// KEEP
// NEXT SOLUTION
    var layers = new List<int> { 64 };
    for (int h = 0; h < H; h++) layers.Add(30);
    layers.Add(10);
    var net = new Mlp(layers.ToArray(), Activation.Logistic, Activation.Identity, seed: 0, Initialisation.LeCun);
    var norms = LayerStatistics.MeanBiasGradientNorms(net, X, T, loss);
    return norms[0] / norms[H - 1];   // the last hidden layer, not the output layer
