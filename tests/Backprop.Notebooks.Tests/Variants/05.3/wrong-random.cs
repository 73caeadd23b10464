    // an answer at random
    var random = new Random(3);
    return (3 * random.NextDouble(), 3 * random.NextDouble());
