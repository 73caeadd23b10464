using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// One step of the backward pass, from layer l + 1 to hidden layer l, split into its two factors (lecture: "Vanishing
/// Gradient"; lesson 09). With g = Σ_k w_kj δ_k the backward sum, δ_j = h'(a_j) g_j, so
/// ‖δ⁽ˡ⁾‖ / ‖δ⁽ˡ⁺¹⁾‖ = (‖g‖ / ‖δ⁽ˡ⁺¹⁾‖) · (‖δ⁽ˡ⁾‖ / ‖g‖): the weight factor, set by the weights alone, times the slope factor,
/// set by h'. Norms are over all samples and units (Frobenius), so the factors are root-mean-square, not of a mean gradient.
/// </summary>
/// <param name="Layer">The hidden layer l the step arrives at (1 = the first hidden layer).</param>
/// <param name="WeightFactor">‖g‖ / ‖δ⁽ˡ⁺¹⁾‖: above 1 the weights amplify the error signal, below 1 they shrink it.</param>
/// <param name="SlopeFactor">‖δ⁽ˡ⁾‖ / ‖g‖, a weighted mean of |h'(a_j)|: at most 1/4 for σ, at most 1 for tanh.</param>
public sealed record BackwardStep(int Layer, double WeightFactor, double SlopeFactor)
{
    /// <summary>The whole step ‖δ⁽ˡ⁾‖ / ‖δ⁽ˡ⁺¹⁾‖: below 1 the gradient vanishes towards the input, above 1 it explodes.</summary>
    public double Factor => WeightFactor * SlopeFactor;

    /// <summary>
    /// Every step of the backward pass over a data set, from the output layer down to the first hidden layer (entry 0 arrives
    /// at hidden layer 1).
    /// </summary>
    /// <param name="net">The network, at its current weights.</param>
    /// <param name="inputs">One sample per row.</param>
    /// <param name="targets">One target per row.</param>
    /// <param name="loss">The loss whose gradient is propagated.</param>
    /// <exception cref="ArgumentException">The network has no hidden layer, or a step starts from deltas that are all 0.</exception>
    public static IReadOnlyList<BackwardStep> Measure(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        ArgumentNullException.ThrowIfNull(net);
        if (net.Layers.Count < 2)
        {
            throw new ArgumentException("net must have at least one hidden layer: a backward step arrives at a hidden layer.", nameof(net));
        }

        BatchGradients g = net.Backward(net.Forward(inputs), targets, loss);
        var steps = new List<BackwardStep>();
        for (int l = 1; l < g.LayerCount; l++)
        {
            Matrix<double> above = g.Delta(l + 1);
            Matrix<double> w = net.Layers[l].Weights;                               // w⁽ˡ⁺¹⁾, bias column first
            Matrix<double> sum = above * w.SubMatrix(0, w.RowCount, 1, w.ColumnCount - 1);   // g = Σ_k w_kj δ_k, one row per sample
            double aboveNorm = above.FrobeniusNorm(), sumNorm = sum.FrobeniusNorm();
            if (!(aboveNorm > 0) || !(sumNorm > 0))
            {
                throw new ArgumentException($"the deltas of layer {l + 1} (or their backward sum) are all 0, so the step to layer {l} has no factors.", nameof(net));
            }

            steps.Add(new BackwardStep(l, sumNorm / aboveNorm, g.Delta(l).FrobeniusNorm() / sumNorm));
        }

        return steps;
    }
}
