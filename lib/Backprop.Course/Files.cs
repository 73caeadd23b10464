using System.Text;

namespace Backprop.Course;

/// <summary>The file operations release, export and grading share: real paths, copies of a source tree, atomic writes.</summary>
internal static class Files
{
    /// <summary>The absolute path with every symbolic link along it resolved (the parts that do not exist yet are kept as written).</summary>
    public static string RealPath(string path, int depth = 0)
    {
        if (depth > 40)
        {
            throw new CourseException($"{path}: too many levels of symbolic links.");
        }

        var full = Path.GetFullPath(path);
        var current = Path.GetPathRoot(full)!;
        var parts = full[current.Length..].Split(Path.DirectorySeparatorChar, StringSplitOptions.RemoveEmptyEntries);
        for (var i = 0; i < parts.Length; i++)
        {
            var next = Path.Combine(current, parts[i]);
            var info = new FileInfo(next);
            if (info.LinkTarget is { } link)
            {
                var resolved = Path.GetFullPath(link, current);
                var rest = parts.Length > i + 1 ? Path.Combine(parts[(i + 1)..]) : "";
                return RealPath(Path.Combine(resolved, rest), depth + 1);
            }

            current = next;
        }

        return Path.TrimEndingDirectorySeparator(current);
    }

    /// <summary>Copies a file, or a folder without its bin/ and obj/ build output (a missing source copies nothing).</summary>
    public static void Copy(string from, string to)
    {
        if (File.Exists(from))
        {
            Directory.CreateDirectory(Path.GetDirectoryName(to)!);
            File.Copy(from, to, overwrite: true);
            return;
        }

        if (!Directory.Exists(from))
        {
            return;
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var relative = Path.GetRelativePath(from, file);
            var parts = relative.Split(Path.DirectorySeparatorChar);
            if (parts.Contains("bin") || parts.Contains("obj"))
            {
                continue;
            }

            Copy(file, Path.Combine(to, relative));
        }
    }

    /// <summary>Writes UTF-8 text (no byte order mark) to a temporary file beside <paramref name="path"/>, then moves it into place: a reader never sees half a file.</summary>
    public static void WriteAtomically(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, text, new UTF8Encoding(false));
        File.Move(temporary, path, overwrite: true);
    }
}
