namespace Backprop.Course.Transforms;

/// <summary>
/// The begin…end regions of a cell's source (solutions, hidden checks): each marker on a line of its own, regions neither
/// nested nor left open. Shared by <see cref="StubSolutions"/> and <see cref="RemoveHiddenChecks"/>.
/// </summary>
internal static class MarkedRegions
{
    /// <summary>
    /// Removes every begin…end region (marker lines included), putting <paramref name="replacement"/>(indent of the begin line)
    /// in its place when that is not null; a nested, unopened or unclosed region is a <see cref="CourseException"/> naming <paramref name="where"/>.
    /// </summary>
    public static string Remove(string source, string begin, string end, string where, Func<string, string?> replacement)
    {
        var result = new List<string>();
        var inside = false;
        foreach (var line in source.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.StartsWith(begin, StringComparison.Ordinal))
            {
                if (inside)
                {
                    throw new CourseException($"{where}: `{begin}` inside another `{begin}` region.");
                }

                inside = true;
                var indent = line[..(line.Length - line.TrimStart().Length)];
                if (replacement(indent) is { } text)
                {
                    result.Add(text);
                }
            }
            else if (trimmed.StartsWith(end, StringComparison.Ordinal))
            {
                if (!inside)
                {
                    throw new CourseException($"{where}: `{end}` without `{begin}` before it.");
                }

                inside = false;
            }
            else if (!inside)
            {
                result.Add(line);
            }
        }

        if (inside)
        {
            throw new CourseException($"{where}: `{begin}` without `{end}` after it.");
        }

        return string.Join('\n', result);
    }

    /// <summary>The lines inside the regions (trimmed, non-empty), read leniently: a marker is a whole line, a stray one is ignored.</summary>
    public static IEnumerable<string> Inside(string source, string begin, string end)
    {
        var inside = false;
        foreach (var line in source.Split('\n').Select(l => l.Trim()))
        {
            if (line == begin)
            {
                inside = true;
            }
            else if (line == end)
            {
                inside = false;
            }
            else if (inside && line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
