    // Kit call: Mlp.ParameterCount — the kit counts the weights of a D-M-K network instead of the student.
    return new Mlp(new[] { D, M, K }, Activation.Tanh, Activation.Identity, seed: 0).ParameterCount;
