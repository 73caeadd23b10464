    // with the student's Softmax from Exercise 05.1 and a LINQ sum
    var outputs = network.Forward(data.Inputs).Outputs;
    double total = Enumerable.Range(0, data.Count).Sum(n =>
    {
        var p = Softmax(outputs.Row(n));
        return -Enumerable.Range(0, p.Count).Where(k => data.Targets[n, k] != 0).Sum(k => data.Targets[n, k] * Math.Log(p[k]));
    });
    return (total / data.Count, -Math.Log(1.0 / data.Targets.ColumnCount));
