using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// One run of <see cref="OutputSaturation.Train"/>: the output y = σ(a) and the loss L of one logistic output unit
/// before the first step and after every step of gradient descent.
/// </summary>
/// <param name="Loss">The loss it was trained with.</param>
/// <param name="StartWeight">The weight w it started from.</param>
/// <param name="StartBias">The bias b it started from.</param>
/// <param name="Target">The target t of its one sample.</param>
/// <param name="Outputs">y at step τ = 0 (the start), 1, …, steps.</param>
/// <param name="Losses">L at step τ = 0, 1, …, steps.</param>
public sealed record OutputSaturationRun(Loss Loss, double StartWeight, double StartBias, double Target,
    IReadOnlyList<double> Outputs, IReadOnlyList<double> Losses)
{
    /// <summary>The first step τ at which |y − t| is below <paramref name="distance"/>, or null when it never is.</summary>
    /// <param name="distance">How close to the target y must come (&gt; 0).</param>
    public int? StepsUntilWithin(double distance)
    {
        Arguments.Positive(distance, nameof(distance));
        for (int tau = 0; tau < Outputs.Count; tau++)
        {
            if (Math.Abs(Outputs[tau] - Target) < distance)
            {
                return tau;
            }
        }

        return null;
    }
}

/// <summary>
/// Output saturation measured on the smallest network there is (Nielsen, <i>Neural Networks and Deep Learning</i>, ch. 3):
/// one logistic output unit y = σ(a), a = w x + b, learns one sample by gradient descent. With the half sum of squares its
/// output delta is δ = (y − t) σ'(a), so a unit that is confidently wrong (σ flat) barely moves; with cross-entropy it is
/// δ = y − t, largest when the unit is most wrong.
/// </summary>
public static class OutputSaturation
{
    /// <summary>
    /// L and δ = ∂L/∂a of one logistic output y = σ(a) with target t ∈ [0, 1]. <see cref="Loss.HalfSumOfSquares"/>: the kit's
    /// loss on the logistic output, δ = (y − t) σ'(a). <see cref="Loss.SoftmaxCrossEntropy"/>: the kit's loss on two classes
    /// with activations (0, a) and targets (1 − t, t), whose softmax p₂ = e^a / (1 + e^a) is σ(a), so δ = δ₂ = σ(a) − t.
    /// </summary>
    /// <param name="loss">Loss.HalfSumOfSquares or Loss.SoftmaxCrossEntropy.</param>
    /// <param name="a">The unit's activation a.</param>
    /// <param name="target">The target t, in [0, 1].</param>
    /// <exception cref="ArgumentException">Another loss, a not finite, or t outside [0, 1].</exception>
    public static (double Loss, double Delta) LossAndDelta(Loss loss, double a, double target)
    {
        ArgumentNullException.ThrowIfNull(loss);
        Arguments.Finite(a, nameof(a));
        if (!(target >= 0 && target <= 1))
        {
            throw new ArgumentException($"the target is {target}; a logistic output's target must lie in [0, 1].", nameof(target));
        }

        if (ReferenceEquals(loss, Loss.HalfSumOfSquares))
        {
            var y = Vector<double>.Build.Dense(1, Activation.Logistic.Value(a));
            var t = Vector<double>.Build.Dense(1, target);
            return (loss.Value(y, t), loss.OutputDelta(y, t, Activation.Logistic)[0]);
        }

        if (ReferenceEquals(loss, Loss.SoftmaxCrossEntropy))
        {
            var logits = Vector<double>.Build.Dense([0.0, a]);
            var t = Vector<double>.Build.Dense([1 - target, target]);
            return (loss.Value(logits, t), loss.OutputDelta(logits, t, Activation.Identity)[1]);
        }

        throw new ArgumentException($"the loss is {loss.Name}; output saturation compares Loss.HalfSumOfSquares with Loss.SoftmaxCrossEntropy.", nameof(loss));
    }

    /// <summary>
    /// Trains y = σ(w x + b) on the one sample (x, t) by gradient descent, w ← w − η δ x and b ← b − η δ (δ from
    /// <see cref="LossAndDelta"/>), recording y and L before the first step and after each step.
    /// </summary>
    /// <param name="loss">Loss.HalfSumOfSquares or Loss.SoftmaxCrossEntropy.</param>
    /// <param name="weight">The starting weight w.</param>
    /// <param name="bias">The starting bias b.</param>
    /// <param name="input">The input x.</param>
    /// <param name="target">The target t, in [0, 1].</param>
    /// <param name="learningRate">η &gt; 0.</param>
    /// <param name="steps">How many steps (≥ 1).</param>
    /// <exception cref="ArgumentException">A value out of range (see <see cref="LossAndDelta"/>), η ≤ 0 or steps &lt; 1.</exception>
    public static OutputSaturationRun Train(Loss loss, double weight, double bias, double input = 1.0, double target = 0.0,
        double learningRate = 0.15, int steps = 300)
    {
        Arguments.Finite(weight, nameof(weight));
        Arguments.Finite(bias, nameof(bias));
        Arguments.Finite(input, nameof(input));
        Arguments.Positive(learningRate, nameof(learningRate));
        Arguments.Positive(steps, nameof(steps));
        var outputs = new double[steps + 1];
        var losses = new double[steps + 1];
        double w = weight, b = bias;
        for (int tau = 0; tau <= steps; tau++)
        {
            double a = (w * input) + b;
            var (value, delta) = LossAndDelta(loss, a, target);
            outputs[tau] = Activation.Logistic.Value(a);
            losses[tau] = value;
            w -= learningRate * delta * input;   // ∂L/∂w = δ x
            b -= learningRate * delta;           // ∂L/∂b = δ (x_0 = 1)
        }

        return new OutputSaturationRun(loss, weight, bias, target, outputs, losses);
    }
}
