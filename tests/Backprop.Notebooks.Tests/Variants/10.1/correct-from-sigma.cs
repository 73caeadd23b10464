    double sigma = h == Activation.ReLU ? Math.Sqrt(2.0 / fanIn) : 1.0 / Math.Sqrt(fanIn);   // σ_w first, then its square
    return sigma * sigma;
