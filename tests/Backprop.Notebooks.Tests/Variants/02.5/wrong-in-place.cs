    w.Subtract(eta * gradient, w);   // changes the caller's w
    return w;
