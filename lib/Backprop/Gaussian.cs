namespace Backprop;

/// <summary>A seeded source of uniform and standard normal numbers (Box–Muller), identical on every run for a seed.</summary>
internal sealed class Gaussian(int seed)
{
    private readonly Random _random = new(seed);
    private double? _spare;

    public double NextUniform() => _random.NextDouble();

    public int NextInt(int maxExclusive) => _random.Next(maxExclusive);

    public double NextStandardNormal()
    {
        if (_spare is double spare)
        {
            _spare = null;
            return spare;
        }

        double u1 = 1.0 - _random.NextDouble(); // in (0, 1], so the logarithm is finite
        double u2 = _random.NextDouble();
        double r = Math.Sqrt(-2.0 * Math.Log(u1));
        _spare = r * Math.Sin(2.0 * Math.PI * u2);
        return r * Math.Cos(2.0 * Math.PI * u2);
    }
}
