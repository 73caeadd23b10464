using System.Globalization;
using System.Runtime.ExceptionServices;
using Backprop.Kernels;
using MathNet.Numerics.LinearAlgebra;
using MathNet.Numerics.Optimization;

namespace Backprop;

/// <summary>How a MathNet minimisation ended, with the best point seen.</summary>
internal sealed record MinimizerOutcome(
    Vector<double>? Best, double BestValue, int BestEvaluation, int Evaluations, int Iterations, StopCondition Stop, string Reason, int? DivergedAt, string? DivergenceCause, Exception? Error, int? CanceledAt = null);

/// <summary>
/// Runs a MathNet.Numerics minimiser (conjugate gradient, BFGS, L-BFGS) on an objective and handles the
/// traps of MathNet 5.0.0 uniformly: the gradient handed back is always a fresh vector, the minimiser's
/// w is never modified, the best point seen is kept, the iteration limit is told apart whether the
/// minimiser throws <see cref="MaximumIterationsException"/> (CG, BFGS) or returns normally (L-BFGS),
/// and a NaN or infinite value (which makes MathNet throw <see cref="InnerOptimizationException"/> or
/// <see cref="EvaluationException"/>) is reported as "diverged at evaluation N".
/// </summary>
internal static class LineSearchRun
{
    public static MinimizerOutcome Minimize(
        IUnconstrainedMinimizer minimizer,
        int maximumIterations,
        bool returnsAtLimit,
        Func<Vector<double>, (double Value, Vector<double> Gradient)> evaluate,
        Vector<double> initialGuess,
        CancellationToken cancellationToken = default)
    {
        var objective = new GuardedObjective(evaluate, cancellationToken);
        StopCondition stop;
        int iterations;
        string reason;
        Exception? error = null;
        try
        {
            MinimizationResult result = minimizer.FindMinimum(ObjectiveFunction.Gradient(objective.Evaluate), initialGuess.Clone());

            // L-BFGS returns normally at its limit, with Iterations = limit + 1 and ExitCondition.AbsoluteGradient.
            bool atLimit = returnsAtLimit && result.Iterations > maximumIterations;
            stop = atLimit ? StopCondition.IterationLimit : StopCondition.Converged;
            iterations = Math.Min(result.Iterations, maximumIterations);
            reason = atLimit ? "iteration limit" : "converged";
        }
        catch (Exception e) when (objective.CanceledAt is int at)
        {
            // The evaluation threw OperationCanceledException, as it is, wrapped or as a failed line search.
            (stop, iterations, reason, error) = (StopCondition.Canceled, -1, string.Create(CultureInfo.InvariantCulture, $"canceled at evaluation {at}"), e);
        }
        catch (MaximumIterationsException e)
        {
            // CG and BFGS throw at their limit; the exception carries no point, but we kept the best one.
            (stop, iterations, reason, error) = (StopCondition.IterationLimit, maximumIterations, "iteration limit", e);
        }
        catch (OptimizationException e) when (objective.DivergedAt is int at)
        {
            (stop, iterations, reason, error) = (StopCondition.Diverged, -1, string.Create(CultureInfo.InvariantCulture, $"diverged at evaluation {at}"), objective.Cause ?? e);
        }
        catch (OptimizationException e)
        {
            (stop, iterations, reason, error) = (StopCondition.LineSearchFailed, -1,
                string.Create(CultureInfo.InvariantCulture, $"line search failed at evaluation {objective.Evaluations}: {Innermost(e).Message}"), e);
        }

        // An error of the evaluation itself (an observer that changed the weights, bad data) is
        // the caller's: MathNet's line searches catch exceptions and report a failed search, so rethrow it as it was.
        objective.Abort?.Throw();

        return new MinimizerOutcome(
            objective.Best, objective.BestValue, objective.BestEvaluation, objective.Evaluations, iterations, stop, reason, objective.DivergedAt, objective.Why, error, objective.CanceledAt);
    }

