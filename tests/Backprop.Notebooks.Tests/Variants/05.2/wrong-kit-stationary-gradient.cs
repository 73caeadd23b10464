    // Kit call: StationaryPoints.Gradient — a lesson's central-difference gradient of the student's own L_n
    double Ln(Vector<double> v) { var p = Softmax(v); return -Enumerable.Range(0, v.Count).Sum(k => t[k] == 0 ? 0 : t[k] * Math.Log(p[k])); }
    return Lessons::StationaryPoints.Gradient(Ln, a, 1e-5);
