using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>Transform (release, grade, validate): a copy of a cell with no outputs and no execution count (a markdown cell is copied as it is).</summary>
internal static class ClearOutputs
{
    /// <summary>A copy of <paramref name="cell"/> without outputs; the cell itself is not changed.</summary>
    public static NotebookCell Apply(NotebookCell cell)
    {
        var copy = cell.Copy();
        copy.ClearOutputs();
        return copy;
    }
}
