using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>
/// Compares analytical derivatives (backpropagation) with numerical ones from finite
/// differences, as the lecture's "verifying correctness" slide asks:
/// ∂L/∂w ≈ (L(w + ε) − L(w − ε)) / 2ε + O(ε²). Lesson 06.
/// </summary>
public static class GradientChecker
{
    /// <summary>
    /// Checks an <see cref="Mlp"/>'s backpropagated gradient of L = Σ_n L_n on a batch against
    /// central differences, layer by layer. The network's weights are left as they were.
    /// </summary>
    /// <remarks>
    /// The difference is taken sample by sample and then summed with compensated summation,
    /// Σ_n (L_n(w + ε) − L_n(w − ε)) / 2ε: the same number as (L(w + ε) − L(w − ε)) / 2ε in exact
    /// arithmetic, but its rounding noise grows with each L_n rather than with the whole batch's L.
    /// That matters where gradients vanish (the early layers of a deep sigmoid network), whose
    /// small derivatives would otherwise drown in the rounding of a large summed loss.
    /// </remarks>
    public static GradientCheckReport Check(Mlp net, Matrix<double> inputs, Matrix<double> targets, Loss loss, GradientCheckOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(net);
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(inputs);
        if (inputs.RowCount == 0)
        {
            throw new ArgumentException("inputs has no rows: a gradient check on zero samples checks nothing (L = 0 and ∇L = 0 for any backward pass).", nameof(inputs));
        }

        Vector<double> w = net.GetParameters();
        Mlp probe = net.Clone();
        GradientCheckOptions settings = options ?? new GradientCheckOptions();

        // L_n(w) of every sample (inputs and targets are validated by the first LossAndGradient call).
        double[] SampleLosses(Vector<double> parameters) => LossPerSample(probe, parameters, inputs, targets, loss);

        double[]? atW = null;
        double SampleWiseDerivative(int index)
        {
            Vector<double> point = w.Clone();
            point[index] = w[index] + settings.Epsilon;
            double[] plus = SampleLosses(point);
            if (settings.Method == FiniteDifference.Forward)
            {
                atW ??= SampleLosses(w);
                return CompensatedDifference(plus, atW) / settings.Epsilon;
            }

            point[index] = w[index] - settings.Epsilon;
            return CompensatedDifference(plus, SampleLosses(point)) / (2.0 * settings.Epsilon);
        }

        return Check(
            parameters =>
            {
                probe.SetParameters(parameters);
                return probe.LossAndGradient(inputs, targets, loss);
            },
            w,
            net.ParameterLayout,
            settings,
            SampleWiseDerivative);
    }

    /// <summary>One block's entries (added to <paramref name="entries"/>) and its norm-wise relative error.</summary>
    private static GradientCheckBlock CheckBlock(
        ParameterBlock block, Vector<double> analytic, Func<int, double> numericDerivative, GradientCheckOptions settings, List<GradientCheckEntry> entries)
    {
        int[] indices = ChooseIndices(block, settings);
        double diffSquared = 0.0, analyticSquared = 0.0, numericSquared = 0.0, worst = 0.0;
        string? problem = null;
        foreach (int index in indices)
        {
            double numeric = numericDerivative(index);
            double a = analytic[index];
            (int row, int column) = block.Position(index);
            if (!double.IsFinite(numeric))
            {
                // A NaN difference would make the block's error 0 and call any gradient right: it proves nothing.
                problem ??= string.Create(
                    CultureInfo.InvariantCulture,
                    $"the numerical derivative of {block.NameOf(index)} (parameter {index}) is {Guard.Describe(numeric)}: the loss is not finite near w, so this gradient cannot be verified");
                entries.Add(new GradientCheckEntry(block.Name, index, row, column, a, numeric, double.NaN, block.NameOf(index)));
                continue;
            }

            double error = Math.Abs(a - numeric) / Math.Max(Math.Max(Math.Abs(a), Math.Abs(numeric)), settings.AbsoluteFloor);
            entries.Add(new GradientCheckEntry(block.Name, index, row, column, a, numeric, error, block.NameOf(index)));
            diffSquared += (a - numeric) * (a - numeric);
            analyticSquared += a * a;
            numericSquared += numeric * numeric;
            worst = Math.Max(worst, error);
        }

        double scale = Math.Max(Math.Sqrt(analyticSquared), Math.Sqrt(numericSquared));
        double relative = problem is not null ? double.NaN : scale > 0.0 ? Math.Sqrt(diffSquared) / scale : 0.0;
        return new GradientCheckBlock(block.Name, block.Count, indices.Length, Math.Sqrt(analyticSquared), Math.Sqrt(numericSquared), relative, problem is not null ? double.NaN : worst)
        {
            Problem = problem,
        };
    }

