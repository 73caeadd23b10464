using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>
/// One row of lesson 13's gradient-check sweep: a random network, the sample it was checked on, and the largest
/// per-layer relative error ‖g_a − g_n‖ / max(‖g_a‖, ‖g_n‖) between backprop and central differences.
/// </summary>
/// <param name="Activation">The activation h of every hidden layer.</param>
/// <param name="HiddenLayers">The number of hidden layers (the network has one weight layer more).</param>
/// <param name="Network">The network checked.</param>
/// <param name="X">The input of the sample.</param>
/// <param name="T">The target of the sample.</param>
/// <param name="MaxRelativeError">The largest per-layer relative error.</param>
public sealed record CapstoneCheck(Activation Activation, int HiddenLayers, Mlp Network, Vector<double> X, Vector<double> T, double MaxRelativeError);

/// <summary>
/// Helpers of lesson 13 (the capstone: your own backward pass, gradient checker and training loop): seeded random
/// networks and samples, the kit's reference for each exercise, and a sweep that runs the student's checker and falls
/// back to the kit's while the student's is not written yet.
/// </summary>
public static class Capstone
{
    /// <summary>The step ε of the central differences in lesson 13.</summary>
    public const double Epsilon = 1e-5;

    /// <summary>
    /// A seeded random network with <paramref name="inputs"/> inputs, <paramref name="hiddenLayers"/> hidden layers of
    /// 3–6 units with activation <paramref name="hidden"/>, and <paramref name="outputs"/> linear outputs.
    /// </summary>
    /// <exception cref="ArgumentException">A count is out of range.</exception>
    public static Mlp RandomNetwork(Activation hidden, int hiddenLayers, int seed, int inputs = 3, int outputs = 2)
    {
        ArgumentNullException.ThrowIfNull(hidden);
        ArgumentOutOfRangeException.ThrowIfNegative(hiddenLayers);
        ArgumentOutOfRangeException.ThrowIfLessThan(inputs, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(outputs, 1);
        var random = new Random(seed);
        int[] sizes = [inputs, .. Enumerable.Range(0, hiddenLayers).Select(_ => random.Next(3, 7)), outputs];
        Activation[] activations = [.. Enumerable.Repeat(hidden, hiddenLayers), Activation.Identity];
        return new Mlp(sizes, activations, seed);
    }

    /// <summary>A seeded sample (x, t) that fits <paramref name="network"/>: entries drawn uniformly from (−1, 1).</summary>
    public static (Vector<double> X, Vector<double> T) RandomSample(Mlp network, int seed)
    {
        ArgumentNullException.ThrowIfNull(network);
        var random = new Random(seed);
        var x = Vector<double>.Build.Dense(network.InputCount, _ => (2 * random.NextDouble()) - 1);
        var t = Vector<double>.Build.Dense(network.OutputCount, _ => (2 * random.NextDouble()) - 1);
        return (x, t);
    }

    /// <summary>The kit's ∂L_n/∂w⁽ˡ⁾ of every layer for one sample, entry l − 1 for layer l, half sum-of-squares loss (<see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/>).</summary>
    public static Matrix<double>[] KitBackward(Mlp network, ForwardPass pass, Vector<double> t)
    {
        ArgumentNullException.ThrowIfNull(network);
        Gradients g = network.Backward(pass, t, Loss.HalfSumOfSquares);
        return [.. Enumerable.Range(1, g.LayerCount).Select(g.WeightGradient)];
    }

    /// <summary>L_n(w) = ½‖y(x; w) − t‖² of a copy of <paramref name="network"/> with parameters w (the network itself is not changed).</summary>
    public static Func<Vector<double>, double> SampleLoss(Mlp network, Vector<double> x, Vector<double> t)
    {
        ArgumentNullException.ThrowIfNull(network);
        Mlp copy = network.Clone();
        return w =>
        {
            copy.SetParameters(w);
            return Loss.HalfSumOfSquares.Value(copy.Forward(x).Output, t);
        };
    }

    /// <summary>
    /// The kit's answer to lesson 13's checker: the largest per-layer relative error between <paramref name="backward"/>
    /// and central differences with ε = 10⁻⁵ (0 for a layer whose two gradients are both zero).
    /// </summary>
    public static double MaxRelativeError(Mlp network, Vector<double> x, Vector<double> t, Func<Mlp, ForwardPass, Vector<double>, Matrix<double>[]> backward)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(backward);
        Matrix<double>[] analytic = backward(network, network.Forward(x), t);
        Vector<double> numeric = GradientChecker.NumericalGradient(SampleLoss(network, x, t), network.GetParameters(), Epsilon);
        double worst = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            ParameterBlock block = network.ParameterLayout[l];
            Vector<double> ga = Vector<double>.Build.DenseOfArray(analytic[l].ToRowMajorArray());
            Vector<double> gn = numeric.SubVector(block.Offset, block.Count);
            double scale = Math.Max(ga.L2Norm(), gn.L2Norm());
            worst = Math.Max(worst, scale == 0 ? 0 : (ga - gn).L2Norm() / scale);
        }

