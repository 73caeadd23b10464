    // assumes a one-hot target: p, with 1 taken off at the class with the largest t
    var delta = Softmax(a);
    delta[t.MaximumIndex()] -= 1;
    return delta;
