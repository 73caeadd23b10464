    // Kit call: WeightSpaceSymmetry.FlipHiddenUnit — the kit flips the unit instead of the student.
    return WeightSpaceSymmetry.FlipHiddenUnit(net, 0, j);
