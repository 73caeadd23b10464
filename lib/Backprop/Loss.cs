using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// An error function L_n for one sample and its output deltas δ_k = ∂L_n/∂a_k (step 2 of the
/// lecture's learning algorithm). Over a batch the loss is the sum L = Σ_n L_n.
/// </summary>
public abstract class Loss
{
    private protected Loss()
    {
    }

    /// <summary>
    /// Half the sum of squares, L_n = ½ Σ_k (y_k − t_k)², for any output activation:
    /// δ_k = h'(a_k)(y_k − t_k), which is δ_k = y_k − t_k for linear outputs (the lecture's simple example).
    /// </summary>
    public static Loss HalfSumOfSquares { get; } = new HalfSumOfSquaresLoss();

    /// <summary>
    /// Softmax cross-entropy on linear outputs: L_n = −Σ_k t_k ln softmax(a)_k with
    /// δ_k = softmax(a)_k − t_k. Targets are probability rows (non-negative, summing to 1),
    /// usually one-hot. Computed stably for large logits.
    /// </summary>
    public static Loss SoftmaxCrossEntropy { get; } = new SoftmaxCrossEntropyLoss();

    /// <summary>The loss's short name.</summary>
    public abstract string Name { get; }

    /// <summary>L_n for one sample: the network's outputs y and the targets t.</summary>
    /// <exception cref="ArgumentException">Sizes differ, an entry is not finite, targets are invalid for this loss,
    /// or the loss cannot work with this many outputs (softmax cross-entropy needs at least 2).</exception>
    public double Value(Vector<double> y, Vector<double> t)
    {
        ArgumentNullException.ThrowIfNull(y);
        Guard.Length(t, y.Count, nameof(t), "one target per output");
        Guard.Finite(y, nameof(y));
        ValidateOutputCount(y.Count, "y", nameof(y));
        ValidateTargets(t.AsArray() ?? t.ToArray(), nameof(t));
        return Value(y.AsArray() ?? y.ToArray(), t.AsArray() ?? t.ToArray());
    }

    /// <summary>
    /// The output deltas δ_k = ∂L_n/∂a_k for one sample, given the outputs y = h(a) and targets t.
    /// </summary>
    /// <param name="y">The output layer's z (the network's outputs).</param>
    /// <param name="t">The targets.</param>
    /// <param name="output">The output layer's activation h.</param>
    public Vector<double> OutputDelta(Vector<double> y, Vector<double> t, Activation output)
    {
        ArgumentNullException.ThrowIfNull(y);
        ArgumentNullException.ThrowIfNull(output);
        Guard.Length(t, y.Count, nameof(t), "one target per output");
        Guard.Finite(y, nameof(y));
        ValidateOutput(output);
        ValidateOutputCount(y.Count, "y", nameof(y));
        double[] target = t.ToArray();
        ValidateTargets(target, nameof(t));
        var delta = new double[y.Count];
        ValueAndDelta(y.ToArray(), target, output, delta);
        return Vector<double>.Build.DenseOfArray(delta);
    }

    /// <summary>Softmax of a vector of logits, softmax(a)_k = e^(a_k) / Σ_j e^(a_j), computed without overflow.</summary>
    public static Vector<double> Softmax(Vector<double> a)
    {
        ArgumentNullException.ThrowIfNull(a);
        Guard.Finite(a, nameof(a));
        var p = new double[a.Count];
        SoftmaxCrossEntropyLoss.Softmax(a.ToArray(), p);
        return Vector<double>.Build.DenseOfArray(p);
    }

    /// <summary>Throws when this loss cannot be used with the given output activation.</summary>
    /// <exception cref="ArgumentException">Softmax cross-entropy needs identity (linear) outputs.</exception>
    public virtual void ValidateOutput(Activation output)
    {
        ArgumentNullException.ThrowIfNull(output);
    }

    /// <inheritdoc/>
    public override string ToString() => Name;

