using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course;

/// <summary>
/// A .ipynb file kept as raw JSON, so everything the tool does not touch (notebook and cell
/// metadata written by VS Code or Jupyter) is written back exactly as it was.
/// </summary>
internal sealed class NotebookDocument
{
    private static readonly JsonSerializerOptions s_writeOptions = new()
    {
        WriteIndented = true,
        IndentSize = 1,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    private readonly JsonObject _root;

    private NotebookDocument(JsonObject root, string name)
    {
        _root = root;
        Name = name;
        Cells = [.. ((JsonArray)root["cells"]!).Select(c => new NotebookCell((JsonObject)c!))];
    }

    /// <summary>The file name without folder, used in reports.</summary>
    public string Name { get; }

    public IReadOnlyList<NotebookCell> Cells { get; }

    public JsonObject Metadata => _root["metadata"] as JsonObject ?? [];

    /// <summary>The lesson id in the notebook metadata (<c>metadata.backprop.lesson</c>), if any.</summary>
    public string? LessonId => (Metadata["backprop"] as JsonObject)?["lesson"]?.GetValue<string>();

    /// <summary>
    /// The largest notebook file <see cref="Load"/> reads: 20 MB. A lesson with every output is well under 1 MB; a bigger
    /// file is refused before it is read, so one huge submission cannot exhaust the grader's memory.
    /// </summary>
    public const long MaxFileBytes = 20L * 1024 * 1024;

    /// <summary>
    /// The most cells a notebook may have: 1,000 (the lessons have under 100). Counted before any cell is parsed, because
    /// everything after (the grader's cell check above all) costs time and memory per cell.
    /// </summary>
    public const int MaxCells = 1000;

    /// <summary>
    /// Reads a notebook: a regular file only (a pipe, a device or a link to one is refused without being opened), at most
    /// <see cref="MaxFileBytes"/>, at most <see cref="MaxCells"/> cells. Every refusal is a <see cref="CourseException"/>
    /// that names the file and the limit.
    /// </summary>
    public static NotebookDocument Load(string path) => FromBytes(NotebookFile.Read(path, MaxFileBytes), Path.GetFileName(path));

    /// <summary>A notebook from the bytes of its file, already read (by <see cref="NotebookFile.Read"/>), named <paramref name="name"/> in every refusal; at most <see cref="MaxCells"/> cells.</summary>
    public static NotebookDocument FromBytes(byte[] bytes, string name)
    {
        if (CellCount(bytes) > MaxCells)
        {
            throw new CourseException(TooManyCells(name, $"more than {MaxCells:N0}"));
        }

        // A byte order mark is allowed (File.ReadAllText skipped it too); invalid UTF-8 becomes U+FFFD, as it did there.
        var text = Encoding.UTF8.GetString(bytes.AsSpan(bytes.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0));
        return Parse(text, name);
    }

    private static string TooManyCells(string name, FormattableString count) =>
        $"{name}: too many cells — {count.ToString(CultureInfo.InvariantCulture)}, over the limit of {MaxCells.ToString("N0", CultureInfo.InvariantCulture)} for a notebook (the lessons have under 100); its cells were not read.";

    /// <summary>
    /// The number of entries of the top-level "cells" array, counted by a forward-only reader that builds nothing (stops
    /// counting past <see cref="MaxCells"/>); null when the file is not a JSON object with such an array (<see cref="Parse"/>
    /// then names what is wrong).
    /// </summary>
    private static int? CellCount(byte[] json)
    {
        var reader = new Utf8JsonReader(json.AsSpan(json.AsSpan().StartsWith("\uFEFF"u8) ? 3 : 0));
        try
        {
            while (reader.Read())
            {
                if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == 1 && reader.ValueTextEquals("cells"u8))
                {
                    if (!reader.Read() || reader.TokenType != JsonTokenType.StartArray)
                    {
                        return null;
                    }

                    var count = 0;
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray && count <= MaxCells)
                    {
                        count++;
                        reader.Skip();   // the whole cell, unread
                    }

                    return count;
                }

                if (reader.CurrentDepth >= 1 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.Skip();   // metadata and the like
                }
            }
        }
        catch (JsonException)
        {
            return null;
        }

