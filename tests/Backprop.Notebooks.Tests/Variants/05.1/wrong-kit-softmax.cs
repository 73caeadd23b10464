    // Kit call: Loss.Softmax — the kit's softmax, copied from the cell above the exercise
    return Loss.Softmax(a);
// NEXT SOLUTION
// KEEP