    /// <summary>L_n(w) of every sample n: the network's loss on each row of the batch at the given parameters.</summary>
    private static double[] LossPerSample(Mlp probe, Vector<double> parameters, Matrix<double> inputs, Matrix<double> targets, Loss loss)
    {
        probe.SetParameters(parameters);
        Matrix<double> y = probe.Predict(inputs);
        var values = new double[y.RowCount];
        var yRow = new double[y.ColumnCount];
        var tRow = new double[y.ColumnCount];
        for (int n = 0; n < values.Length; n++)
        {
            for (int k = 0; k < yRow.Length; k++)
            {
                yRow[k] = y[n, k];
                tRow[k] = targets[n, k];
            }

            values[n] = loss.Value(yRow, tRow);
        }

        return values;
    }

    /// <summary>
    /// Checks any objective that returns its value and its analytical gradient — for example a
    /// deliberately broken backward pass written in a lesson.
    /// </summary>
    /// <param name="objective">w ↦ (L(w), ∇L(w)). It must not keep or modify w.</param>
    /// <param name="w">The point at which to check.</param>
    /// <param name="layout">Names the blocks of the parameter vector (e.g. <see cref="Mlp.ParameterLayout"/>); null treats it as one block "w".</param>
    /// <param name="options">Step, method, sampling; defaults when null.</param>
    /// <exception cref="ArgumentException">w or the gradient has the wrong length or is not finite, or the layout does not cover w.</exception>
    public static GradientCheckReport Check(
        Func<Vector<double>, (double Loss, Vector<double> Gradient)> objective,
        Vector<double> w,
        IReadOnlyList<ParameterBlock>? layout = null,
        GradientCheckOptions? options = null) => Check(objective, w, layout, options, numericDerivative: null);

    private static GradientCheckReport Check(
        Func<Vector<double>, (double Loss, Vector<double> Gradient)> objective,
        Vector<double> w,
        IReadOnlyList<ParameterBlock>? layout,
        GradientCheckOptions? options,
        Func<int, double>? numericDerivative)
    {
        ArgumentNullException.ThrowIfNull(objective);
        ArgumentNullException.ThrowIfNull(w);
        Guard.Finite(w, nameof(w));
        GradientCheckOptions settings = options ?? new GradientCheckOptions();
        settings.Validate();
        layout ??= [new ParameterBlock("w", 0, 1, w.Count)];
        ValidateLayout(layout, w.Count);

        (double loss, Vector<double> analytic) = objective(w.Clone());
        Guard.Length(analytic, w.Count, "gradient", "the objective's gradient must have one entry per parameter");
        Guard.Finite(analytic, "gradient");
        if (!double.IsFinite(loss))
        {
            throw new ArgumentException($"The objective's value at w is {Guard.Describe(loss)}; it must be finite.", nameof(objective));
        }

        double Value(Vector<double> point) => objective(point).Loss;
        numericDerivative ??= index => Derivative(Value, w, index, settings.Epsilon, settings.Method);

        var blocks = new List<GradientCheckBlock>(layout.Count);
        var entries = new List<GradientCheckEntry>();
        foreach (ParameterBlock block in layout)
        {
            blocks.Add(CheckBlock(block, analytic, numericDerivative, settings, entries));
        }

        // Unverifiable entries (NaN error) first: they are the worst news.
        GradientCheckEntry[] worstEntries = [.. entries.OrderByDescending(e => double.IsNaN(e.RelativeError)).ThenByDescending(e => e.RelativeError).ThenBy(e => e.Index).Take(settings.WorstCount)];
        return new GradientCheckReport(settings, loss, blocks, entries, worstEntries);
    }

