namespace Backprop.Tests.Reference;

/// <summary>
/// An independent implementation of the network's loss, written from the lecture's formulas
/// with plain loops and differentiated by forward-mode automatic differentiation (<see cref="Dual"/>).
/// It reads nothing from the kit but the layer sizes, each activation's family and k, and the
/// parameter vector, which it interprets by the documented order on its own:
/// layer by layer from the input; inside a layer unit by unit (row j), and for unit j first the
/// bias w_j0 (the weight of the constant input x_0 = 1), then w_j1 … w_jD.
/// </summary>
internal sealed class ReferenceMlp
{
    private readonly int[] _sizes;
    private readonly ActivationKind[] _kinds;
    private readonly double[] _ks;

    public ReferenceMlp(int[] sizes, IReadOnlyList<Activation> activations)
    {
        _sizes = (int[])sizes.Clone();
        _kinds = [.. activations.Select(h => h.Kind)];
        _ks = [.. activations.Select(h => h.K ?? 0.0)];
        ParameterCount = 0;
        for (int l = 0; l + 1 < sizes.Length; l++)
        {
            ParameterCount += sizes[l + 1] * (sizes[l] + 1);
        }
    }

    public int ParameterCount { get; }

    /// <summary>
    /// L = Σ_n L_n and ∂L/∂w_p for every p: one forward pass in dual numbers per parameter,
    /// each seeding w_p with tangent 1 and every other weight with tangent 0.
    /// </summary>
    public (double Loss, double[] Gradient) LossAndGradient(double[] w, double[][] inputs, double[][] targets, bool softmaxCrossEntropy)
    {
        var gradient = new double[w.Length];
        double loss = Loss(w, -1, inputs, targets, softmaxCrossEntropy).V;
        for (int p = 0; p < w.Length; p++)
        {
            gradient[p] = Loss(w, p, inputs, targets, softmaxCrossEntropy).D;
        }

        return (loss, gradient);
    }

    /// <summary>The summed loss with parameter number <paramref name="seeded"/> as the variable (−1: none).</summary>
    public Dual Loss(double[] w, int seeded, double[][] inputs, double[][] targets, bool softmaxCrossEntropy)
    {
        Dual total = 0.0;
        for (int n = 0; n < inputs.Length; n++)
        {
            Dual[] y = Forward(w, seeded, inputs[n]);
            total += softmaxCrossEntropy ? SoftmaxCrossEntropy(y, targets[n]) : HalfSumOfSquares(y, targets[n]);
        }

        return total;
    }

    /// <summary>a_j = Σ_{i=0}^{D} w_ji z_i with z_0 = 1, z_j = h(a_j), layer after layer.</summary>
    private Dual[] Forward(double[] w, int seeded, double[] x)
    {
        Dual[] z = [.. x.Select(Dual.Constant)];
        int p = 0;
        for (int l = 0; l + 1 < _sizes.Length; l++)
        {
            int inputs = _sizes[l];
            int units = _sizes[l + 1];
            var next = new Dual[units];
            for (int j = 0; j < units; j++)
            {
                Dual a = Weight(w, p++, seeded);                 // w_j0 · 1 (the bias)
                for (int i = 1; i <= inputs; i++)
                {
                    a += Weight(w, p++, seeded) * z[i - 1];        // w_ji · z_i
                }

                next[j] = H(_kinds[l], _ks[l], a);
            }

            z = next;
        }

        if (p != w.Length)
        {
            throw new InvalidOperationException($"The reference consumed {p} parameters but was given {w.Length}.");
        }

        return z;
    }

    private static Dual Weight(double[] w, int p, int seeded) => p == seeded ? Dual.Variable(w[p]) : Dual.Constant(w[p]);

    /// <summary>The activation functions as the lecture defines them.</summary>
    private static Dual H(ActivationKind kind, double k, Dual a) => kind switch
    {
        ActivationKind.Identity => a,

        // σ(a) = 1 / (1 + e^(−a)); for a < 0 the equal form e^a / (1 + e^a) avoids overflowing e^(−a).
        ActivationKind.Logistic => a.V >= 0.0 ? 1.0 / (1.0 + Dual.Exp(-a)) : Dual.Exp(a) / (1.0 + Dual.Exp(a)),
        ActivationKind.Tanh => Dual.Tanh(a),
        ActivationKind.ReLU => Dual.Max(a, 0.0),
        ActivationKind.LeakyReLU => a.V > 0.0 ? a : k * a,

        // ELU: k(e^a − 1) for a ≤ 0.
        ActivationKind.Elu => a.V > 0.0 ? a : k * (Dual.Exp(a) - 1.0),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "no reference for this activation"),
    };

    /// <summary>L_n = ½ Σ_k (y_k − t_k)².</summary>
    private static Dual HalfSumOfSquares(Dual[] y, double[] t)
    {
        Dual sum = 0.0;
        for (int k = 0; k < y.Length; k++)
        {
            Dual e = y[k] - t[k];
            sum += e * e;
        }

        return 0.5 * sum;
    }

    /// <summary>
    /// L_n = −Σ_k t_k ln softmax(a)_k with softmax(a)_k = e^(a_k) / Σ_j e^(a_j). Subtracting the
    /// constant m = max_j a_j from every logit leaves the softmax unchanged and keeps e^x finite.
    /// </summary>
    private static Dual SoftmaxCrossEntropy(Dual[] a, double[] t)
    {
        double m = a.Max(v => v.V);
        Dual sum = 0.0;
        var e = new Dual[a.Length];
        for (int k = 0; k < a.Length; k++)
        {
            e[k] = Dual.Exp(a[k] - m);
            sum += e[k];
        }

        Dual loss = 0.0;
        for (int k = 0; k < a.Length; k++)
        {
            if (t[k] != 0.0)
            {
                loss -= t[k] * Dual.Log(e[k] / sum);
            }
        }

        return loss;
    }
}
