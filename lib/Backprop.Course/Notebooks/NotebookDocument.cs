using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course.Notebooks;

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
            CheckCell(cells[i], i + 1, name);
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

    /// <summary>Throws unless cell <paramref name="number"/> has a cell type, a text source and, if any, object metadata.</summary>
    private static void CheckCell(JsonNode? json, int number, string name)
    {
        if (json is not JsonObject cell || cell["cell_type"]?.GetValueKind() is not JsonValueKind.String)
        {
            throw new CourseException($"{name}: malformed notebook — cell {number} has no \"cell_type\".");
        }

        if (cell["source"] is not (JsonArray or JsonValue))
        {
            throw new CourseException($"{name}: malformed notebook — cell {number} has no \"source\".");
        }

        var source = cell["source"]!;
        if (source is JsonValue v ? v.GetValueKind() != JsonValueKind.String : source.AsArray().Any(l => l?.GetValueKind() is not JsonValueKind.String))
        {
            throw new CourseException($"{name}: malformed notebook — the \"source\" of cell {number} is not text (a string or a list of strings).");
        }

        if (cell["metadata"] is { } cellMetadata && cellMetadata is not JsonObject)
        {
            throw new CourseException($"{name}: malformed notebook — the \"metadata\" of cell {number} is not an object.");
        }
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
