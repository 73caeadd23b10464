    return w + eta * gradient;   // along the gradient: uphill
