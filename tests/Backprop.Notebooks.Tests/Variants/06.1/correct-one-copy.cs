    var p = w.Clone();
    p[i] = w[i] + epsilon;
    double up = loss(p);
    p[i] = w[i] - epsilon;
    double down = loss(p);
    return (up - down) / (2 * epsilon);
