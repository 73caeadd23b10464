using Backprop.Course.Notebooks;
using Backprop.Course.Policy;

namespace Backprop.Course.Transforms;

/// <summary>
/// Transform (grade, validate): a student's code cell judged by the <see cref="CellPolicy"/> before it may run; a refused
/// cell is replaced by a stand-in that keeps its marker and says why it was not run.
/// </summary>
internal static class PolicyCheckCells
{
    /// <summary>Why <paramref name="cell"/> may not run (null: it may, and the checker remembers it for the cells after it).</summary>
    public static string? Refusal(CellPolicy.Checker checker, NotebookCell cell) =>
        cell.KernelName is "csharp" or "C#" ? checker.Check(cell.Source) : $"it is a cell for the '{cell.KernelName}' kernel; graded cells are C#";

    /// <summary>Makes <paramref name="cell"/> the stand-in of a refused cell: its marker line, if any, then the reason as a comment.</summary>
    public static void StandIn(NotebookCell cell, string reason)
    {
        var marker = cell.Marker is { } m ? $"// {m.Kind.ToString().ToUpperInvariant()} {m.Id}\n" : "";
        cell.Source = $"{marker}// not run by the grader: {reason}\n";
    }
}
