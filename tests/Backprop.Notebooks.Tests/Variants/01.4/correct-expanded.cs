    int hiddenLayer = D * M + M;   // weights plus one bias per hidden unit
    int outputLayer = M * K + K;   // weights plus one bias per output
    return hiddenLayer + outputLayer;
