    return Initialisation.LeCun;   // σ_w² = 1 / fan-in: right for tanh, too small by half for ReLU
