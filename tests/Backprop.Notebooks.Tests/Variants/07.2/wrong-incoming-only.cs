    // classic mistake: only the incoming weights flip, so z_j changes sign and the output changes
    var result = net.Clone();
    var w1 = result.Layers[0].Weights;
    w1.SetRow(j, -w1.Row(j));
    return result;
