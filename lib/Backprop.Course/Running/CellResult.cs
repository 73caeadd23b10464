using Backprop.Course.Notebooks;

namespace Backprop.Course.Running;

/// <summary>What happened to one code cell; CellNumber is its 1-based position among all the notebook's cells.</summary>
internal sealed record CellResult(int CellNumber, Marker? Marker, CellStatus Status, string? Error, TimeSpan Elapsed)
{
    /// <summary>The first line of the error, for summaries: control characters (escape codes) shown escaped, capped (<see cref="ReportText"/>).</summary>
    public string ShortError => ReportText.OneLine((Error ?? "").Trim().Split('\n')[0].Trim());
}
