using System.Text.Json.Nodes;

namespace Backprop.Course.Notebooks;

/// <summary>
/// One output of an executed code cell, as nbformat 4 writes it: printed text (<see cref="StreamOutput"/>), a displayed
/// value or the cell's result (<see cref="DataOutput"/>), an exception (<see cref="ErrorOutput"/>), or anything else
/// (<see cref="OtherOutput"/>). Read from the cell's raw JSON, which <see cref="NotebookDocument"/> keeps for writing back.
/// </summary>
/// <remarks>
/// Our own model rather than Microsoft.DotNet.Interactive.Documents': the tool edits notebooks and writes them back as
/// the raw JSON they were (other tools' metadata untouched), so this is a view over that JSON and no file is parsed twice.
/// </remarks>
internal abstract record NotebookOutput
{
    /// <summary>The output's <c>output_type</c> ("stream", "display_data", "execute_result", "error", …; "" when it has none).</summary>
    public abstract string OutputType { get; }

    /// <summary>The typed view of one entry of a cell's <c>outputs</c> array.</summary>
    public static NotebookOutput From(JsonNode? json)
    {
        if (json is not JsonObject output)
        {
            return new OtherOutput("");
        }

        var type = output["output_type"] is JsonValue v && v.TryGetValue<string>(out var t) ? t : "";
        return type switch
        {
            "stream" => new StreamOutput(NotebookText.Join(output["name"]), NotebookText.Join(output["text"])),
            "error" => new ErrorOutput(NotebookText.Join(output["ename"]), NotebookText.Join(output["evalue"]),
                [.. (output["traceback"] as JsonArray ?? []).Select(NotebookText.Join)]),
            _ when output["data"] is JsonObject data => new DataOutput(type, data),
            _ => new OtherOutput(type),
        };
    }
}

/// <summary>Text the cell printed to one stream, stdout or stderr (kept apart: a page colours stderr, a report may not).</summary>
/// <param name="Name">The stream's name as written ("stdout", "stderr").</param>
/// <param name="Text">The text, its lines joined.</param>
internal sealed record StreamOutput(string Name, string Text) : NotebookOutput
{
    public override string OutputType => "stream";

    /// <summary>True for the standard error stream.</summary>
    public bool IsStderr => Name == "stderr";
}

/// <summary>A displayed value (<c>display_data</c>) or a cell's result (<c>execute_result</c>): one value in several MIME types.</summary>
/// <param name="OutputType">"display_data", "execute_result" or another type that carries a <c>data</c> bundle.</param>
/// <param name="Bundle">The MIME bundle as written (MIME type to its value: text as a string or a list of lines, JSON as JSON).</param>
internal sealed record DataOutput(string OutputType, JsonObject Bundle) : NotebookOutput
{
    public override string OutputType { get; } = OutputType;

    /// <summary>The bundle's MIME types, in the order the notebook lists them.</summary>
    public IEnumerable<string> MimeTypes => Bundle.Select(entry => entry.Key);

    /// <summary>The value for <paramref name="mimeType"/> as text (its lines joined), or null when the bundle has no such type.</summary>
    public string? Text(string mimeType) => Bundle.TryGetPropertyValue(mimeType, out var value) && value is not null ? NotebookText.Join(value) : null;
}

/// <summary>An exception the cell threw.</summary>
/// <param name="Name">The exception's type name (<c>ename</c>).</param>
/// <param name="Value">Its message (<c>evalue</c>).</param>
/// <param name="Traceback">The traceback lines, as written.</param>
internal sealed record ErrorOutput(string Name, string Value, IReadOnlyList<string> Traceback) : NotebookOutput
{
    public override string OutputType => "error";
}

/// <summary>An output of another type, or an entry that is not an output at all: kept so that outputs count as written, shown nowhere.</summary>
internal sealed record OtherOutput(string OutputType) : NotebookOutput
{
    public override string OutputType { get; } = OutputType;
}

/// <summary>Jupyter's multi-line text: a string, or a list of lines each ending in its "\n".</summary>
internal static class NotebookText
{
    /// <summary>The text of a source, stream or MIME value: the lines of a list joined, a string as it is, "" for nothing.</summary>
    public static string Join(JsonNode? text) => text switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };
}
