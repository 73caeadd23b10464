namespace Backprop;

/// <summary>
/// How a layer's initial weights w_ji are drawn (biases w_j0 always start at 0). The spread is
/// set from fan_in, the number of inputs of a unit without the bias, so that the activations
/// a_j start with a similar scale in every layer — the heart of lesson 10.
/// </summary>
public sealed class Initialisation
{
    private readonly Func<int, int, double> _spread;

    private Initialisation(string name, bool uniform, Func<int, int, double> spread)
    {
        Name = name;
        IsUniform = uniform;
        _spread = spread;
    }

    /// <summary>LeCun: w ~ N(0, σ_w²) with σ_w = fan_in^(−1/2). The default for logistic, tanh and identity layers.</summary>
    public static Initialisation LeCun { get; } = new("LeCun", uniform: false, (fanIn, _) => 1.0 / Math.Sqrt(fanIn));

    /// <summary>He: w ~ N(0, σ_w²) with σ_w = (2 / fan_in)^(1/2). The default for the ReLU family.</summary>
    public static Initialisation He { get; } = new("He", uniform: false, (fanIn, _) => Math.Sqrt(2.0 / fanIn));

    /// <summary>
    /// Glorot's normalised initialisation: w ~ U(−r, r) with r = √6 / √(fan_in + fan_out).
    /// </summary>
    public static Initialisation Glorot { get; } = new("Glorot", uniform: true, (fanIn, fanOut) => Math.Sqrt(6.0 / ((double)fanIn + fanOut)));

    /// <summary>The name, e.g. "LeCun" or "N(0, 0.5²)".</summary>
    public string Name { get; }

    /// <summary>True when weights are drawn uniformly (Glorot), false for a normal distribution.</summary>
    public bool IsUniform { get; }

    /// <summary>A plain normal distribution N(0, σ²) with the same σ for every layer.</summary>
    /// <param name="sigma">The standard deviation σ &gt; 0.</param>
    public static Initialisation Normal(double sigma)
    {
        Guard.Positive(sigma, nameof(sigma));
        return new Initialisation(FormattableString.Invariant($"N(0, {sigma}²)"), uniform: false, (_, _) => sigma);
    }

    /// <summary>The kit's default for a layer with the given activation: He for the ReLU family, LeCun otherwise.</summary>
    public static Initialisation DefaultFor(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return activation.IsRectifier ? He : LeCun;
    }

    /// <summary>
    /// The scale of the distribution for a layer: σ_w for the normal ones, the half-width r for Glorot's uniform.
    /// </summary>
    /// <param name="fanIn">The layer's inputs without the bias, ≥ 1.</param>
    /// <param name="fanOut">The layer's units, ≥ 1.</param>
    /// <exception cref="ArgumentOutOfRangeException">fanIn or fanOut is below 1 (no layer has no inputs or no units;
    /// He's σ_w = (2 / 0)^(1/2) would be ∞, Glorot's r at fan_in + fan_out = −2 NaN).</exception>
    public double Scale(int fanIn, int fanOut)
    {
        AtLeastOne(fanIn, nameof(fanIn), "fan_in, the layer's inputs without the bias");
        AtLeastOne(fanOut, nameof(fanOut), "fan_out, the layer's units");
        return _spread(fanIn, fanOut);
    }

    /// <summary>The standard deviation of the drawn weights (r/√3 for the uniform one).</summary>
    /// <exception cref="ArgumentOutOfRangeException">fanIn or fanOut is below 1.</exception>
    public double StandardDeviation(int fanIn, int fanOut) => IsUniform ? Scale(fanIn, fanOut) / Math.Sqrt(3.0) : Scale(fanIn, fanOut);

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>Draws one weight.</summary>
    internal double Sample(Gaussian random, int fanIn, int fanOut)
    {
        double scale = Scale(fanIn, fanOut);
        return IsUniform ? scale * ((2.0 * random.NextUniform()) - 1.0) : scale * random.NextStandardNormal();
    }

    private static void AtLeastOne(int value, string name, string what)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} ({what}) must be at least 1, but it is {value}.");
        }
    }
}
