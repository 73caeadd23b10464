using System.Globalization;
using System.IO.Compression;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// The data sets shipped with the kit, all built without a download and deterministically from a seed:
/// the 8×8 handwritten digits, the PRML Fig. 5.3 curves, and two 2-D classification sets (moons and spirals).
/// </summary>
public static class Datasets
{
    /// <summary>The number of samples in <see cref="Digits"/>.</summary>
    public const int DigitsCount = 1797;

    /// <summary>
    /// The most points <see cref="Curve"/>, <see cref="CurveEvenlySpaced"/>, <see cref="Moons"/> and <see cref="Spirals"/>
    /// generate: 1,000,000, far more than any lesson trains on (a few dozen MB); larger counts are refused before
    /// anything is allocated (int.MaxValue points would need tens of GB).
    /// </summary>
    public const int MaxCount = 1_000_000;

    private static readonly Lazy<(double[] Pixels, int[] Labels)> _digits = new(LoadDigits);

    /// <summary>
    /// The UCI 8×8 handwritten digits (Alpaydin &amp; Kaynak, CC BY 4.0; 1797 samples): 64 inputs
    /// scaled from 0 … 16 to [0, 1], one-hot targets t_k = 1 for the digit k, and the labels 0 … 9.
    /// Split it with <see cref="Dataset.Split"/>, e.g. <c>Datasets.Digits().Split(0.25, seed: 0)</c>.
    /// </summary>
    public static Dataset Digits()
    {
        (double[] pixels, int[] labels) = _digits.Value;
        int n = labels.Length;
        var inputs = Matrix<double>.Build.Dense(n, 64);
        for (int row = 0; row < n; row++)
        {
            for (int i = 0; i < 64; i++)
            {
                inputs[row, i] = pixels[(row * 64) + i] / 16.0;
            }
        }

        return new Dataset("digits", inputs, OneHot(labels, 10), (int[])labels.Clone());
    }

    /// <summary>A digits train/test split: <see cref="Digits"/> shuffled with a seed, a share held out for testing.</summary>
    /// <param name="testFraction">The share of the 1797 samples used for testing (default 25 %).</param>
    /// <param name="seed">The seed of the shuffle; the same seed gives the same split.</param>
    public static (Dataset Train, Dataset Test) DigitsSplit(double testFraction = 0.25, int seed = 0) => Digits().Split(testFraction, seed);

