    // unit 1: the falling step at c + width/2, written as −tanh(−s x + s (c + width/2)); unit 2: the rising one
    var W1 = Matrix<double>.Build.Dense(2, 2);
    W1[0, 0] = s * (c + width / 2);
    W1[0, 1] = -s;
    W1[1, 0] = s * (width / 2 - c);
    W1[1, 1] = s;
    var W2 = Matrix<double>.Build.Dense(1, 3);
    W2[0, 1] = height / 2;    // −(height/2) tanh(s (x − c − width/2)) = (height/2) tanh(−s x + s (c + width/2))
    W2[0, 2] = height / 2;
    return (W1, W2);
