using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course.Notebooks;

/// <summary>One cell of a <see cref="NotebookDocument"/>, over its raw JSON.</summary>
internal sealed class NotebookCell(JsonObject json)
{
    public JsonObject Json { get; } = json;

    public string CellType => Json["cell_type"]!.GetValue<string>();

    public bool IsCode => CellType == "code";

    public string Source
    {
        get => NotebookText.Join(Json["source"]);
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

    /// <summary>The cell's outputs (none for a markdown cell or a cell that has not run).</summary>
    public IReadOnlyList<NotebookOutput> Outputs => Json["outputs"] is JsonArray outputs ? [.. outputs.Select(NotebookOutput.From)] : [];

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
