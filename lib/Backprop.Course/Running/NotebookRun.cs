using Backprop.Course.Notebooks;

namespace Backprop.Course.Running;

/// <summary>The executed notebook and each code cell's result.</summary>
internal sealed record NotebookRun(NotebookDocument Executed, IReadOnlyList<CellResult> Cells)
{
    public bool Succeeded => Cells.All(c => c.Status == CellStatus.Succeeded);

    public IEnumerable<CellResult> Checks => Cells.Where(c => c.Marker?.Kind == MarkerKind.Check);
}
