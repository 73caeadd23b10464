// KEEP
// NEXT SOLUTION
    // only the denominator's part, −p_k p_j, everywhere: the numerator's e^(a_k) forgotten on the diagonal
    var p = Softmax(a);
    return -p.OuterProduct(p);
