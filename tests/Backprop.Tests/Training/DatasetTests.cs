using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests.Training;

public sealed class DatasetTests
{
    [Fact]
    public void DigitsAre1797ScaledImagesWithOneHotTargets()
    {
        Dataset digits = Datasets.Digits();

        Assert.Equal(1797, digits.Count);
        Assert.Equal(64, digits.InputCount);
        Assert.Equal(10, digits.TargetCount);
        Assert.All(digits.Inputs.Enumerate(), x => Assert.InRange(x, 0.0, 1.0));
        Assert.Equal(1.0, digits.Inputs.Enumerate().Max());
        Assert.NotNull(digits.Labels);
        for (int n = 0; n < digits.Count; n++)
        {
            Vector<double> t = digits.Targets.Row(n);
            Assert.Equal(1.0, t.Sum());
            Assert.Equal(1.0, t[digits.Labels[n]]);
        }

        // Every class appears (the UCI test set has 174 … 183 of each).
        Assert.All(Enumerable.Range(0, 10), k => Assert.InRange(digits.Labels.Count(l => l == k), 170, 190));

        // The first image of the file is a 0 whose first row is 0, 0, 5, 13, 9, 1, 0, 0.
        Assert.Equal(0, digits.Labels[0]);
        Assert.Equal([0.0, 0.0, 5 / 16.0, 13 / 16.0, 9 / 16.0, 1 / 16.0, 0.0, 0.0], digits.Inputs.Row(0).Take(8));
    }

    [Fact]
    public void DigitsAreFreshCopies()
    {
        Dataset first = Datasets.Digits();
        first.Inputs[0, 0] = 42.0;

        Assert.Equal(0.0, Datasets.Digits().Inputs[0, 0]);
    }

