using System.Runtime.InteropServices.JavaScript;
using System.Runtime.Versioning;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.CodeAnalysis;

namespace Backprop.Book;

/// <summary>
/// What wwwroot/book-worker.js calls, inside the Web Worker that runs the cells: start the session, run a cell,
/// start a fresh session. One cell at a time (book-runtime.js queues them).
/// </summary>
[SupportedOSPlatform("browser")]
internal static partial class WorkerEntry
{
    private static List<MetadataReference>? s_references;
    private static NotebookSession? s_session;

    // The app has no Main work: book-worker.js starts the runtime and calls the exports below.
    private static void Main()
    {
    }

    /// <summary>Loads the kit and the framework, reads their metadata and runs the kit's setup (which warms the compiler).</summary>
    [JSExport]
    internal static async Task Start()
    {
        s_references = KitSetup.LoadReferences();
        s_session = await NotebookSession.Start(s_references).ConfigureAwait(true);
    }

    /// <summary>Runs <paramref name="source"/> as the session's next cell; the result as the contract's JSON (without ms).</summary>
    [JSExport]
    internal static async Task<string> Run(string source)
    {
        var session = s_session ?? throw new InvalidOperationException("Start() has not finished.");
        var result = await session.Run(source).ConfigureAwait(true);
        return JsonSerializer.Serialize(result, ResultJson.Default.CellResult);
    }

    /// <summary>A fresh session: earlier cells' state is gone, the kit's setup has run again.</summary>
    [JSExport]
    internal static async Task Reset() =>
        s_session = await NotebookSession.Start(s_references ?? throw new InvalidOperationException("Start() has not finished.")).ConfigureAwait(true);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CellResult))]
internal sealed partial class ResultJson : JsonSerializerContext;
