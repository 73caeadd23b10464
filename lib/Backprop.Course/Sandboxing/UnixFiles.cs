using System.Runtime.InteropServices;

namespace Backprop.Course.Sandboxing;

/// <summary>The file permissions and owners the sandbox sets up, and what a kernel's unprivileged user can reach.</summary>
internal static partial class UnixFiles
{
    /// <summary>A Unix mode from its permission bits, written in binary by owner, group and others: 0b111_101_101 is 0755.</summary>
    public static UnixFileMode Mode(int bits) => (UnixFileMode)bits;

    /// <summary>Sets a file's Unix mode (the grader runs kernels on Linux only; elsewhere it is left as it is).</summary>
    public static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }

    /// <summary>Gives <paramref name="path"/> to the kernel's user and its group (the same number).</summary>
    public static void Chown(string path, int uid)
    {
        if (NativeChown(path, uid, uid) != 0)
        {
            throw new CourseException($"could not give {path} to the kernel's user {uid} (chown failed, errno {Marshal.GetLastPInvokeError()}).");
        }
    }

    /// <summary>
    /// The first folder on the way to <paramref name="path"/> that users other than its owner may not enter, or
    /// <paramref name="path"/> itself when they may not read it; null when any user can read it. (A kernel's user owns
    /// nothing outside its box and is in no group, so the "other" permission bits are the ones that apply to it.)
    /// </summary>
    public static string? FirstHiddenAncestor(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        var full = Path.GetFullPath(path);
        for (var dir = Path.GetDirectoryName(full); dir is not null; dir = Path.GetDirectoryName(dir))
        {
            if (!File.GetUnixFileMode(dir).HasFlag(UnixFileMode.OtherExecute))
            {
                return dir;
            }
        }

        return File.GetUnixFileMode(full).HasFlag(UnixFileMode.OtherRead) ? null : full;
    }

    /// <summary>Deletes a folder with everything in it, saying nothing when that fails (it is in the temp folder).</summary>
    public static void DeleteQuietly(string folder)
    {
        try
        {
            Directory.Delete(folder, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", StringMarshalling = StringMarshalling.Utf8, SetLastError = true)]
    private static partial int NativeChown(string path, int owner, int group);
}