    /// <summary>
    /// One numerical derivative ∂L/∂w_i by a finite difference: (L(w + εe_i) − L(w − εe_i)) / 2ε
    /// for <see cref="FiniteDifference.Central"/>, (L(w + εe_i) − L(w)) / ε for <see cref="FiniteDifference.Forward"/>.
    /// </summary>
    public static double Derivative(Func<Vector<double>, double> loss, Vector<double> w, int index, double epsilon = 1e-5, FiniteDifference method = FiniteDifference.Central)
    {
        ArgumentNullException.ThrowIfNull(loss);
        ArgumentNullException.ThrowIfNull(w);
        Guard.Positive(epsilon, nameof(epsilon));
        Guard.Defined(method, nameof(method));
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, w.Count);

        Vector<double> point = w.Clone();
        double original = w[index];
        point[index] = original + epsilon;
        double plus = loss(point);
        if (method == FiniteDifference.Forward)
        {
            point[index] = original;
            return (plus - loss(point)) / epsilon;
        }

        point[index] = original - epsilon;
        double minus = loss(point);
        return (plus - minus) / (2.0 * epsilon);
    }

    /// <summary>The numerical gradient of every parameter: 2|W| loss evaluations for central differences, so O(|W|²) work for a network.</summary>
    public static Vector<double> NumericalGradient(Func<Vector<double>, double> loss, Vector<double> w, double epsilon = 1e-5, FiniteDifference method = FiniteDifference.Central)
    {
        ArgumentNullException.ThrowIfNull(w);
        Guard.Defined(method, nameof(method));
        var gradient = Vector<double>.Build.Dense(w.Count);
        for (int i = 0; i < w.Count; i++)
        {
            gradient[i] = Derivative(loss, w, i, epsilon, method);
        }

        return gradient;
    }

    /// <summary>Σ_n (plus_n − minus_n), summed with Neumaier's compensated summation.</summary>
    private static double CompensatedDifference(double[] plus, double[] minus)
    {
        double sum = 0.0, compensation = 0.0;
        for (int n = 0; n < plus.Length; n++)
        {
            double term = plus[n] - minus[n];
            double next = sum + term;
            compensation += Math.Abs(sum) >= Math.Abs(term) ? (sum - next) + term : (term - next) + sum;
            sum = next;
        }

        return sum + compensation;
    }

    private static int[] ChooseIndices(ParameterBlock block, GradientCheckOptions options)
    {
        int count = block.Count;
        if (options.MaxParametersPerBlock is not int max || max >= count)
        {
            return [.. Enumerable.Range(block.Offset, count)];
        }

        // A seeded partial Fisher–Yates shuffle picks max distinct positions; sorted for a readable report.
        int[] positions = [.. Enumerable.Range(0, count)];
        var random = new Gaussian(options.Seed);
        for (int i = 0; i < max; i++)
        {
            int j = i + random.NextInt(count - i);
            (positions[i], positions[j]) = (positions[j], positions[i]);
        }

        return [.. positions.Take(max).Order().Select(p => block.Offset + p)];
    }

    private static void ValidateLayout(IReadOnlyList<ParameterBlock> layout, int count)
    {
        int expectedOffset = 0;
        foreach (ParameterBlock block in layout)
        {
            if (block.Offset != expectedOffset || block.Rows < 1 || block.Columns < 1)
            {
                throw new ArgumentException(
                    $"The layout's block {block.Name} starts at {block.Offset} with shape {block.Rows} × {block.Columns}; blocks must be non-empty and follow each other from index 0 (expected start {expectedOffset}).",
                    nameof(layout));
            }

            expectedOffset += block.Count;
        }

        if (expectedOffset != count)
        {
            throw new ArgumentException($"The layout covers {expectedOffset} parameters but w has {count}.", nameof(layout));
        }
    }
}