        return null;
    }

    public static NotebookDocument Parse(string json, string name)
    {
        JsonNode? node;
        try
        {
            node = JsonNode.Parse(json, documentOptions: new JsonDocumentOptions { AllowTrailingCommas = false });
        }
        catch (JsonException e)
        {
            throw new CourseException($"{name}: not a notebook — the file is not valid JSON ({e.Message}).");
        }

        if (node is not JsonObject root)
        {
            throw new CourseException($"{name}: not a notebook — the top level of the file is not a JSON object.");
        }

        if (root["cells"] is not JsonArray cells)
        {
            throw new CourseException($"{name}: not a notebook — it has no \"cells\" array.");
        }

        if (cells.Count > MaxCells)
        {
            throw new CourseException(TooManyCells(name, $"{cells.Count:N0}"));
        }

        if (root["nbformat"]?.GetValueKind() is not JsonValueKind.Number || root["nbformat"]!.GetValue<int>() != 4)
        {
            throw new CourseException($"{name}: unsupported notebook format — expected \"nbformat\": 4.");
        }

        for (var i = 0; i < cells.Count; i++)
        {
            if (cells[i] is not JsonObject cell || cell["cell_type"]?.GetValueKind() is not JsonValueKind.String)
            {
                throw new CourseException($"{name}: malformed notebook — cell {i + 1} has no \"cell_type\".");
            }

            if (cell["source"] is not (JsonArray or JsonValue))
            {
                throw new CourseException($"{name}: malformed notebook — cell {i + 1} has no \"source\".");
            }

            var source = cell["source"]!;
            if (source is JsonValue v ? v.GetValueKind() != JsonValueKind.String : source.AsArray().Any(l => l?.GetValueKind() is not JsonValueKind.String))
            {
                throw new CourseException($"{name}: malformed notebook — the \"source\" of cell {i + 1} is not text (a string or a list of strings).");
            }

            if (cell["metadata"] is { } cellMetadata && cellMetadata is not JsonObject)
            {
                throw new CourseException($"{name}: malformed notebook — the \"metadata\" of cell {i + 1} is not an object.");
            }
        }

        if (root["metadata"] is { } metadata && metadata is not JsonObject)
        {
            throw new CourseException($"{name}: malformed notebook — its \"metadata\" is not an object.");
        }

        if (root["metadata"]?["backprop"] is { } backprop && (backprop is not JsonObject || backprop["lesson"] is { } id && id.GetValueKind() != JsonValueKind.String))
        {
            throw new CourseException($"{name}: malformed notebook — \"metadata.backprop.lesson\" is not a lesson id in quotes (e.g. \"01\").");
        }

        return new NotebookDocument(root, name);
    }

    public NotebookDocument Clone(string? name = null) => new((JsonObject)_root.DeepClone(), name ?? Name);

    /// <summary>Replaces the cells (used by release and grade to build a new notebook from this one's metadata).</summary>
    public NotebookDocument WithCells(IEnumerable<NotebookCell> cells, string? name = null)
    {
        var root = (JsonObject)_root.DeepClone();
        root["cells"] = new JsonArray([.. cells.Select(c => c.Json.DeepClone())]);
        return new NotebookDocument(root, name ?? Name);
    }

    public string ToJson() => _root.ToJsonString(s_writeOptions) + "\n";

    public void Save(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        File.WriteAllText(path, ToJson());
    }
}

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
        long size;
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

            size = statSize;
        }
        else
        {
            // Not Linux: .NET does not tell a pipe or a device from a file, but both have no size; an empty file is no notebook either.
            var file = File.ResolveLinkTarget(path, returnFinalTarget: true) as FileInfo ?? new FileInfo(path);
            if (!file.Exists)
            {
                throw new CourseException($"{path}: no such file{link}.");
            }

            size = file.Length;
            if (size == 0)
            {
                throw new CourseException($"{name}: empty (0 bytes), or not a regular file (a pipe or a device){link}; it was not opened.");
            }
        }

        if (size > maxBytes)
        {
            throw new CourseException($"{name}: {Megabytes(size)}, over the limit of {Megabytes(maxBytes)} for a notebook{link}; it was not read.");
        }

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

/// <summary>One cell of a <see cref="NotebookDocument"/>, over its raw JSON.</summary>
internal sealed class NotebookCell(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string CellType => Json["cell_type"]!.GetValue<string>();

    public bool IsCode => CellType == "code";

    public string Source
    {
        get => Json["source"] switch
        {
            JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
            JsonValue text => text.GetValue<string>(),
            _ => "",
        };
        set => Json["source"] = SourceLines(value);
    }

    /// <summary>The kernel the cell is meant for: Polyglot's cell metadata, or C# when there is none.</summary>
    public string KernelName =>
        (Json["metadata"]?["polyglot_notebook"]?["kernelName"] ?? Json["metadata"]?["dotnet_interactive"]?["language"]) switch
        {
            null => "csharp",
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            var other => other.ToJsonString(),
        };

    public bool HasOutputs => Json["outputs"] is JsonArray { Count: > 0 } || Json["execution_count"] is JsonValue;

    public Marker? Marker => IsCode ? Marker.Parse(Source) : null;

    public NotebookCell Copy() => new((JsonObject)Json.DeepClone());

    public void ClearOutputs()
    {
        if (IsCode)
        {
            Json["outputs"] = new JsonArray();
            Json["execution_count"] = null;
        }
    }

    /// <summary>Splits text into Jupyter's list of lines, each but the last keeping its "\n".</summary>
    public static JsonArray SourceLines(string text)
    {
        var lines = new JsonArray();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                lines.Add(text[start..(i + 1)]);
                start = i + 1;
            }
        }

        if (start < text.Length)
        {
            lines.Add(text[start..]);
        }

        return lines;
    }
}
