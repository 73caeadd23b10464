    // Kit call: Loss.OutputDelta — the kit's softmax cross-entropy deltas (it refuses targets that do not sum to 1)
    return Loss.SoftmaxCrossEntropy.OutputDelta(a, t, Activation.Identity);