        return worst;
    }

    /// <summary>
    /// Checks one random network per activation and number of hidden layers with <paramref name="check"/> (the
    /// student's checker applied to the student's backward pass). If it throws — not written yet, or broken — the sweep
    /// says so once and uses the kit's backward pass and checker instead, so the rest of the lesson still runs.
    /// </summary>
    public static IReadOnlyList<CapstoneCheck> GradientCheckSweep(
        IReadOnlyList<Activation> activations, IReadOnlyList<int> hiddenLayers, Func<Mlp, Vector<double>, Vector<double>, double> check, int seed)
    {
        ArgumentNullException.ThrowIfNull(activations);
        ArgumentNullException.ThrowIfNull(hiddenLayers);
        ArgumentNullException.ThrowIfNull(check);
        var results = new List<CapstoneCheck>();
        bool fallBack = false;
        foreach (Activation h in activations)
        {
            foreach (int depth in hiddenLayers)
            {
                int s = seed + (100 * results.Count);
                Mlp network = RandomNetwork(h, depth, s);
                (Vector<double> x, Vector<double> t) = RandomSample(network, s + 1);
                double error;
                if (!fallBack)
                {
                    try
                    {
                        error = check(network, x, t);
                    }
                    catch (Exception e) when (e is not OutOfMemoryException)
                    {
                        Console.WriteLine($"(your checker threw {e.GetType().Name}: {e.Message} — this sweep uses the kit's Mlp.Backward and GradientChecker instead)");
                        fallBack = true;
                        error = MaxRelativeError(network, x, t, KitBackward);
                    }
                }
                else
                {
                    error = MaxRelativeError(network, x, t, KitBackward);
                }

                results.Add(new CapstoneCheck(h, depth, network, x, t, error));
            }
        }

        return results;
    }

    /// <summary>
    /// The kit's reference for lesson 13's training loop: full-batch gradient descent w ← w − η ∂L/∂w on
    /// L = Σ_n ½‖y_n − t_n‖², returning L before the first update and after each of the <paramref name="epochs"/> updates.
    /// </summary>
    public static List<double> ReferenceGradientDescent(Mlp network, Dataset data, double eta, int epochs)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(data);
        ArgumentOutOfRangeException.ThrowIfNegative(epochs);
        var losses = new List<double>();
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            (double loss, Vector<double> gradient) = network.LossAndGradient(data.Inputs, data.Targets, Loss.HalfSumOfSquares);
            losses.Add(loss);
            network.SetParameters(network.GetParameters() - (eta * gradient));
        }

        losses.Add(network.ComputeLoss(data.Inputs, data.Targets, Loss.HalfSumOfSquares));
        return losses;
    }

    /// <summary>
    /// Runs the student's <paramref name="yours"/>; if it throws — not written yet, or broken — says so and returns
    /// <paramref name="kit"/>'s result instead, so a lesson cell that builds on an exercise still runs.
    /// </summary>
    /// <param name="what">The student's function, as the message names it.</param>
    /// <param name="yours">The computation with the student's function.</param>
    /// <param name="kit">The same computation with the kit's functions.</param>
    public static T YoursOrKit<T>(string what, Func<T> yours, Func<T> kit)
    {
        ArgumentNullException.ThrowIfNull(yours);
        ArgumentNullException.ThrowIfNull(kit);
        try
        {
            return yours();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            Console.WriteLine($"(your {what} threw {e.GetType().Name}: {e.Message} — this cell uses the kit's instead)");
            return kit();
        }
    }

    /// <summary>A short description of a network's layer sizes, e.g. "3-5-4-2".</summary>
    public static string Sizes(Mlp network)
    {
        ArgumentNullException.ThrowIfNull(network);
        return string.Join("-", network.LayerSizes.Select(n => n.ToString(CultureInfo.InvariantCulture)));
    }
}
