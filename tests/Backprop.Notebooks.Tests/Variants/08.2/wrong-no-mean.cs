    // classic mistake: sums instead of means (no division by N)
    var (_, total) = net.LossAndGradient(data.Inputs, data.Targets, loss);
    double sumOfNorms = 0;
    for (var n = 0; n < data.Count; n++)
    {
        var one = data.Subset(new[] { n });
        sumOfNorms += net.LossAndGradient(one.Inputs, one.Targets, loss).Gradient.L2Norm();
    }
    return (total.L2Norm(), sumOfNorms);
