using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Tests;

/// <summary>
/// Shared pieces of the test suite: every activation by a serialisable name (so xunit lists
/// each theory case), seeded random networks and data, and assertions with explained tolerances.
/// </summary>
internal static class TestSupport
{
    /// <summary>Every activation the issue lists, with the k values the tests cover.</summary>
    public static readonly string[] AllActivationNames =
    [
        "logistic", "tanh", "relu", "leaky0.01", "leaky0.3", "elu0.5", "elu1", "elu2", "identity",
    ];

    /// <summary>The smooth activations (logistic, tanh, identity, ELU with k = 1): no kink can spoil a finite difference.</summary>
    public static readonly string[] SmoothActivationNames = ["logistic", "tanh", "identity", "elu1"];

    public static Activation ActivationByName(string name) => name switch
    {
        "logistic" => Activation.Logistic,
        "tanh" => Activation.Tanh,
        "relu" => Activation.ReLU,
        "leaky0.01" => Activation.LeakyReLU(0.01),
        "leaky0.3" => Activation.LeakyReLU(0.3),
        "elu0.5" => Activation.Elu(0.5),
        "elu1" => Activation.Elu(1.0),
        "elu2" => Activation.Elu(2.0),
        "identity" => Activation.Identity,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown activation name in the test data"),
    };

    public static Loss LossByName(string name) => name switch
    {
        "sse" => Loss.HalfSumOfSquares,
        "ce" => Loss.SoftmaxCrossEntropy,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown loss name in the test data"),
    };

    /// <summary>True when an activation has a kink at a = 0 (a jump in h'), i.e. every rectifier but ELU with k = 1.</summary>
    public static bool HasKink(Activation h) =>
        h.Kind is ActivationKind.ReLU or ActivationKind.LeakyReLU || (h.Kind == ActivationKind.Elu && h.K != 1.0);

    /// <summary>Random layer sizes: depth weight layers, each width in [minWidth, maxWidth].</summary>
    public static int[] RandomSizes(Random rng, int depth, int minWidth, int maxWidth)
    {
        var sizes = new int[depth + 1];
        for (int l = 0; l <= depth; l++)
        {
            sizes[l] = rng.Next(minWidth, maxWidth + 1);
        }

        return sizes;
    }

    /// <summary>Inputs drawn uniformly from [−scale, scale], one row per sample.</summary>
    public static Matrix<double> RandomInputs(Random rng, int samples, int inputs, double scale = 1.0) =>
        Matrix<double>.Build.Dense(samples, inputs, (_, _) => scale * ((2.0 * rng.NextDouble()) - 1.0));

    /// <summary>
    /// Targets that suit the loss and the output units: one-hot rows for softmax cross-entropy;
    /// otherwise values in the range the outputs can reach — (0, 1) for logistic outputs, [−1, 1] else.
    /// </summary>
    public static Matrix<double> RandomTargets(Random rng, int samples, int outputs, Loss loss, Activation? output = null)
    {
        if (ReferenceEquals(loss, Loss.SoftmaxCrossEntropy))
        {
            var t = Matrix<double>.Build.Dense(samples, outputs);
            for (int n = 0; n < samples; n++)
            {
                t[n, rng.Next(outputs)] = 1.0;
            }

            return t;
        }

        return output?.Kind == ActivationKind.Logistic
            ? Matrix<double>.Build.Dense(samples, outputs, (_, _) => rng.NextDouble())
            : Matrix<double>.Build.Dense(samples, outputs, (_, _) => (2.0 * rng.NextDouble()) - 1.0);
    }

    /// <summary>
    /// A random network for a case: hidden layers use h; the output layer is the identity for
    /// softmax cross-entropy (which needs linear outputs) and, for the half sum of squares,
    /// h itself on even seeds and the identity on odd ones, so both kinds of output layer are covered.
    /// </summary>
    public static Mlp RandomNetwork(Random rng, int[] sizes, Activation h, Loss loss, int seed)
    {
        if (ReferenceEquals(loss, Loss.SoftmaxCrossEntropy))
        {
            sizes[^1] = Math.Max(sizes[^1], 2); // in place, for the caller's targets: one softmax output trains nothing and is refused
        }

        Activation output = ReferenceEquals(loss, Loss.SoftmaxCrossEntropy) || seed % 2 == 1 ? Activation.Identity : h;
        return new Mlp(sizes, h, output, seed: rng.Next());
    }

    /// <summary>
    /// Asserts |actual − expected| ≤ tolerance · max(|expected|, floor): a relative comparison that
    /// turns absolute below floor. The message names the quantity.
    /// </summary>
    public static void AssertRelative(double expected, double actual, double tolerance, string what, double floor = 0.0)
    {
        double scale = Math.Max(Math.Abs(expected), floor);
        double error = Math.Abs(actual - expected);
        Assert.True(
            double.IsFinite(actual) && error <= tolerance * scale,
            FormattableString.Invariant($"{what}: expected {expected:R}, got {actual:R}, |difference| {error:E3} > {tolerance:E1} × {scale:E3}"));
    }

    /// <summary>‖actual − expected‖ / ‖expected‖ (0 when both vanish, ∞ when only expected does).</summary>
    public static double NormRelativeError(Vector<double> expected, Vector<double> actual)
    {
        double difference = (actual - expected).L2Norm();
        double scale = expected.L2Norm();
        return scale > 0.0 ? difference / scale : difference == 0.0 ? 0.0 : double.PositiveInfinity;
    }

    /// <summary>
    /// Asserts that a call throws <typeparamref name="TException"/> (ArgumentException or a subclass)
    /// whose message contains every given piece — the argument's name, what was expected, what came.
    /// </summary>
    public static TException AssertThrows<TException>(Action action, params string[] messageContains)
        where TException : ArgumentException
    {
        TException exception = Assert.Throws<TException>(action);
        foreach (string piece in messageContains)
        {
            Assert.True(exception.Message.Contains(piece, StringComparison.Ordinal), $"The message \"{exception.Message}\" should mention \"{piece}\".");
        }

        return exception;
    }

    /// <summary>Like <see cref="AssertThrows{TException}"/> but accepts ArgumentException or any subclass.</summary>
    public static ArgumentException AssertArgumentException(Action action, params string[] messageContains)
    {
        ArgumentException exception = Assert.ThrowsAny<ArgumentException>(action);
        foreach (string piece in messageContains)
        {
            Assert.True(exception.Message.Contains(piece, StringComparison.Ordinal), $"The message \"{exception.Message}\" should mention \"{piece}\".");
        }

        return exception;
    }
}
