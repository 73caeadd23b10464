    // −ln of the largest probability (the predicted class) instead of the target's class
    var outputs = network.Forward(data.Inputs).Outputs;
    double total = 0;
    for (int n = 0; n < data.Count; n++) total -= Math.Log(Softmax(outputs.Row(n)).Maximum());
    return (total / data.Count, Math.Log(data.TargetCount));
