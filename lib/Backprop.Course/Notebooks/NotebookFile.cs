using System.Globalization;
using System.Runtime.InteropServices;

namespace Backprop.Course.Notebooks;

/// <summary>
/// Reads a notebook file without letting the file decide how long that takes or how much memory it needs: a regular
/// file only, checked before it is opened (opening a FIFO waits for a writer for ever; a device such as /dev/zero never
/// ends), no more than a limit of bytes.
/// </summary>
internal static partial class NotebookFile
{
    /// <summary>The file's bytes; a <see cref="CourseException"/> naming the problem when it is missing, not a regular file (after links are followed) or larger than <paramref name="maxBytes"/>.</summary>
    public static byte[] Read(string path, long maxBytes)
    {
        var name = Path.GetFileName(path);
        var link = new FileInfo(path).LinkTarget is { } target ? $" (a link to {target})" : "";
        var size = CheckedSize(path, name, link);
        if (size > maxBytes)
        {
            throw new CourseException($"{name}: {Megabytes(size)}, over the limit of {Megabytes(maxBytes)} for a notebook{link}; it was not read.");
        }

        return ReadAtMost(path, size, maxBytes, name, link);
    }

    /// <summary>The size of a regular file at <paramref name="path"/>, or the problem that keeps it from being opened.</summary>
    private static long CheckedSize(string path, string name, string link)
    {
        if (FileType(path) is var (type, statSize))
        {
            if (type == 0)
            {
                throw new CourseException($"{path}: no such file{link}.");
            }

            if (type != RegularFile)
            {
                throw new CourseException($"{name}: not a regular file but {TypeName(type)}{link}; only regular files are read (it was not opened).");
            }

            return statSize;
        }

        // Not Linux: .NET does not tell a pipe or a device from a file, but both have no size; an empty file is no notebook either.
        var file = File.ResolveLinkTarget(path, returnFinalTarget: true) as FileInfo ?? new FileInfo(path);
        if (!file.Exists)
        {
            throw new CourseException($"{path}: no such file{link}.");
        }

        if (file.Length == 0)
        {
            throw new CourseException($"{name}: empty (0 bytes), or not a regular file (a pipe or a device){link}; it was not opened.");
        }

        return file.Length;
    }

    /// <summary>Reads up to <paramref name="maxBytes"/> (a file may have grown since it was measured), then refuses.</summary>
    private static byte[] ReadAtMost(string path, long size, long maxBytes, string name, string link)
    {
        // The type was checked on the path; a file swapped for a pipe in between is not something a folder of submissions does.
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1);
        var buffer = new byte[(int)Math.Min(maxBytes + 1, Math.Max(size, 0) + 1)];
        var read = 0;
        while (read < buffer.Length)
        {
            var n = stream.Read(buffer, read, buffer.Length - read);
            if (n == 0)
            {
                return buffer[..read];
            }

            read += n;
            if (read == buffer.Length && read <= maxBytes)
            {
                Array.Resize(ref buffer, (int)Math.Min(maxBytes + 1, (long)buffer.Length * 2));   // it grew since it was measured
            }
        }

        throw new CourseException($"{name}: over the limit of {Megabytes(maxBytes)} for a notebook{link}; reading stopped there.");
    }

    private static string Megabytes(long bytes) => string.Create(CultureInfo.InvariantCulture, $"{bytes / (1024.0 * 1024.0):0.#} MB");

    private const int RegularFile = 0x8000;

    private static string TypeName(int type) => type switch
    {
        0x1000 => "a FIFO (named pipe)",
        0x2000 => "a character device",
        0x4000 => "a folder",
        0x6000 => "a block device",
        0xC000 => "a socket",
        _ => "a special file",
    };

    /// <summary>The file type bits (S_IFMT; 0: no such file) and size of <paramref name="path"/> after links, from statx(2); null where statx is not available (not Linux).</summary>
    private static (int Type, long Size)? FileType(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        const int CurrentFolder = -100;             // AT_FDCWD
        const uint TypeAndSize = 0x0001 | 0x0200;   // STATX_TYPE | STATX_SIZE
        try
        {
            if (Statx(CurrentFolder, path, 0, TypeAndSize, out var status) != 0)
            {
                var error = Marshal.GetLastPInvokeError();
                return error is 2 or 20 ? (0, 0) : throw new CourseException($"{path}: cannot read it ({Marshal.GetPInvokeErrorMessage(error)}).");   // ENOENT, ENOTDIR
            }

            return (status.Mode & 0xF000, (long)status.Size);
        }
        catch (EntryPointNotFoundException)
        {
            return null;   // a C library older than glibc 2.28
        }
    }

    /// <summary>struct statx: one layout on every Linux architecture (unlike struct stat), so only the fields read are declared.</summary>
    [StructLayout(LayoutKind.Explicit, Size = 256)]
    private struct StatxBuffer
    {
        [FieldOffset(28)]
        public ushort Mode;

        [FieldOffset(40)]
        public ulong Size;
    }

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, out StatxBuffer status);
}
