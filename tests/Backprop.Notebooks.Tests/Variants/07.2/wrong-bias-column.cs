    // classic mistake: the outgoing weights are taken from column j, forgetting that column 0 is the output bias
    var result = net.Clone();
    var w1 = result.Layers[0].Weights;
    var w2 = result.Layers[1].Weights;
    w1.SetRow(j, -w1.Row(j));
    w2.SetColumn(j, -w2.Column(j));
    return result;
