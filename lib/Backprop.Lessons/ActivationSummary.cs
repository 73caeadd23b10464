using System.Globalization;

namespace Backprop.Lessons;

/// <summary>
/// One row of the lecture's "Activation Functions — Summary" slide, generated from an
/// <see cref="Activation"/>: its name, h(a), h'(a) (written through the output y = h(a) where the
/// lecture does), the maximum of |h'(a)| and the lecture's comment. Lesson 11 shows the table.
/// </summary>
/// <param name="Name">The activation's name, e.g. "tanh" or "ELU (k = 1)".</param>
/// <param name="Function">h(a) as plain text, e.g. "1 / (1 + e^(−a))".</param>
/// <param name="Derivative">h'(a) as plain text, through y = h(a) where the lecture writes it so, e.g. "y(a)(1 − y(a))".</param>
/// <param name="MaxDerivative">max over a of |h'(a)|: <see cref="Activation.MaxDerivative"/>.</param>
/// <param name="Problem">The lecture's problem with it ("vanishing gradients", "dead neurons"), empty if none.</param>
/// <param name="Advantage">The lecture's advantage of it ("neuron is always learning"), empty if none.</param>
public sealed record ActivationSummaryRow(string Name, string Function, string Derivative, double MaxDerivative, string Problem, string Advantage)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"{Name}: h(a) = {Function}; h'(a) = {Derivative}; max |h'| = {MaxDerivative:G4}; problem: {(Problem.Length == 0 ? "—" : Problem)}; advantage: {(Advantage.Length == 0 ? "—" : Advantage)}");
}

/// <summary>
/// The lecture's summary table of activation functions (slides "Logistic Sigmoid" … "Exponential Linear
/// Unit" and "Activation Functions — Summary"), built from the library's activations so that the
/// numbers in it (k, max |h'|) are the ones the code uses. Lesson 11.
/// </summary>
public static class ActivationSummary
{
    /// <summary>The five hidden-unit activations of the lecture, in its order: logistic σ, tanh, ReLU, leaky ReLU (k = 0.01), ELU (k = 1).</summary>
    public static IReadOnlyList<Activation> LectureActivations { get; } =
        [Activation.Logistic, Activation.Tanh, Activation.ReLU, Activation.LeakyReLU(0.01), Activation.Elu(1.0)];

    /// <summary>The summary rows of the given activations, one per activation, in order.</summary>
    /// <exception cref="ArgumentNullException">activations or one of them is null.</exception>
    public static IReadOnlyList<ActivationSummaryRow> Rows(IEnumerable<Activation> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        return [.. activations.Select(For)];
    }

    /// <summary>The summary row of one activation, with its parameter k written in.</summary>
    /// <exception cref="ArgumentNullException">activation is null.</exception>
    public static ActivationSummaryRow For(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);
        return new(activation.Name, activation.Formula, activation.DerivativeFormula, activation.MaxDerivative, activation.Problem, activation.Advantage);
    }
}
