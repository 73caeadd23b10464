using System.Globalization;
using System.Text;

namespace Backprop;

/// <summary>
/// A gradient check's findings: the norm-wise relative error and verdict of every layer, every
/// checked parameter, and the worst ones by name. Verdicts are norm-wise because a single
/// parameter of a correct network can exceed 1e-7 at any ε. Prints as a text table.
/// </summary>
public sealed class GradientCheckReport
{
    internal GradientCheckReport(
        GradientCheckOptions options, double loss, IReadOnlyList<GradientCheckBlock> blocks, IReadOnlyList<GradientCheckEntry> entries, IReadOnlyList<GradientCheckEntry> worst)
    {
        Options = options;
        Loss = loss;
        Blocks = blocks;
        Entries = entries;
        Worst = worst;
    }

    /// <summary>The settings used.</summary>
    public GradientCheckOptions Options { get; }

    /// <summary>The objective's value at the checked point.</summary>
    public double Loss { get; }

    /// <summary>One result per block (per layer of a network).</summary>
    public IReadOnlyList<GradientCheckBlock> Blocks { get; }

    /// <summary>Every checked parameter in order.</summary>
    public IReadOnlyList<GradientCheckEntry> Entries { get; }

    /// <summary>The parameters with the largest relative errors.</summary>
    public IReadOnlyList<GradientCheckEntry> Worst { get; }

    /// <summary>The largest norm-wise relative error over all blocks (NaN when a block could not be verified).</summary>
    public double MaxRelativeError => Blocks.Any(b => double.IsNaN(b.RelativeError)) ? double.NaN : Blocks.Max(b => b.RelativeError);

    /// <summary>The verdict of the worst block.</summary>
    public GradientVerdict Verdict => Blocks.Max(b => b.Verdict);

    /// <summary>Why some blocks could not be verified (one line per such block); empty when every block was.</summary>
    public IReadOnlyList<string> Problems => [.. Blocks.Where(b => b.Problem is not null).Select(b => b.Problem!)];

    /// <summary>True when every block's verdict is <see cref="GradientVerdict.Good"/>.</summary>
    public bool Passed => Verdict == GradientVerdict.Good;

    /// <summary>The verdict for a relative error: ≤ 1e-7 good, ≤ 1e-4 acceptable, ≤ 1e-2 suspicious, above (or NaN) wrong.</summary>
    public static GradientVerdict Judge(double relativeError) => GradientThresholds.Judge(relativeError);

    /// <inheritdoc/>
    public override string ToString()
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        var text = new StringBuilder();
        text.AppendLine(c, $"Gradient check ({Options.Method} differences, ε = {Options.Epsilon:G3}), loss {Loss:G6}");
        text.AppendLine(c, $"{"block",-8} {"checked",11} {"‖g_a‖",12} {"‖g_n‖",12} {"rel. error",11}  verdict");
        foreach (GradientCheckBlock b in Blocks)
        {
            text.AppendLine(c, $"{b.Name,-8} {$"{b.CheckedCount}/{b.ParameterCount}",11} {b.AnalyticNorm,12:G4} {b.NumericNorm,12:G4} {b.RelativeError,11:E2}  {b.Verdict}");
        }

        if (Worst.Count > 0)
        {
            text.AppendLine("worst parameters:");
            int width = Worst.Max(e => e.Name.Length);
            foreach (GradientCheckEntry e in Worst)
            {
                text.AppendLine(c, $"  {e.Name.PadRight(width)}  analytic {e.Analytic,13:G6}  numeric {e.Numeric,13:G6}  rel. error {e.RelativeError:E2}");
            }
        }

        foreach (string problem in Problems)
        {
            text.AppendLine(c, $"problem: {problem}");
        }

        text.Append(c, $"verdict: {Verdict} (largest norm-wise relative error {MaxRelativeError:E2})");
        return text.ToString();
    }
}
