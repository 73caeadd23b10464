    // δ = p − t, typed from the result for targets that sum to 1 (lesson 02's form), not derived
    return Softmax(a) - t;