    [Fact]
    public void TheSplitIsSeededDisjointAndComplete()
    {
        (Dataset train, Dataset test) = Datasets.DigitsSplit(0.25, seed: 3);
        (Dataset train2, Dataset test2) = Datasets.DigitsSplit(0.25, seed: 3);
        (Dataset other, _) = Datasets.DigitsSplit(0.25, seed: 4);

        Assert.Equal(449, test.Count);
        Assert.Equal(1348, train.Count);
        Assert.Equal(train.Inputs, train2.Inputs);
        Assert.Equal(test.Labels, test2.Labels);
        Assert.NotEqual(train.Inputs, other.Inputs);

        // Every image lands on exactly one side: compare the multisets of rows.
        var all = Datasets.Digits();
        static string Key(Vector<double> row) => string.Join(",", row);
        var expected = Enumerable.Range(0, all.Count).Select(n => Key(all.Inputs.Row(n)) + "|" + all.Labels![n]).Order().ToArray();
        var actual = Enumerable.Range(0, train.Count).Select(n => Key(train.Inputs.Row(n)) + "|" + train.Labels![n])
            .Concat(Enumerable.Range(0, test.Count).Select(n => Key(test.Inputs.Row(n)) + "|" + test.Labels![n])).Order().ToArray();
        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(1.0)]
    [InlineData(double.NaN)]
    public void ASplitNeedsAFractionStrictlyBetweenZeroAndOne(double fraction)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Digits().Split(fraction, 0));
        Assert.Equal("testFraction", e.ParamName);
    }

    [Fact]
    public void TheStandardiserIsFittedOnTheTrainingSplitAndKeepsConstantInputs()
    {
        (Dataset train, Dataset test) = Datasets.DigitsSplit(0.25, seed: 0);
        Standardiser standardiser = Standardiser.Fit(train);
        Dataset trainZ = standardiser.Transform(train);
        Dataset testZ = standardiser.Transform(test);

        int constant = 0;
        for (int i = 0; i < 64; i++)
        {
            Vector<double> column = trainZ.Inputs.Column(i);
            double mean = column.Average();
            double variance = column.Select(x => (x - mean) * (x - mean)).Average();
            Assert.Equal(0.0, mean, 10);
            if (train.Inputs.Column(i).All(x => x == train.Inputs[0, i]))
            {
                constant++;
                Assert.Equal(1.0, standardiser.Scale[i]);
                Assert.All(column, x => Assert.Equal(0.0, x));
            }
            else
            {
                Assert.Equal(1.0, variance, 10);
            }

            // The test split uses the training statistics.
            Assert.Equal((test.Inputs[5, i] - standardiser.Mean[i]) / standardiser.Scale[i], testZ.Inputs[5, i], 12);
        }

        Assert.True(constant >= 1, "The digits have pixels that are 0 in every image (e.g. the top-left corner).");
        Assert.All(testZ.Inputs.Enumerate(), x => Assert.True(double.IsFinite(x)));
        Assert.Equal(test.Targets, testZ.Targets);
    }

    [Fact]
    public void TheStandardiserFitsInputsNearTheLargestDouble()
    {
        // ±1e308: the sum of squares overflowed, s was ∞ and every input became 0.
        var huge = Matrix<double>.Build.DenseOfColumnArrays([1e308, -1e308, 1e308, -1e308], [1.7e308, 1.7e308, -1.7e308, 1.7e308]);
        Standardiser standardiser = Standardiser.Fit(huge);
        Assert.Equal(0.0, standardiser.Mean[0]);
        Assert.Equal(1e308, standardiser.Scale[0]);
        Assert.Equal([1.0, -1.0, 1.0, -1.0], standardiser.Transform(huge).Column(0));

        // Column 1 overflowed its sum and x − μ (1.7e308 + 0.85e308): μ = 0.85e308, s = √3 · 0.85e308, x̃ = (1, 1, −3, 1)/√3.
        Assert.Equal(0.85e308, standardiser.Mean[1], 1e293);
        Assert.Equal(Math.Sqrt(3.0) * 0.85e308, standardiser.Scale[1], 1e293);
        Vector<double> z = standardiser.Transform(huge).Column(1);
        double[] expected = [.. new[] { 1.0, 1.0, -3.0, 1.0 }.Select(v => v / Math.Sqrt(3.0))];
        for (int n = 0; n < 4; n++)
        {
            Assert.Equal(expected[n], z[n], 14);
        }
    }

    [Fact]
    public void TheStandardiserOfScaledInputsIsTheScaledStandardiser()
    {
        // Property: multiplying a column by 2^1020 (exact) multiplies μ and s by it and leaves x̃ as it was —
        // for ordinary values (no overflow) and for values near double.MaxValue (which overflow the plain sums).
        var random = new Random(7);
        for (int trial = 0; trial < 20; trial++)
        {
            int n = random.Next(1, 30);
            Matrix<double> x = Matrix<double>.Build.Dense(n, 3, (_, _) => (random.NextDouble() * 2.0 - 1.0) * 15.9);
            Matrix<double> big = x.Map(v => Math.ScaleB(v, 1020));
            Standardiser small = Standardiser.Fit(x);
            Standardiser large = Standardiser.Fit(big);
            Assert.All(large.Mean.Concat(large.Scale), v => Assert.True(double.IsFinite(v)));
            for (int i = 0; i < 3; i++)
            {
                TestSupport.AssertRelative(Math.ScaleB(small.Mean[i], 1020), large.Mean[i], 1e-14, $"μ[{i}]", floor: Math.ScaleB(small.Scale[i], 1020));
                TestSupport.AssertRelative(n == 1 ? 1.0 : Math.ScaleB(small.Scale[i], 1020), large.Scale[i], 1e-14, $"s[{i}]");
            }

            if (n > 1)
            {
                Matrix<double> difference = small.Transform(x) - large.Transform(big);
                Assert.True(difference.Enumerate().All(d => Math.Abs(d) < 1e-12), $"trial {trial}: x̃ differ by up to {difference.Enumerate().Max(Math.Abs):E2}");
            }
        }
    }

    [Fact]
    public void TheStandardiserNamesAnInputBeyondTheRangeOfItsTrainingData()
    {
        Standardiser standardiser = Standardiser.Fit(Matrix<double>.Build.DenseOfColumnArrays([0.0, 1e-11])); // s = 5e-12
        var e = Assert.Throws<ArgumentException>(() => standardiser.Transform(Matrix<double>.Build.DenseOfColumnArrays([1.0, 1e300])));
        Assert.Equal("inputs", e.ParamName);
        Assert.Contains("inputs[1, 0] = 1E+300", e.Message, StringComparison.Ordinal);
        Assert.Contains("exceeds the range of double", e.Message, StringComparison.Ordinal);
        e = Assert.Throws<ArgumentException>(() => standardiser.Transform(Matrix<double>.Build.DenseOfColumnArrays([double.NaN])));
        Assert.Contains("NaN", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheStandardiserRejectsInputsOfTheWrongWidth()
    {
        Standardiser standardiser = Standardiser.Fit(Datasets.Digits().Take(10));

        var e = Assert.Throws<ArgumentException>(() => standardiser.Transform(Matrix<double>.Build.Dense(3, 5)));
        Assert.Equal("inputs", e.ParamName);
    }

    [Theory]
    [InlineData(CurveFunction.Square)]
    [InlineData(CurveFunction.Sine)]
    [InlineData(CurveFunction.AbsoluteValue)]
    [InlineData(CurveFunction.Heaviside)]
    public void CurvesAreSeededUniformPointsOnTheOpenInterval(CurveFunction function)
    {
        Dataset data = Datasets.Curve(function, 50, seed: 2);

        Assert.Equal(50, data.Count);
        Assert.Equal(1, data.InputCount);
        Assert.All(data.Inputs.Column(0), x => Assert.True(x > -1.0 && x < 1.0));
        Assert.True(data.Inputs.Column(0).Zip(data.Inputs.Column(0).Skip(1)).All(p => p.First <= p.Second), "Points are sorted.");
        for (int n = 0; n < data.Count; n++)
        {
            double x = data.Inputs[n, 0];
            double expected = function switch
            {
                CurveFunction.Square => x * x,
                CurveFunction.Sine => Math.Sin(Math.PI * x),
                CurveFunction.AbsoluteValue => Math.Abs(x),
                _ => x > 0 ? 1.0 : 0.0,
            };
            Assert.Equal(expected, data.Targets[n, 0]);
        }

        Assert.Equal(data.Inputs, Datasets.Curve(function, 50, seed: 2).Inputs);
        Assert.NotEqual(data.Inputs, Datasets.Curve(function, 50, seed: 3).Inputs);
    }

    [Theory]
    [InlineData(int.MaxValue, "2,147,483,647")]
    [InlineData(Datasets.MaxCount + 1, "1,000,001")]
    [InlineData(0, "0")]
    [InlineData(-3, "-3")]
    public void GeneratedSetsHaveASizeLimit(int count, string shown)
    {
        // int.MaxValue points ran out of memory; now every generator refuses them before allocating.
        foreach (Action make in new Action[]
        {
            () => Datasets.Curve(CurveFunction.Sine, count),
            () => Datasets.Moons(count),
            () => Datasets.Spirals(count),
        })
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(make);
            Assert.Equal("count", e.ParamName);
            Assert.Equal(count, e.ActualValue);
            Assert.Contains($"from 1 to 1,000,000 (Datasets.MaxCount), but it is {shown}", e.Message, StringComparison.Ordinal);
        }

        if (count >= 2)
        {
            var e = Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.CurveEvenlySpaced(CurveFunction.Sine, count));
            Assert.Contains($"from 2 to 1,000,000 (Datasets.MaxCount), but it is {shown}", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void TheLargestGeneratedSetIsMade()
    {
        Assert.Equal(Datasets.MaxCount, Datasets.Curve(CurveFunction.Square, Datasets.MaxCount).Count);
    }

    [Fact]
    public void OneHotTargetsTooLargeForAMatrixAreRefused()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.OneHot(new int[4], int.MaxValue));
        Assert.Equal("classes", e.ParamName);
        Assert.Contains("4 labels and 2,147,483,647 classes would have 8,589,934,588 entries", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EvenlySpacedCurvesIncludeBothEnds()
    {
        Dataset data = Datasets.CurveEvenlySpaced(CurveFunction.Sine, 50);

        Assert.Equal(-1.0, data.Inputs[0, 0]);
        Assert.Equal(1.0, data.Inputs[49, 0]);
        Assert.Equal(2.0 / 49, data.Inputs[1, 0] - data.Inputs[0, 0], 12);
    }

    [Fact]
    public void MoonsAndSpiralsAreSeededTwoClassSets()
    {
        foreach (Func<int, Dataset> make in new Func<int, Dataset>[] { seed => Datasets.Moons(200, 0.1, seed), seed => Datasets.Spirals(200, 0.02, seed) })
        {
            Dataset data = make(1);
            Assert.Equal(200, data.Count);
            Assert.Equal(2, data.InputCount);
            Assert.Equal(2, data.TargetCount);
            Assert.Equal(100, data.Labels!.Count(l => l == 0));
            Assert.Equal(Metrics.ArgMax(data.Targets), data.Labels);
            Assert.Equal(data.Inputs, make(1).Inputs);
            Assert.NotEqual(data.Inputs, make(2).Inputs);
        }
    }

    [Fact]
    public void AccuracyComparesTheArgMaxOfOutputsAndTargets()
    {
        var outputs = Matrix<double>.Build.DenseOfArray(new[,] { { 0.1, 2.0, -1.0 }, { 3.0, 0.0, 0.0 }, { 0.0, 0.0, 5.0 }, { 1.0, 0.5, 0.0 } });
        Matrix<double> targets = Datasets.OneHot([1, 0, 2, 2], 3);

        Assert.Equal(0.75, Metrics.Accuracy(outputs, targets));
        Assert.Equal([1, 0, 2, 0], Metrics.ArgMax(outputs));
    }
}
