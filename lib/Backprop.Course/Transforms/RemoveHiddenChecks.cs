using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>
/// Transform (release, validate): a check cell without its hidden-check regions — the public checks only. Also reads
/// the hidden regions, for what graded feedback must never show.
/// </summary>
internal static class RemoveHiddenChecks
{
    /// <summary>Whether the source has a hidden-checks marker (begin or end) anywhere.</summary>
    public static bool HasMarkers(string source) =>
        source.Contains(Marker.BeginHiddenChecks, StringComparison.Ordinal) || source.Contains(Marker.EndHiddenChecks, StringComparison.Ordinal);

    /// <summary>The source without its hidden-check regions (marker lines included); a malformed region is a <see cref="CourseException"/> naming <paramref name="where"/>.</summary>
    public static string Apply(string source, string where) =>
        MarkedRegions.Remove(source, Marker.BeginHiddenChecks, Marker.EndHiddenChecks, where, _ => null);

    /// <summary>The lines of the source's hidden-check regions (trimmed, non-empty).</summary>
    public static IEnumerable<string> HiddenLines(string source) => MarkedRegions.Inside(source, Marker.BeginHiddenChecks, Marker.EndHiddenChecks);

    /// <summary>The exercises whose check cell in <paramref name="instructor"/> has hidden checks.</summary>
    public static HashSet<string> ExercisesWithHiddenChecks(NotebookDocument instructor) => instructor.Cells
        .Where(c => c.Marker?.Kind == MarkerKind.Check && c.Source.Contains(Marker.BeginHiddenChecks, StringComparison.Ordinal))
        .Select(c => c.Marker!.Id).ToHashSet(StringComparer.Ordinal);
}
