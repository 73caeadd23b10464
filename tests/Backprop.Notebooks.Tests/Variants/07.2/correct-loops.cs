    var result = net.Clone();
    var w1 = result.Layers[0].Weights;
    var w2 = result.Layers[1].Weights;
    for (var i = 0; i < w1.ColumnCount; i++)
    {
        w1[j, i] = -w1[j, i];
    }
    for (var k = 0; k < w2.RowCount; k++)
    {
        w2[k, j + 1] = -w2[k, j + 1];
    }
    return result;
