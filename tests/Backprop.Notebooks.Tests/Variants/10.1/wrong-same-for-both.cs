    return 1.0 / fanIn;   // LeCun's variance for ReLU too: ReLU's halved E[z²] is forgotten
