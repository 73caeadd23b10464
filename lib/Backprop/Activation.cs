using System.Globalization;
using System.Numerics.Tensors;
using Backprop.Kernels;

namespace Backprop;

/// <summary>
/// An activation function h with its derivative, as on the lecture's activation slides.
/// Each one offers h(a), h'(a), and h' written through the output y = h(a) — the form the
/// backward pass calls, because the forward pass already stored z = h(a)
/// (δ_j = h'(a_j) Σ_k w_kj δ_k, step 3 of the learning algorithm). Taught in lessons 04 and 11.
/// </summary>
/// <remarks>
/// Every function is exact and finite for any finite input: σ(±800) is exactly 1 or 0 and
/// tanh(±800) exactly ±1; no finite a gives NaN.
/// </remarks>
public abstract class Activation
{
    private protected Activation()
    {
    }

    /// <summary>The logistic sigmoid σ(a) = 1 / (1 + e^(−a)), with σ'(a) = σ(a)(1 − σ(a)) ≤ 1/4.</summary>
    public static Activation Logistic { get; } = new LogisticActivation();

    /// <summary>tanh(a) = 2σ(2a) − 1 = (e^a − e^(−a)) / (e^a + e^(−a)), with tanh'(a) = 1 − tanh²(a) ≤ 1.</summary>
    public static Activation Tanh { get; } = new TanhActivation();

    /// <summary>ReLU: h(a) = a for a &gt; 0, 0 for a ≤ 0; h'(a) = 1 for a &gt; 0, 0 for a ≤ 0.</summary>
    public static Activation ReLU { get; } = new LeakyReLUActivation(0.0, ActivationKind.ReLU);

    /// <summary>The identity h(a) = a (linear output units, y_k = a_k), with h'(a) = 1.</summary>
    public static Activation Identity { get; } = new IdentityActivation();

    /// <summary>
    /// Leaky ReLU: h(a) = a for a &gt; 0 and k·a for a ≤ 0; h'(a) = 1 for a &gt; 0 and k for a ≤ 0.
    /// </summary>
    /// <param name="k">The slope for a ≤ 0, with 0 ≤ k ≤ 1 as on the lecture's slide.</param>
    /// <exception cref="ArgumentOutOfRangeException">k is outside [0, 1] or not a number.</exception>
    public static Activation LeakyReLU(double k = 0.01)
    {
        if (!(k >= 0.0 && k <= 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"Leaky ReLU needs a slope k with 0 ≤ k ≤ 1, but k was {k}.");
        }

        return new LeakyReLUActivation(k, ActivationKind.LeakyReLU);
    }

    /// <summary>
    /// ELU: h(a) = a for a &gt; 0 and k(e^a − 1) for a ≤ 0; h'(a) = 1 for a &gt; 0 and
    /// k·e^a = y(a) + k for a ≤ 0.
    /// </summary>
    /// <param name="k">The scale of the negative branch, k &gt; 0 as on the lecture's slide.</param>
    /// <exception cref="ArgumentOutOfRangeException">k is not a finite positive number.</exception>
    public static Activation Elu(double k = 1.0)
    {
        if (!(k > 0.0 && double.IsFinite(k)))
        {
            throw new ArgumentOutOfRangeException(nameof(k), k, $"ELU needs a finite scale k > 0, but k was {k}.");
        }

        return new EluActivation(k);
    }

    /// <summary>The function's short name, e.g. "tanh" or "leaky ReLU (k = 0.01)".</summary>
    public abstract string Name { get; }

    /// <summary>Which family this activation belongs to.</summary>
    public abstract ActivationKind Kind { get; }

    /// <summary>The maximum of |h'(a)| over all a: 1/4 for σ, 1 for tanh, ReLU, leaky ReLU and identity, max(1, k) for ELU.</summary>
    public abstract double MaxDerivative { get; }

    /// <summary>The family's parameter k (leaky ReLU slope, ELU scale), or null when it has none.</summary>
    public virtual double? K => null;