    /// <summary>The value of a PRML Fig. 5.3 target function at x.</summary>
    public static double Evaluate(CurveFunction function, double x) => function switch
    {
        CurveFunction.Square => x * x,
        CurveFunction.Sine => Math.Sin(Math.PI * x),
        CurveFunction.AbsoluteValue => Math.Abs(x),
        CurveFunction.Heaviside => x > 0.0 ? 1.0 : 0.0,
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, $"function must be one of {string.Join(", ", Enum.GetNames<CurveFunction>())}, but it is {function}."),
    };

    /// <summary>
    /// A curve-fitting set after PRML Fig. 5.3: <paramref name="count"/> points x_n drawn uniformly
    /// from (−1, 1) with a seed (sorted, for line charts) and targets t_n = f(x_n), no noise.
    /// </summary>
    /// <param name="function">x², sin(πx), |x| or H(x).</param>
    /// <param name="count">The number of points N (Bishop uses 50).</param>
    /// <param name="seed">The seed of the draw.</param>
    public static Dataset Curve(CurveFunction function, int count = 50, int seed = 0)
    {
        CheckCount(count, 1);
        var random = new Random(seed);
        double[] x = new double[count];
        for (int n = 0; n < count; n++)
        {
            double u;
            do
            {
                u = (2.0 * random.NextDouble()) - 1.0;
            }
            while (u <= -1.0); // (−1, 1): NextDouble is in [0, 1)

            x[n] = u;
        }

        Array.Sort(x);
        return CurveSet(function, x, string.Create(CultureInfo.InvariantCulture, $"{Describe(function)}, {count} random points (seed {seed})"));
    }

    /// <summary>The same curve at <paramref name="count"/> evenly spaced points on [−1, 1] (both ends included), as in the benchmark.</summary>
    public static Dataset CurveEvenlySpaced(CurveFunction function, int count = 50)
    {
        if (count < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(count), count, $"count must be at least 2 (both ends of [−1, 1]), but it is {count}.");
        }

        CheckCount(count, 2);

        double[] x = Enumerable.Range(0, count).Select(n => -1.0 + (2.0 * n / (count - 1))).ToArray();
        return CurveSet(function, x, string.Create(CultureInfo.InvariantCulture, $"{Describe(function)}, {count} evenly spaced points"));
    }

    /// <summary>
    /// Two interleaving half circles ("moons") in the plane, classes 0 and 1, with Gaussian noise of
    /// standard deviation <paramref name="noise"/> on both coordinates; one-hot targets with two columns.
    /// Not linearly separable: a hidden layer is needed (lesson 07's decision boundary charts).
    /// </summary>
    /// <param name="count">The number of points N (half per class, the odd one to class 0).</param>
    /// <param name="noise">The standard deviation of the noise, ≥ 0.</param>
    /// <param name="seed">The seed of the draw.</param>
    public static Dataset Moons(int count = 200, double noise = 0.1, int seed = 0)
    {
        CheckCount(count, 1);
        NonNegative(noise, nameof(noise));
        var random = new Gaussian(seed);
        var inputs = Matrix<double>.Build.Dense(count, 2);
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % 2;
            double angle = Math.PI * random.NextUniform();
            double x = label == 0 ? Math.Cos(angle) : 1.0 - Math.Cos(angle);
            double y = label == 0 ? Math.Sin(angle) : 0.5 - Math.Sin(angle);
            inputs[n, 0] = x + (noise * random.NextStandardNormal());
            inputs[n, 1] = y + (noise * random.NextStandardNormal());
            labels[n] = label;
        }

        return new Dataset(string.Create(CultureInfo.InvariantCulture, $"moons ({count} points, noise {noise})"), inputs, OneHot(labels, 2), labels);
    }

    /// <summary>
    /// Two interleaved spirals (classes 0 and 1), each turning <paramref name="turns"/> times around the
    /// origin with radius growing from 0 to 1, with Gaussian noise of standard deviation <paramref name="noise"/>.
    /// Much harder than <see cref="Moons"/>: a deeper or wider network is needed.
    /// </summary>
    /// <param name="count">The number of points N (half per class).</param>
    /// <param name="noise">The standard deviation of the noise, ≥ 0.</param>
    /// <param name="seed">The seed of the draw.</param>
    /// <param name="turns">How many times each arm winds around the origin, &gt; 0.</param>
    public static Dataset Spirals(int count = 200, double noise = 0.02, int seed = 0, double turns = 1.5)
    {
        CheckCount(count, 1);
        NonNegative(noise, nameof(noise));
        Guard.Positive(turns, nameof(turns));
        var random = new Gaussian(seed);
        var inputs = Matrix<double>.Build.Dense(count, 2);
        int[] labels = new int[count];
        for (int n = 0; n < count; n++)
        {
            int label = n % 2;
            double r = random.NextUniform();
            double angle = (2.0 * Math.PI * turns * r) + (label * Math.PI);
            inputs[n, 0] = (r * Math.Cos(angle)) + (noise * random.NextStandardNormal());
            inputs[n, 1] = (r * Math.Sin(angle)) + (noise * random.NextStandardNormal());
            labels[n] = label;
        }

        return new Dataset(string.Create(CultureInfo.InvariantCulture, $"spirals ({count} points, noise {noise})"), inputs, OneHot(labels, 2), labels);
    }

    /// <summary>One-hot target rows: t_nk = 1 when k is the label of sample n, otherwise 0.</summary>
    /// <param name="labels">The class of each sample, 0 … classes − 1.</param>
    /// <param name="classes">The number of classes K.</param>
    public static Matrix<double> OneHot(IReadOnlyList<int> labels, int classes)
    {
        ArgumentNullException.ThrowIfNull(labels);
        Positive(classes, nameof(classes));
        long entries = (long)labels.Count * classes;
        if (entries > NetworkChecks.MaxParameterCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(classes), classes, string.Create(CultureInfo.InvariantCulture, $"One-hot targets for {labels.Count:N0} labels and {classes:N0} classes would have {entries:N0} entries, more than fit into one matrix ({NetworkChecks.MaxParameterCount:N0})."));
        }

        var targets = Matrix<double>.Build.Dense(labels.Count, classes);
        for (int n = 0; n < labels.Count; n++)
        {
            if (labels[n] < 0 || labels[n] >= classes)
            {
                throw new ArgumentOutOfRangeException(nameof(labels), labels[n], $"labels[{n}] must be a class 0 … {classes - 1}, but it is {labels[n]}.");
            }

            targets[n, labels[n]] = 1.0;
        }

        return targets;
    }

    private static Dataset CurveSet(CurveFunction function, double[] x, string name)
    {
        var inputs = Matrix<double>.Build.Dense(x.Length, 1, x);
        var targets = Matrix<double>.Build.Dense(x.Length, 1, x.Select(xn => Evaluate(function, xn)).ToArray());
        return new Dataset(name, inputs, targets);
    }

    private static string Describe(CurveFunction function) => function switch
    {
        CurveFunction.Square => "x²",
        CurveFunction.Sine => "sin(πx)",
        CurveFunction.AbsoluteValue => "|x|",
        CurveFunction.Heaviside => "H(x)",
        _ => throw new ArgumentOutOfRangeException(nameof(function), function, $"function must be one of {string.Join(", ", Enum.GetNames<CurveFunction>())}, but it is {function}."),
    };

    private static (double[] Pixels, int[] Labels) LoadDigits()
    {
        using Stream? resource = typeof(Datasets).Assembly.GetManifestResourceStream("Backprop.Data.digits.csv.gz")
            ?? throw new InvalidOperationException("The embedded resource Backprop.Data.digits.csv.gz is missing from Backprop.dll; rebuild lib/Backprop.");
        using var gzip = new GZipStream(resource, CompressionMode.Decompress);
        using var reader = new StreamReader(gzip);
        var pixels = new List<double>(DigitsCount * 64);
        var labels = new List<int>(DigitsCount);
        while (reader.ReadLine() is string line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            string[] fields = line.Split(',');
            if (fields.Length != 65)
            {
                throw new InvalidDataException($"digits.csv.gz line {labels.Count + 1} has {fields.Length} fields; expected 64 pixels and a label.");
            }

            for (int i = 0; i < 64; i++)
            {
                pixels.Add(double.Parse(fields[i], CultureInfo.InvariantCulture));
            }

            labels.Add(int.Parse(fields[64], CultureInfo.InvariantCulture));
        }

        return (pixels.ToArray(), labels.ToArray());
    }

    private static void Positive(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, but it is {value}.");
        }
    }

    private static void CheckCount(int count, int minimum)
    {
        if (count < minimum || count > MaxCount)
        {
            throw new ArgumentOutOfRangeException(
                nameof(count), count, string.Create(CultureInfo.InvariantCulture, $"count must be from {minimum} to {MaxCount:N0} (Datasets.MaxCount), but it is {count:N0}."));
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0, but it is {Guard.Describe(value)}.");
        }
    }
}
