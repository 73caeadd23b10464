using System.Globalization;

namespace Backprop.Course.Sandboxing;

/// <summary>
/// The engine where a kernel's unprivileged user can read it: the NuGet cache usually lies in root's home, which no other
/// user may enter, so the engine is copied (hard links where possible) into a folder every user may read, once per process.
/// </summary>
internal static class EngineCopy
{
    private const string Prefix = "backprop-engine-";
    private const string OwnerFile = "grader.pid";

    private static readonly Dictionary<string, string> s_copies = new(StringComparer.Ordinal);

    /// <summary>The engine's package folder (…/microsoft.dotnet-interactive/VERSION) of its entry DLL (…/tools/net10.0/any/X.dll).</summary>
    public static string ToolFolder(string toolDll) => Path.GetFullPath(Path.Combine(Path.GetDirectoryName(toolDll)!, "..", "..", ".."));

    /// <summary>
    /// The engine's entry DLL where the kernel's user can read it: where it is, when every user may read it there; else in a
    /// copy (root's, read-only to others, made once per process). The copy is hard links where the file system allows
    /// (instant, no space; the engine's files are readable by all, only the folders on the way are not), else a real copy.
    /// It goes when the process exits; copies left by a grader that was killed are removed by the next one.
    /// </summary>
    public static string Readable(string toolDll)
    {
        if (UnixFiles.FirstHiddenAncestor(toolDll) is null)
        {
            return toolDll;
        }

        var folder = ToolFolder(toolDll);
        lock (s_copies)
        {
            if (!s_copies.TryGetValue(folder, out var copy))
            {
                copy = MakeCopy(folder);
                if (UnixFiles.FirstHiddenAncestor(Path.Combine(copy, Path.GetRelativePath(folder, toolDll))) is { } hidden)
                {
                    throw new CourseException($"the kernel's user cannot read the engine: {toolDll} is in a folder closed to other users, and in the copy made for it {hidden} is closed too.");
                }

                s_copies[folder] = copy;
            }

            return Path.Combine(copy, Path.GetRelativePath(folder, toolDll));
        }
    }

    /// <summary>A copy of the engine's package folder that every user may read, in a fresh folder of the temp folder removed when this process exits.</summary>
    private static string MakeCopy(string folder)
    {
        RemoveStaleCopies();
        // A fresh name (not guessable, made 0700 by the runtime) in the temp folder: no user can have put anything there first.
        var holder = Directory.CreateTempSubdirectory(Prefix).FullName;
        File.WriteAllText(Path.Combine(holder, OwnerFile), Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        AppDomain.CurrentDomain.ProcessExit += (_, _) => UnixFiles.DeleteQuietly(holder);
        var copy = Path.Combine(holder, "engine");
        if (!ChildProcess.Run("cp", ["-r", "--link", folder, copy], TimeSpan.FromMinutes(5)).Succeeded)
        {
            UnixFiles.DeleteQuietly(copy);
            CopyReadOnly(folder, copy);
        }

        foreach (var dir in Directory.EnumerateDirectories(copy, "*", SearchOption.AllDirectories).Prepend(copy).Prepend(holder))
        {
            UnixFiles.SetMode(dir, UnixFiles.Mode(0b111_101_101));
        }

        return copy;
    }

    /// <summary>Removes the engine copies in the temp folder whose grader is gone (killed before it could remove its own).</summary>
    private static void RemoveStaleCopies()
    {
        foreach (var holder in Directory.EnumerateDirectories(Path.GetTempPath(), Prefix + "*"))
        {
            var owner = Path.Combine(holder, OwnerFile);
            if (File.Exists(owner) && int.TryParse(File.ReadAllText(owner).Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid)
                && pid != Environment.ProcessId && !Directory.Exists($"/proc/{pid}"))
            {
                UnixFiles.DeleteQuietly(holder);
            }
        }
    }

    private static void CopyReadOnly(string from, string to)
    {
        foreach (var dir in Directory.EnumerateDirectories(from, "*", SearchOption.AllDirectories).Prepend(from))
        {
            Directory.CreateDirectory(Path.Combine(to, Path.GetRelativePath(from, dir)));
        }

        foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
        {
            var target = Path.Combine(to, Path.GetRelativePath(from, file));
            File.Copy(file, target);
            UnixFiles.SetMode(target, UnixFiles.Mode(0b110_100_100));
        }
    }
}