    /// <summary>True when <see cref="ValidateTargets"/> asks nothing of a row but finite entries (a batch can then be checked at once).</summary>
    internal virtual bool TargetsNeedOnlyBeFinite => true;

    /// <summary>Throws unless t holds valid targets for this loss (finite; for softmax a probability row).</summary>
    internal virtual void ValidateTargets(ReadOnlySpan<double> t, string name)
    {
        for (int k = 0; k < t.Length; k++)
        {
            if (!double.IsFinite(t[k]))
            {
                throw new ArgumentException($"{name}[{k}] is {Guard.Describe(t[k])}; targets must be finite numbers.", name);
            }
        }
    }

    /// <summary>Throws unless this loss can work with <paramref name="outputCount"/> outputs, those of <paramref name="source"/>.</summary>
    /// <param name="outputCount">The number of outputs K.</param>
    /// <param name="source">Whose outputs, for the message: "the network" or "y".</param>
    /// <param name="parameterName">The argument the exception names.</param>
    internal virtual void ValidateOutputCount(int outputCount, string source, string parameterName)
    {
    }

    /// <summary>L_n and δ_k = ∂L_n/∂a_k for one sample as vectors (arguments already validated).</summary>
    internal (double Value, Vector<double> Delta) ValueAndDelta(Vector<double> y, Vector<double> t, Activation output)
    {
        var delta = new double[y.Count];
        double value = ValueAndDelta(y.AsArray() ?? y.ToArray(), t.AsArray() ?? t.ToArray(), output, delta);
        return (value, Vector<double>.Build.DenseOfArray(delta));
    }

    /// <summary>L_n for one sample (arguments already validated).</summary>
    internal abstract double Value(ReadOnlySpan<double> y, ReadOnlySpan<double> t);

    /// <summary>Writes δ_k = ∂L_n/∂a_k into delta and returns L_n (arguments already validated).</summary>
    internal abstract double ValueAndDelta(ReadOnlySpan<double> y, ReadOnlySpan<double> t, Activation output, Span<double> delta);

    private sealed class HalfSumOfSquaresLoss : Loss
    {
        public override string Name => "half sum of squares";

        internal override double Value(ReadOnlySpan<double> y, ReadOnlySpan<double> t)
        {
            double sum = 0.0;
            for (int k = 0; k < y.Length; k++)
            {
                double e = y[k] - t[k];
                sum += e * e;
            }

            return 0.5 * sum;
        }

        // δ_k = h'(a_k) (y_k − t_k), with h' taken from the stored output y_k.
        internal override double ValueAndDelta(ReadOnlySpan<double> y, ReadOnlySpan<double> t, Activation output, Span<double> delta)
        {
            double sum = 0.0;
            for (int k = 0; k < y.Length; k++)
            {
                double e = y[k] - t[k];
                sum += e * e;
                delta[k] = output.UncheckedDerivativeFromOutput(y[k]) * e;
            }

            return 0.5 * sum;
        }
    }

    private sealed class SoftmaxCrossEntropyLoss : Loss
    {
        private const double SumTolerance = 1e-9;

        public override string Name => "softmax cross-entropy";

        public override void ValidateOutput(Activation output)
        {
            ArgumentNullException.ThrowIfNull(output);
            if (output.Kind != ActivationKind.Identity)
            {
                throw new ArgumentException(
                    $"Softmax cross-entropy applies the softmax itself and needs linear (identity) output units, but the output activation is {output.Name}.",
                    nameof(output));
            }
        }

        // With K = 1 the softmax is always 1 and the one-hot target too: loss and gradient are 0, nothing trains.
        internal override void ValidateOutputCount(int outputCount, string source, string parameterName)
        {
            if (outputCount < 2)
            {
                throw new ArgumentException(
                    $"Softmax cross-entropy needs at least 2 outputs (classes), but {source} has {outputCount}: with one output the softmax is always 1, so the loss and its gradient are always 0 and nothing trains. For two classes use 2 linear outputs with Loss.SoftmaxCrossEntropy, or one logistic output with Loss.HalfSumOfSquares.",
                    parameterName);
            }
        }

