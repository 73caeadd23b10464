    return Initialisation.Glorot;
