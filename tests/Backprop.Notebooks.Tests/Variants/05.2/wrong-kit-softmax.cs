    // Kit call: Loss.Softmax — the right formula, on the kit's softmax
    var p = Loss.Softmax(a);
    return p * t.Sum() - t;
