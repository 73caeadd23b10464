using System.Globalization;

namespace Backprop;

/// <summary>
/// One entry of a <see cref="TrainingHistory"/>: the state of the network after an epoch (gradient
/// descent family; entry 0 = the initial weights) or at one gradient evaluation (conjugate gradient and
/// quasi-Newton), measured on the whole training set — unless a gradient-descent optimiser ran without
/// that measurement (<see cref="GradientDescentOptimizer.MeasureHistory"/> = false): then there is no entry 0
/// and <see cref="Loss"/> is the sum of the epoch's batch losses seen by the updates.
/// </summary>
/// <param name="Step">The epoch (gradient-descent family, 0 = before training, measured histories only) or the gradient evaluation (CG, quasi-Newton, 1 = the initial weights).</param>
/// <param name="GradientEvaluations">Gradient evaluations so far: updates (one per sample or mini-batch) for the gradient-descent family, objective evaluations for CG and quasi-Newton. Measuring evaluations do not count.</param>
/// <param name="PassesOverData">Per-sample gradients computed so far divided by N: epochs for the gradient-descent family, evaluations for CG and quasi-Newton — a fair x axis for racing optimisers.</param>
/// <param name="Loss">The summed loss L = Σ_n L_n over the training set, the quantity the optimisers minimise; in an unmeasured gradient-descent entry the sum over the epoch's mini-batches B of L_B = Σ_{n∈B} L_n, each at the weights before its update.</param>
/// <param name="MeanLoss">L / N, the mean loss per sample, comparable across data-set and batch sizes.</param>
/// <param name="ValidationMeanLoss">The mean loss per sample on the validation set, NaN without one.</param>
/// <param name="ValidationAccuracy">The arg-max accuracy on the validation set, NaN without one, for a single output, or when an output is not finite.</param>
/// <param name="Elapsed">Wall-clock training time so far, without the time spent measuring the entries (except where the measurement is the optimiser's own gradient) or observing them.</param>
public sealed record TrainingEntry(
    int Step,
    long GradientEvaluations,
    double PassesOverData,
    double Loss,
    double MeanLoss,
    double ValidationMeanLoss,
    double ValidationAccuracy,
    TimeSpan Elapsed)
{
    /// <inheritdoc/>
    public override string ToString() => string.Create(
        CultureInfo.InvariantCulture,
        $"step {Step}: L = {Loss:G6}, L/N = {MeanLoss:G6}{(double.IsNaN(ValidationMeanLoss) ? string.Empty : $", validation L/N = {ValidationMeanLoss:G6}")}{(double.IsNaN(ValidationAccuracy) ? string.Empty : $", validation accuracy = {ValidationAccuracy:P1}")}");
}
