    // Kit call: Mlp.Forward — a network holding W1 and W2 and the kit's forward pass instead of the student's.
    var net = new Mlp(new[] { W1.ColumnCount - 1, W1.RowCount, W2.RowCount }, Activation.Tanh, Activation.Identity, seed: 0);
    net.Layers[0].SetWeights(W1);
    net.Layers[1].SetWeights(W2);
    return net.Forward(x).Output;
