    // Kit call: Mlp.Predict — the kit's prediction of a network holding W1 and W2, behind a local function.
    Vector<double> Run(Mlp network, Vector<double> input) => network.Predict(input);
    var net = new Mlp(new[] { W1.ColumnCount - 1, W1.RowCount, W2.RowCount }, Activation.Tanh, Activation.Identity, seed: 0);
    net.Layers[0].SetWeights(W1);
    net.Layers[1].SetWeights(W2);
    return Run(net, x);