    /// <summary>True for the saturating sigmoidal units (σ and tanh), whose h' approaches 0 for large |a|.</summary>
    public bool IsSigmoidal => Kind is ActivationKind.Logistic or ActivationKind.Tanh;

    /// <summary>True for the ReLU family (ReLU, leaky ReLU, ELU).</summary>
    public bool IsRectifier => Kind is ActivationKind.ReLU or ActivationKind.LeakyReLU or ActivationKind.Elu;

    /// <summary>True when h is odd, h(−a) = −h(a) (tanh, the identity, leaky ReLU with k = 1): then a hidden unit's
    /// weights and outgoing weights can all change sign without changing the network's outputs.</summary>
    public virtual bool IsOdd => false;

    /// <summary>h(a) as plain text with its parameter written in, as the lecture's summary slide has it, e.g. "1 / (1 + e^(−a))".</summary>
    public abstract string Formula { get; }

    /// <summary>h'(a) as plain text, through y = h(a) where the lecture writes it so, e.g. "y(a)(1 − y(a))".</summary>
    public abstract string DerivativeFormula { get; }

    /// <summary>The lecture's problem with this unit ("vanishing gradients", "dead neurons"), empty if it names none.</summary>
    public virtual string Problem => string.Empty;

    /// <summary>The lecture's advantage of this unit ("neuron is always learning"), empty if it names none.</summary>
    public virtual string Advantage => string.Empty;

    /// <summary>h(a): the unit's output z = h(a) for its activation a.</summary>
    public abstract double Value(double a);

    /// <summary>h'(a), the derivative with respect to the activation a.</summary>
    public abstract double Derivative(double a);

    /// <summary>
    /// h' written through the output y = h(a), as the lecture writes it: σ' = y(1 − y),
    /// tanh' = 1 − y², ReLU and leaky ReLU from the sign of y, ELU' = y + k for y ≤ 0.
    /// This is what the backward pass calls on the stored z.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">y is not an output of h (e.g. outside [0, 1] for σ, [−1, 1] for tanh) or NaN.</exception>
    public double DerivativeFromOutput(double y)
    {
        (double lowest, double highest) = OutputRange;
        if (!(y >= lowest && y <= highest))
        {
            throw new ArgumentOutOfRangeException(
                nameof(y), y, FormattableString.Invariant($"y = {y} is not an output of {Name}, whose outputs y = h(a) lie in [{lowest}, {highest}]; DerivativeFromOutput takes the output y, not the activation a (Derivative(a) takes a)."));
        }

        return UncheckedDerivativeFromOutput(y);
    }

    /// <summary>The closed range of the outputs y = h(a) over all a (with the limits a → ±∞).</summary>
    internal abstract (double Lowest, double Highest) OutputRange { get; }

    /// <summary>h' through y = h(a), for a y known to be an output of h (the passes' stored z): the lecture's formula, unchecked.</summary>
    internal abstract double UncheckedDerivativeFromOutput(double y);

    /// <summary>Applies h to every entry: z_j = h(a_j).</summary>
    public virtual void Value(ReadOnlySpan<double> a, Span<double> z)
    {
        Guard.SameLength(a.Length, z.Length, nameof(z));
        for (int j = 0; j < a.Length; j++)
        {
            z[j] = Value(a[j]);
        }
    }

    /// <summary>Computes h' from stored outputs for every entry: d_j = h'(a_j) evaluated through z_j = h(a_j).</summary>
    /// <exception cref="ArgumentOutOfRangeException">An entry of z is not an output of h.</exception>
    public virtual void DerivativeFromOutput(ReadOnlySpan<double> z, Span<double> d)
    {
        Guard.SameLength(z.Length, d.Length, nameof(d));
        for (int j = 0; j < z.Length; j++)
        {
            d[j] = DerivativeFromOutput(z[j]);
        }
    }

    /// <summary>
    /// z_j = h(a_j) for the batched forward pass (spans of equal length, not checked): the unit's own fast form where it
    /// has one. Every form but tanh's gives exactly <see cref="Value(double)"/>'s bits; tanh's is the kit's vector formula
    /// (within 3 units in the last place of Math.Tanh, the same bits on every CPU).
    /// </summary>
    internal virtual void BatchValue(ReadOnlySpan<double> a, Span<double> z)
    {
        for (int j = 0; j < a.Length; j++)
        {
            z[j] = Value(a[j]);
        }
    }

