    var J = SoftmaxJacobian(a);
    var p = Softmax(a);
    var delta = Vector<double>.Build.Dense(a.Count);
    for (int j = 0; j < a.Count; j++)
        for (int k = 0; k < a.Count; k++)
            if (t[k] != 0) delta[j] += -t[k] / p[k] * J[k, j];
    return delta;
