    return delta.OuterProduct(input);   // the bias column 0 dropped