    /// <summary>
    /// d_j = h'(a_j) through z_j = h(a_j) for the batched backward pass, without the range check: its z were computed by
    /// h itself, so they are outputs of h, and a comparison per entry would only slow the hot loop.
    /// </summary>
    internal virtual void BatchDerivativeFromOutput(ReadOnlySpan<double> z, Span<double> d)
    {
        for (int j = 0; j < z.Length; j++)
        {
            d[j] = UncheckedDerivativeFromOutput(z[j]);
        }
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    private sealed class IdentityActivation : Activation
    {
        public override string Name => "identity";

        public override ActivationKind Kind => ActivationKind.Identity;

        public override bool IsOdd => true;

        public override string Formula => "a";

        public override string DerivativeFormula => "1";

        public override string Advantage => "linear outputs y_k = a_k";

        public override double MaxDerivative => 1.0;

        internal override (double Lowest, double Highest) OutputRange => (double.NegativeInfinity, double.PositiveInfinity);

        public override double Value(double a) => a;

        public override double Derivative(double a) => 1.0;

        internal override double UncheckedDerivativeFromOutput(double y) => 1.0;

        public override void Value(ReadOnlySpan<double> a, Span<double> z)
        {
            Guard.SameLength(a.Length, z.Length, nameof(z));
            a.CopyTo(z);
        }

        internal override void BatchValue(ReadOnlySpan<double> a, Span<double> z) => a.CopyTo(z);

        internal override void BatchDerivativeFromOutput(ReadOnlySpan<double> z, Span<double> d) => d.Fill(1.0);
    }

    private sealed class LogisticActivation : Activation
    {
        public override string Name => "logistic";

        public override ActivationKind Kind => ActivationKind.Logistic;

        public override string Formula => "1 / (1 + e^(−a))";

        public override string DerivativeFormula => "y(a)(1 − y(a))";

        public override string Problem => "vanishing gradients (h' ≤ 1/4, saturates for large |a|)";

        public override double MaxDerivative => 0.25;

        internal override (double Lowest, double Highest) OutputRange => (0.0, 1.0);

        // Two branches so that e^(−a) never overflows: for a < 0 use e^a / (1 + e^a).
        public override double Value(double a)
        {
            if (a >= 0.0)
            {
                return 1.0 / (1.0 + Math.Exp(-a));
            }

            double e = Math.Exp(a);
            return e / (1.0 + e);
        }

        // σ'(a) = σ(a)(1 − σ(a)).
        public override double Derivative(double a)
        {
            double y = Value(a);
            return y * (1.0 - y);
        }

        internal override double UncheckedDerivativeFromOutput(double y) => y * (1.0 - y);
    }

    private sealed class TanhActivation : Activation
    {
        public override string Name => "tanh";

        public override ActivationKind Kind => ActivationKind.Tanh;

        public override bool IsOdd => true;

        public override string Formula => "tanh(a) = 2σ(2a) − 1";

        public override string DerivativeFormula => "1 − y²(a)";

        public override string Problem => "vanishing gradients (saturates for large |a|)";

        public override double MaxDerivative => 1.0;

        internal override (double Lowest, double Highest) OutputRange => (-1.0, 1.0);

        public override double Value(double a) => Math.Tanh(a);

        // tanh'(a) = 1 − tanh²(a).
        public override double Derivative(double a)
        {
            double y = Math.Tanh(a);
            return 1.0 - (y * y);
        }

        internal override double UncheckedDerivativeFromOutput(double y) => 1.0 - (y * y);

        internal override void BatchValue(ReadOnlySpan<double> a, Span<double> z) => VectorTanh.Apply(a, z);

        // 1 − y², rounded exactly as the scalar form (y·y, then the subtraction): products and differences are exact per element.
        internal override void BatchDerivativeFromOutput(ReadOnlySpan<double> z, Span<double> d)
        {
            TensorPrimitives.Multiply(z, z, d);
            TensorPrimitives.Subtract(1.0, d, d);
        }
    }

    private sealed class LeakyReLUActivation(double k, ActivationKind kind) : Activation
    {
        public override string Name => kind == ActivationKind.ReLU ? "ReLU" : FormattableString.Invariant($"leaky ReLU (k = {k})");

        public override ActivationKind Kind => kind;

        public override bool IsOdd => k == 1.0; // then h(a) = a

        public override string Formula => kind == ActivationKind.ReLU ? "a if a > 0, 0 if a ≤ 0" : $"a if a > 0, {Slope}·a if a ≤ 0";

        public override string DerivativeFormula => $"1 if a > 0, {Slope} if a ≤ 0";

        public override string Problem => kind == ActivationKind.ReLU ? "dead neurons (h' = 0 for a ≤ 0)" : string.Empty;

        public override string Advantage => kind == ActivationKind.ReLU ? "avoids vanishing gradients; sparsity" : "neuron is always learning (0 ≤ k ≤ 1)";

        private string Slope => k.ToString("G", CultureInfo.InvariantCulture);

        public override double MaxDerivative => 1.0;

        internal override (double Lowest, double Highest) OutputRange => (k > 0.0 ? double.NegativeInfinity : 0.0, double.PositiveInfinity);

        public override double? K => kind == ActivationKind.ReLU ? null : k;

        // a for a > 0, k·a for a ≤ 0 (k = 0 is the plain ReLU).
        public override double Value(double a) => a > 0.0 ? a : k * a;

        public override double Derivative(double a) => a > 0.0 ? 1.0 : k;

        // y > 0 exactly when a > 0, so the sign of the output decides the branch.
        internal override double UncheckedDerivativeFromOutput(double y) => y > 0.0 ? 1.0 : k;

        // Value's formula inline: one virtual call per batch instead of one per entry.
        internal override void BatchValue(ReadOnlySpan<double> a, Span<double> z)
        {
            for (int j = 0; j < a.Length; j++)
            {
                double aj = a[j];
                z[j] = aj > 0.0 ? aj : k * aj;
            }
        }
    }

    private sealed class EluActivation(double k) : Activation
    {
        public override string Name => FormattableString.Invariant($"ELU (k = {k})");

        public override ActivationKind Kind => ActivationKind.Elu;

        public override string Formula => $"a if a > 0, {Scale}(e^a − 1) if a ≤ 0";

        public override string DerivativeFormula => $"1 if a > 0, y(a) + {Scale} if a ≤ 0";

        public override string Advantage => "neuron is mostly learning; mean output nearer 0 (k > 0)";

        private string Scale => k.ToString("G", CultureInfo.InvariantCulture);

        public override double MaxDerivative => Math.Max(1.0, k);

        internal override (double Lowest, double Highest) OutputRange => (-k, double.PositiveInfinity);

        public override double? K => k;

        // k(e^a − 1) through an accurate e^a − 1, so that small |a| keep their relative accuracy.
        public override double Value(double a) => a > 0.0 ? a : k * ExpMinusOne(a);

        public override double Derivative(double a) => a > 0.0 ? 1.0 : k * Math.Exp(a);

        // For a ≤ 0: k·e^a = k(e^a − 1) + k = y + k.
        internal override double UncheckedDerivativeFromOutput(double y) => y > 0.0 ? 1.0 : y + k;

        // e^a − 1 to a few ulp for every a (double.ExpM1 is computed as Math.Exp(a) − 1 and loses small |a|):
        // with u = e^a rounded, (u − 1) · a / ln(u) cancels the rounding of u (Kahan's algorithm).
        private static double ExpMinusOne(double a)
        {
            double u = Math.Exp(a);
            if (u == 1.0)
            {
                return a;
            }

            double uMinusOne = u - 1.0;
            return uMinusOne == -1.0 ? -1.0 : uMinusOne * a / Math.Log(u);
        }
    }
}
