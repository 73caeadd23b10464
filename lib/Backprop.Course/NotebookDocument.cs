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

    public static NotebookDocument Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new CourseException($"{path}: no such file.");
        }

        return Parse(File.ReadAllText(path), Path.GetFileName(path));
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
