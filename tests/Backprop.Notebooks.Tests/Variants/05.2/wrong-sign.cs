    // the sign flipped: t − p Σt
    var p = Softmax(a);
    return t - p * t.Sum();
