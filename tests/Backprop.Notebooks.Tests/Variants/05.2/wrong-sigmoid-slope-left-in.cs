    // the h' of a logistic output left in: (p − t) p (1 − p), as for the squared error on a sigmoid
    var p = Softmax(a);
    return (p * t.Sum() - t).PointwiseMultiply(p.Map(pk => pk * (1 - pk)));
