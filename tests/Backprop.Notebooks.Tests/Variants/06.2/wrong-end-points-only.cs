    // the slope through the first and last point, not the least-squares line
    return (Math.Log(ys[^1]) - Math.Log(ys[0])) / (Math.Log(xs[^1]) - Math.Log(xs[0]));
