using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>
/// Transform (grade, validate): the instructor's cells put back in place of the student's copies — the setup cells (first,
/// as they run in the sandbox), each exercise's check cell (public checks only, or whole), and the trust given to a student
/// cell that is one of the instructor's unmarked code cells, unchanged but for white space.
/// </summary>
internal sealed class RestoreInstructorCells(NotebookDocument instructor)
{
    private readonly Dictionary<string, NotebookCell> _checks = instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Check)
        .GroupBy(c => c.Marker!.Id).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);

    private readonly HashSet<string> _code = instructor.Cells.Where(c => c.IsCode && c.Marker is null)
        .Select(c => Normalize(c.Source)).ToHashSet(StringComparer.Ordinal);

    /// <summary>The instructor's setup cells, outputs cleared, as they run in the sandbox (<see cref="SandboxSetup"/>).</summary>
    public IEnumerable<NotebookCell> SetupCells() => instructor.Cells.Where(c => c.Marker?.Kind == MarkerKind.Setup).Select(setup =>
    {
        var cell = ClearOutputs.Apply(setup);
        cell.Source = SandboxSetup.Apply(cell.Source);
        return cell;
    });

    /// <summary>The instructor's check cell of exercise <paramref name="id"/>, outputs cleared, its hidden checks left out when <paramref name="publicOnly"/>; null when it has none.</summary>
    public NotebookCell? CheckCell(string id, bool publicOnly)
    {
        if (!_checks.TryGetValue(id, out var check))
        {
            return null;
        }

        var cell = ClearOutputs.Apply(check);
        if (publicOnly)
        {
            cell.Source = RemoveHiddenChecks.Apply(cell.Source, $"check {id}");
        }

        return cell;
    }

    /// <summary>Whether a student's cell is one of the instructor's unmarked code cells (white space at line ends and around aside): it runs unchecked.</summary>
    public bool IsInstructors(NotebookCell cell) => cell.Marker is null && _code.Contains(Normalize(cell.Source));

    private static string Normalize(string source) => string.Join('\n', source.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n').Select(l => l.TrimEnd())).Trim();
}
