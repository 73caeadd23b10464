    var stepped = Vector<double>.Build.Dense(w.Count);
    for (int i = 0; i < w.Count; i++)
        stepped[i] = w[i] - eta * gradient[i];
    return stepped;