        internal override bool TargetsNeedOnlyBeFinite => false;

        internal override void ValidateTargets(ReadOnlySpan<double> t, string name)
        {
            base.ValidateTargets(t, name);
            double sum = 0.0;
            for (int k = 0; k < t.Length; k++)
            {
                if (t[k] < 0.0)
                {
                    throw new ArgumentException(
                        $"{name}[{k}] is {Guard.Describe(t[k])}; softmax cross-entropy targets must be probabilities ≥ 0 (usually one-hot).", name);
                }

                sum += t[k];
            }

            if (Math.Abs(sum - 1.0) > SumTolerance)
            {
                throw new ArgumentException(
                    $"{name} sums to {Guard.Describe(sum)}; softmax cross-entropy targets must sum to 1 (usually one-hot).", name);
            }
        }

        // softmax(a)_k = e^(a_k − m) / Σ_j e^(a_j − m) with m = max_j a_j, so no exponent overflows.
        // Returns ln Σ_j e^(a_j − m), the log-sum-exp of the logits shifted by m: ln(1 + s) where s sums
        // the terms of every logit but the (first) largest, taken through an accurate ln(1 + s) so that a
        // confident prediction's tiny loss keeps its relative accuracy.
        internal static double Softmax(ReadOnlySpan<double> a, Span<double> p)
        {
            double m = double.NegativeInfinity;
            int argMax = 0;
            for (int k = 0; k < a.Length; k++)
            {
                if (a[k] > m)
                {
                    m = a[k];
                    argMax = k;
                }
            }

            double others = 0.0;
            for (int k = 0; k < a.Length; k++)
            {
                p[k] = k == argMax ? 1.0 : Math.Exp(a[k] - m);
                if (k != argMax)
                {
                    others += p[k];
                }
            }

            double sum = 1.0 + others;
            for (int k = 0; k < a.Length; k++)
            {
                p[k] /= sum;
            }

            return LogOnePlus(others);
        }

        // L_n = −Σ_k t_k ln softmax(a)_k = Σ_k t_k (ln Σ_j e^(a_j − m) − (a_k − m)).
        internal override double Value(ReadOnlySpan<double> y, ReadOnlySpan<double> t)
        {
            Span<double> p = y.Length <= 256 ? stackalloc double[y.Length] : new double[y.Length];
            double shiftedLogSumExp = Softmax(y, p);
            return CrossEntropy(y, t, shiftedLogSumExp);
        }

        // δ_k = softmax(a)_k − t_k.
        internal override double ValueAndDelta(ReadOnlySpan<double> y, ReadOnlySpan<double> t, Activation output, Span<double> delta)
        {
            double shiftedLogSumExp = Softmax(y, delta);
            for (int k = 0; k < y.Length; k++)
            {
                delta[k] -= t[k];
            }

            return CrossEntropy(y, t, shiftedLogSumExp);
        }

        // Σ_k t_k (ln Σ_j e^(a_j − m) − (a_k − m)); a_k − m is exact or nearly so, and never cancels against a large m.
        private static double CrossEntropy(ReadOnlySpan<double> a, ReadOnlySpan<double> t, double shiftedLogSumExp)
        {
            double m = double.NegativeInfinity;
            foreach (double ak in a)
            {
                m = Math.Max(m, ak);
            }

            double sum = 0.0;
            for (int k = 0; k < a.Length; k++)
            {
                if (t[k] != 0.0)
                {
                    sum += t[k] * (shiftedLogSumExp - (a[k] - m));
                }
            }

            return sum;
        }

        // ln(1 + s) for s ≥ 0, accurate for tiny s (double.LogP1 is computed as ln(s + 1) and loses them):
        // with u = 1 + s rounded, ln(u) · s / (u − 1) cancels the rounding of u (Goldberg 1991, theorem 4).
        private static double LogOnePlus(double s)
        {
            double u = 1.0 + s;
            return u == 1.0 ? s : Math.Log(u) * s / (u - 1.0);
        }
    }
}
