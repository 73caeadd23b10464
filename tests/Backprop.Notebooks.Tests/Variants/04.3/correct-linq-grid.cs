    var a = Enumerable.Range(0, 20001).Select(k => from + (to - from) * k / 20000.0);
    double best = a.MaxBy(derivative);
    return (best, derivative(best));
