    // Kit call: Capstone.KitBackward — the lesson's wrapper of the kit's backward pass.
    return Capstone.KitBackward(net, pass, t);
