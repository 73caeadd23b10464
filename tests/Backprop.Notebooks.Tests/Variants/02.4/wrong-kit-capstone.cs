    // Kit call: Capstone.KitBackward — lesson 13's wrapper of the kit's backward pass, through a static local function and the alias Lessons::.
    static Matrix<double>[] Gradients(Mlp network, Vector<double> input, Vector<double> target) =>
        Lessons::Capstone.KitBackward(network, network.Forward(input), target);
    var net = new Mlp(new[] { W1.ColumnCount - 1, W1.RowCount, W2.RowCount }, Activation.Tanh, Activation.Identity, seed: 0);
    net.Layers[0].SetWeights(W1);
    net.Layers[1].SetWeights(W2);
    var g = Gradients(net, x, t);
    return (g[0], g[1]);
