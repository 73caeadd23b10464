namespace Backprop.Lessons;

/// <summary>
/// Reads a method's source from the kit's own files, found by its signature rather than by line numbers, so a lesson can
/// show the code it explains and stays right when the file changes. Lesson 04.
/// </summary>
public static class SourceListing
{
    /// <summary>
    /// The lines of the method in <paramref name="path"/> whose declaration line contains <paramref name="signature"/>: its
    /// XML doc comment (when <paramref name="withDocComment"/>), the declaration and the body up to the brace that closes it,
    /// indentation kept relative to the declaration.
    /// </summary>
    /// <param name="path">The C# file.</param>
    /// <param name="signature">Text the declaration line contains, e.g. <c>"public Gradients Backward("</c>.</param>
    /// <param name="withDocComment">Whether to include the /// lines right above the declaration.</param>
    /// <exception cref="ArgumentException">The file does not exist, or no line or more than one line contains the signature.</exception>
    public static IReadOnlyList<string> Method(string path, string signature, bool withDocComment = false)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentException.ThrowIfNullOrEmpty(signature);
        if (!File.Exists(path))
        {
            throw new ArgumentException($"no source file at {Path.GetFullPath(path)}.", nameof(path));
        }

        string[] lines = File.ReadAllLines(path);
        int[] matches = [.. Enumerable.Range(0, lines.Length).Where(n => lines[n].Contains(signature, StringComparison.Ordinal))];
        if (matches.Length != 1)
        {
            throw new ArgumentException(
                $"expected exactly one line of {Path.GetFileName(path)} containing \"{signature}\", but found {matches.Length}.", nameof(signature));
        }

        int start = matches[0];
        int first = start;
        while (withDocComment && first > 0 && lines[first - 1].TrimStart().StartsWith("///", StringComparison.Ordinal))
        {
            first--;
        }

        int depth = 0;
        bool opened = false;
        int end = start;
        for (int n = start; n < lines.Length; n++)
        {
            foreach (char c in lines[n])
            {
                if (c == '{')
                {
                    depth++;
                    opened = true;
                }
                else if (c == '}')
                {
                    depth--;
                }
            }

            end = n;
            if ((opened && depth == 0) || (!opened && lines[n].TrimEnd().EndsWith(';')))
            {
                break;
            }
        }

        int indent = lines[start].Length - lines[start].TrimStart().Length;
        return [.. lines[first..(end + 1)].Select(l => l.Length >= indent && string.IsNullOrWhiteSpace(l[..indent]) ? l[indent..] : l.TrimStart())];
    }
}
