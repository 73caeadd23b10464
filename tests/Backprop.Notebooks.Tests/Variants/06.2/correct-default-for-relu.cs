    return Initialisation.DefaultFor(Activation.ReLU);