    public static TrainingHistory Train(
        TrainingData data, HistoryRecorder recorder, IUnconstrainedMinimizer minimizer, int maximumIterations, bool returnsAtLimit, Mlp net, CancellationToken cancellationToken = default)
    {
        string optimizer = recorder.Optimizer;
        int evaluations = 0;

        // One forward and backward pass per evaluation; the entry is measured from that same pass.
        (double, Vector<double>) Evaluate(Vector<double> w)
        {
            evaluations++;
            net.SetParameters(w); // copies: the minimiser's w is never modified
            (BatchForwardPass pass, BatchGradients g) = data.Evaluate(net, fingerprint: recorder.ShowsPasses); // the observer sees the pass
            recorder.Record(evaluations, evaluations, evaluations, pass, g);
            return (g.Loss, g.ToVector());
        }

        Vector<double> initial = net.GetParameters();
        recorder.StartClock();
        MinimizerOutcome outcome;
        try
        {
            outcome = Minimize(minimizer, maximumIterations, returnsAtLimit, Evaluate, initial, cancellationToken);
        }
        catch
        {
            net.SetParameters(initial); // an error at the first evaluation is the caller's (bad data): leave the weights as they were
            throw;
        }
        finally
        {
            recorder.StopClock();
        }

        // Whatever happened, the network keeps the best weights seen.
        net.SetParameters(outcome.Best ?? initial);
        int iterations = outcome.Iterations >= 0 ? outcome.Iterations : 0;
        TrainingHistory history = recorder.Finish(outcome.Stop, outcome.Reason, iterations);
        string best = outcome.Best is null
            ? "its initial weights"
            : string.Create(CultureInfo.InvariantCulture, $"the best weights seen (L = {outcome.BestValue:G6} at evaluation {outcome.BestEvaluation})");
        if (outcome.Stop == StopCondition.Canceled)
        {
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"{optimizer} was {outcome.Reason}. The network holds {best}; the exception's History holds the {history.Entries.Count} entries recorded before.");
            throw new TrainingCanceledException(message, optimizer, outcome.CanceledAt ?? outcome.Evaluations, history, cancellationToken);
        }

        if (outcome.Stop == StopCondition.Diverged)
        {
            int at = outcome.DivergedAt ?? outcome.Evaluations;
            string message = string.Create(
                CultureInfo.InvariantCulture,
                $"{optimizer} diverged at evaluation {at}: {outcome.DivergenceCause} during a line search. It has no learning rate to lower: standardise the inputs, start from smaller weights, or train with gradient descent and a small learning rate. The network holds {best}; the exception's History holds the {history.Entries.Count} entries recorded before.");
            throw new TrainingDivergedException(message, optimizer, at, null, history, outcome.Error);
        }

        return history;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }

    /// <summary>Wraps the objective: counts evaluations, keeps the best point, turns non-finite results into a recorded divergence.</summary>
    private sealed class GuardedObjective(Func<Vector<double>, (double Value, Vector<double> Gradient)> evaluate, CancellationToken cancellationToken)
    {
        public int Evaluations { get; private set; }

        public Vector<double>? Best { get; private set; }

        public double BestValue { get; private set; } = double.PositiveInfinity;

        public int BestEvaluation { get; private set; }

        public int? DivergedAt { get; private set; }

        public string? Why { get; private set; }

        public Exception? Cause { get; private set; }

        /// <summary>The evaluation at which the token was found cancelled; every later one throws again.</summary>
        public int? CanceledAt { get; private set; }

        /// <summary>An exception of the evaluation that is not divergence; once set, every further evaluation throws it again.</summary>
        public ExceptionDispatchInfo? Abort { get; private set; }

        public (double, Vector<double>) Evaluate(Vector<double> w)
        {
            Evaluations++;
            if (cancellationToken.IsCancellationRequested)
            {
                CanceledAt ??= Evaluations;
                throw new OperationCanceledException(cancellationToken);
            }

            Abort?.Throw();
            if (DivergedAt is not null)
            {
                return NotFinite(w.Count);
            }

            if (!AllFinite(w))
            {
                return Diverge("a weight became NaN or infinite", null, w.Count);
            }

            double value;
            Vector<double> gradient;
            try
            {
                (value, gradient) = evaluate(w);
            }
            catch (ArithmeticException e) when (Evaluations > 1)
            {
                return Diverge("the loss overflowed", e, w.Count);
            }
            catch (Exception e)
            {
                Abort = ExceptionDispatchInfo.Capture(e);
                throw;
            }

            if (!double.IsFinite(value))
            {
                return Diverge($"the loss became {Guard.Describe(value)}", null, w.Count);
            }

            if (!AllFinite(gradient))
            {
                return Diverge("the gradient became NaN or infinite", null, w.Count);
            }

            if (value < BestValue)
            {
                BestValue = value;
                Best = w.Clone();
                BestEvaluation = Evaluations;
            }

            return (value, gradient.Clone()); // a fresh vector on every call: MathNet keeps references
        }

        private (double, Vector<double>) Diverge(string why, Exception? cause, int count)
        {
            DivergedAt = Evaluations;
            Why = why;
            Cause = cause;
            return NotFinite(count);
        }

        private static (double, Vector<double>) NotFinite(int count) => (double.NaN, Vector<double>.Build.Dense(count, double.NaN));

        private static bool AllFinite(Vector<double> v) => Elementwise.AllFinite(v.AsArray() ?? v.ToArray());
    }
}
