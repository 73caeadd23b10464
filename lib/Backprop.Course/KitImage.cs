using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Security.Cryptography;

namespace Backprop.Course;

/// <summary>
/// The built kit (every file of artifacts/kit) as the grader saw it when it started: the bytes and the
/// SHA-256 of each file, held in memory. Each submission gets a fresh copy written from these bytes and
/// verified by hash, so nothing a submission (or anyone) writes into artifacts/kit reaches another one.
/// </summary>
internal sealed class KitImage
{
    private readonly Dictionary<string, (byte[] Bytes, string Sha256)> _files;

    private KitImage(string folder, Dictionary<string, (byte[], string)> files, Guid courseworkMvid)
    {
        Folder = folder;
        _files = files;
        CourseworkMvid = courseworkMvid;
    }

    /// <summary>The folder the image was read from (artifacts/kit).</summary>
    public string Folder { get; }

    /// <summary>The module version id of the hashed Backprop.Coursework.dll: the check cells report it, the grader compares.</summary>
    public Guid CourseworkMvid { get; }

    public IReadOnlyCollection<string> FileNames => _files.Keys;

    /// <summary>One SHA-256 for the whole image: of each file's name and SHA-256, in ordinal order of the names.</summary>
    public string Sha256 => Hash(System.Text.Encoding.UTF8.GetBytes(string.Concat(_files.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => $"{f.Key}\0{f.Value.Sha256}\n"))));

    /// <summary>The text of the setup script the notebooks' SETUP 2/2 cell loads (empty when the kit has none).</summary>
    public string SetupScript => _files.TryGetValue(KitBuild.SetupScript, out var script) ? System.Text.Encoding.UTF8.GetString(script.Bytes) : "";

    /// <summary>The kit's managed DLLs (name and bytes), for compiling student cells against.</summary>
    public IEnumerable<(string Name, byte[] Bytes)> ManagedLibraries()
    {
        foreach (var (name, (bytes, _)) in _files.Where(f => f.Key.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)))
        {
            bool managed;
            try
            {
                using var pe = new PEReader(new MemoryStream(bytes));
                managed = pe.HasMetadata;
            }
            catch (BadImageFormatException)
            {
                managed = false;
            }

            if (managed)
            {
                yield return (name, bytes);
            }
        }
    }

    /// <summary>Reads every file of <paramref name="folder"/> (not recursive: the kit is flat).</summary>
    public static KitImage Read(string folder)
    {
        if (!Directory.Exists(folder))
        {
            throw new CourseException($"{folder}: no such folder — build the kit first (dotnet build lib/Backprop.Kit -c Release).");
        }

        var files = new Dictionary<string, (byte[], string)>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(folder).Order(StringComparer.Ordinal))
        {
            var bytes = File.ReadAllBytes(path);
            files[Path.GetFileName(path)] = (bytes, Hash(bytes));
        }

        const string Coursework = "Backprop.Coursework.dll";
        if (!files.TryGetValue(Coursework, out var dll))
        {
            throw new CourseException($"{folder}: no {Coursework} — build the kit first (dotnet build lib/Backprop.Kit -c Release).");
        }

        return new KitImage(Path.GetFullPath(folder), files, Mvid(dll.Item1));
    }

    /// <summary>The files of the kit folder on disk that differ from the image (changed, missing or added).</summary>
    public IReadOnlyList<string> ChangedOnDisk()
    {
        var changed = new List<string>();
        foreach (var (name, (_, sha)) in _files)
        {
            var path = Path.Combine(Folder, name);
            if (!File.Exists(path) || HashFile(path) != sha)
            {
                changed.Add(name);
            }
        }

        if (Directory.Exists(Folder))
        {
            changed.AddRange(Directory.GetFiles(Folder).Select(Path.GetFileName).OfType<string>().Where(n => !_files.ContainsKey(n)));
        }

        return changed;
    }

    /// <summary>Writes the kit into <paramref name="folder"/>, read-only, and verifies every copy's SHA-256.</summary>
    public void WriteTo(string folder)
    {
        Directory.CreateDirectory(folder);
        foreach (var (name, (bytes, _)) in _files)
        {
            var path = Path.Combine(folder, name);
            File.WriteAllBytes(path, bytes);
            SetMode(path, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        }

        SetMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        Verify(folder);
    }

    /// <summary>Throws unless <paramref name="folder"/> holds exactly the image's files with the image's hashes.</summary>
    public void Verify(string folder)
    {
        foreach (var (name, (_, sha)) in _files)
        {
            var path = Path.Combine(folder, name);
            if (!File.Exists(path) || HashFile(path) != sha)
            {
                throw new CourseException($"the kit copy in {folder} does not match the kit the grader verified ({name}).");
            }
        }
    }

    public static string Hash(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    public static string HashFile(string path)
    {
        using var stream = File.OpenRead(path);
        return Convert.ToHexStringLower(SHA256.HashData(stream));
    }

    private static Guid Mvid(byte[] dll)
    {
        using var pe = new PEReader(new MemoryStream(dll));
        var reader = pe.GetMetadataReader();
        return reader.GetGuid(reader.GetModuleDefinition().Mvid);
    }

    /// <summary>Sets a file's Unix mode (the grader runs kernels on Linux only; elsewhere it is left as it is).</summary>
    private static void SetMode(string path, UnixFileMode mode)
    {
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, mode);
        }
    }
}
