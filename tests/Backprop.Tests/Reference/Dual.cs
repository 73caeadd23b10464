namespace Backprop.Tests.Reference;

/// <summary>
/// A dual number v + d·ε with ε² = 0, for forward-mode automatic differentiation: carrying
/// d = ∂v/∂w_p through every operation gives the exact derivative of the result with respect
/// to the seeded parameter w_p, up to rounding — no finite difference, no backpropagation.
/// Each rule below is the textbook derivative of the operation, written independently of the kit.
/// </summary>
internal readonly record struct Dual(double V, double D)
{
    public static Dual Constant(double v) => new(v, 0.0);

    public static Dual Variable(double v) => new(v, 1.0);

    public static implicit operator Dual(double v) => new(v, 0.0);

    public static Dual operator +(Dual x, Dual y) => new(x.V + y.V, x.D + y.D);

    public static Dual operator -(Dual x, Dual y) => new(x.V - y.V, x.D - y.D);

    public static Dual operator -(Dual x) => new(-x.V, -x.D);

    // (uv)' = u'v + uv'
    public static Dual operator *(Dual x, Dual y) => new(x.V * y.V, (x.D * y.V) + (x.V * y.D));

    // (u/v)' = (u'v − uv') / v²
    public static Dual operator /(Dual x, Dual y) => new(x.V / y.V, ((x.D * y.V) - (x.V * y.D)) / (y.V * y.V));

    // (e^u)' = e^u u'
    public static Dual Exp(Dual x)
    {
        double e = Math.Exp(x.V);
        return new(e, e * x.D);
    }

    // (ln u)' = u'/u
    public static Dual Log(Dual x) => new(Math.Log(x.V), x.D / x.V);

    // tanh'(u) = 1 / cosh²(u) — deliberately not the kit's 1 − tanh² form.
    public static Dual Tanh(Dual x)
    {
        double c = Math.Cosh(x.V);
        return new(Math.Tanh(x.V), x.D / (c * c));
    }

    // max(u, c) for a constant c: the derivative of whichever branch is active (u' when u > c).
    public static Dual Max(Dual x, double c) => x.V > c ? x : new(c, 0.0);
}
