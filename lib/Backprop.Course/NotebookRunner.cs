using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Connection;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Backprop.Course;

internal enum CellStatus
{
    Succeeded,
    Failed,
    TimedOut,
    NotRun,
}

/// <summary>What happened to one code cell; CellNumber is its 1-based position among all the notebook's cells.</summary>
internal sealed record CellResult(int CellNumber, Marker? Marker, CellStatus Status, string? Error, TimeSpan Elapsed)
{
    /// <summary>The first line of the error, for summaries.</summary>
    public string ShortError => (Error ?? "").Trim().Split('\n')[0].Trim();
}

/// <summary>The executed notebook and each code cell's result.</summary>
internal sealed record NotebookRun(NotebookDocument Executed, IReadOnlyList<CellResult> Cells)
{
    public bool Succeeded => Cells.All(c => c.Status == CellStatus.Succeeded);

    public IEnumerable<CellResult> Checks => Cells.Where(c => c.Marker?.Kind == MarkerKind.Check);
}

/// <summary>
/// Executes a notebook cell by cell in the real engine: <c>dotnet interactive stdio</c>, the
/// process VS Code starts, driven through <see cref="StdIoKernelConnector"/>. Each cell has its
/// own result and time limit; a stuck cell gets the kernel killed, and the cells before it keep
/// their results.
/// </summary>
internal sealed class NotebookRunner(string toolDll, TextWriter progress)
{
    public TimeSpan CellTimeout { get; init; } = TimeSpan.FromMinutes(2);

    public TimeSpan NotebookTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The time limit of a setup cell, which may build the library.</summary>
    public TimeSpan SetupCellTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public async Task<NotebookRun> RunAsync(NotebookDocument notebook, string workingDirectory)
    {
        var executed = notebook.Clone();
        var results = new List<CellResult>();
        var clock = Stopwatch.StartNew();
        var executionCount = 0;
        var stopped = false;

        progress.Write($"{notebook.Name}: starting the engine … ");
        progress.Flush();
        StdIoKernelConnector? connector = null;
        Kernel? kernel = null;
        try
        {
            // The engine occasionally fails its start-up handshake on a loaded machine: one retry.
            for (var attempt = 1; kernel is null; attempt++)
            {
                connector = Connect(workingDirectory);
                try
                {
                    var start = connector.CreateProxyKernelAsync("csharp");
                    if (await Task.WhenAny(start, Task.Delay(TimeSpan.FromMinutes(2))) != start)
                    {
                        throw new CourseException($"{notebook.Name}: the engine did not start within 2 minutes.");
                    }

                    kernel = await start;
                }
                catch (Exception e) when (attempt == 1 && e is not CourseException)
                {
                    Kill(ref kernel, ref connector);
                }
                catch (Exception e) when (e is not CourseException)
                {
                    throw new CourseException($"{notebook.Name}: the engine did not start ({e.GetType().Name}: {e.Message}).");
                }
            }

            progress.Write("running ");
            progress.Flush();

            for (var i = 0; i < executed.Cells.Count; i++)
            {
                var cell = executed.Cells[i];
                if (!cell.IsCode)
                {
                    continue;
                }

                var source = cell.Source;
                if (stopped)
                {
                    results.Add(new CellResult(i + 1, cell.Marker, CellStatus.NotRun, "not run: an earlier cell ran past its time limit", TimeSpan.Zero));
                    continue;
                }

                var remaining = NotebookTimeout - clock.Elapsed;
                // A setup cell may have to build the library (first run after a change): it gets more time.
                var cellLimit = cell.Marker?.Kind == MarkerKind.Setup && CellTimeout < SetupCellTimeout ? SetupCellTimeout : CellTimeout;
                var limit = remaining < cellLimit ? remaining : cellLimit;
                var cellClock = Stopwatch.StartNew();
                var outputs = new JsonArray();
                CellResult result;
                if (string.IsNullOrWhiteSpace(source))
                {
                    result = new CellResult(i + 1, cell.Marker, CellStatus.Succeeded, null, TimeSpan.Zero);
                }
                else if (cell.KernelName is not ("csharp" or "C#"))
                {
                    result = new CellResult(i + 1, cell.Marker, CellStatus.Failed, $"cell {i + 1} is for the '{cell.KernelName}' kernel; the kit's notebooks are C# only", TimeSpan.Zero);
                }
                else if (limit <= TimeSpan.Zero)
                {
                    stopped = true;
                    result = new CellResult(i + 1, cell.Marker, CellStatus.TimedOut, $"timed out: the notebook ran past its time limit of {NotebookTimeout.TotalSeconds:0} s", TimeSpan.Zero);
                }
                else
                {
                    executionCount++;
                    var command = new SubmitCode(source);
                    var send = kernel!.SendAsync(command, CancellationToken.None);
                    if (await Task.WhenAny(send, Task.Delay(limit)) != send)
                    {
                        // Cancel does not stop a stuck submission: kill the kernel process tree.
                        stopped = true;
                        Kill(ref kernel, ref connector);
                        var what = limit == cellLimit ? $"the cell time limit of {cellLimit.TotalSeconds:0} s" : $"the notebook time limit of {NotebookTimeout.TotalSeconds:0} s";
                        var message = $"timed out: cell {i + 1} ran past {what}; the kernel was stopped";
                        outputs.Add(ErrorOutput(message));
                        result = new CellResult(i + 1, cell.Marker, CellStatus.TimedOut, message, cellClock.Elapsed);
                    }
                    else
                    {
                        var commandResult = await send;
                        var error = Collect(commandResult, command, outputs, executionCount);
                        result = new CellResult(i + 1, cell.Marker, error is null ? CellStatus.Succeeded : CellStatus.Failed, error, cellClock.Elapsed);
                    }
                }

                cell.Json["outputs"] = outputs;
                cell.Json["execution_count"] = result.Status is CellStatus.Succeeded or CellStatus.Failed && !string.IsNullOrWhiteSpace(source) ? executionCount : null;
                results.Add(result);
                progress.Write(result.Status switch
                {
                    CellStatus.Succeeded => ".",
                    CellStatus.Failed => "F",
                    CellStatus.TimedOut => "T",
                    _ => "",
                });
                progress.Flush();
            }
        }
        finally
        {
            Kill(ref kernel, ref connector);
            progress.WriteLine($" {clock.Elapsed.TotalSeconds:0.0} s");
        }

        return new NotebookRun(executed, results);
    }

    private StdIoKernelConnector Connect(string workingDirectory) => new(
        ["dotnet", Quote(toolDll), "stdio", "--default-kernel", "csharp", "--working-dir", Quote(workingDirectory)],
        rootProxyKernelLocalName: "course-root",
        kernelHostUri: KernelHost.CreateHostUri($"backprop-course-{Guid.NewGuid():N}"),   // unique: connections in one process must not share a host
        workingDirectory: new DirectoryInfo(workingDirectory));

    private static void Kill(ref Kernel? kernel, ref StdIoKernelConnector? connector)
    {
        kernel?.Dispose();
        kernel = null;
        connector?.Dispose();
        connector = null;
    }

    /// <summary>Turns a cell's events into Jupyter outputs; returns the error text when the cell failed.</summary>
    private static string? Collect(KernelCommandResult result, KernelCommand command, JsonArray outputs, int executionCount)
    {
        string? error = null;
        var diagnostics = new List<string>();
        // Events come back with deserialized copies of the command: match by token. A child
        // command's events (token "….1", e.g. the engine's own start-up work) are not this cell's.
        var token = command.GetOrCreateToken();
        foreach (var e in result.Events.Where(e => e.Command?.GetOrCreateToken() == token))
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    outputs.Add(Stream("stdout", Plain(o.FormattedValues)));
                    break;
                case StandardErrorValueProduced o:
                    outputs.Add(Stream("stderr", Plain(o.FormattedValues)));
                    break;
                case ReturnValueProduced r:
                    outputs.Add(Display("execute_result", r.FormattedValues, executionCount));
                    break;
                case DisplayEvent d:
                    outputs.Add(Display("display_data", d.FormattedValues, null));
                    break;
                case DiagnosticsProduced d:
                    diagnostics.AddRange(d.Diagnostics.Where(x => x.Severity == Microsoft.CodeAnalysis.DiagnosticSeverity.Error).Select(x => $"{x.Code}: {x.Message}"));
                    break;
                case CommandFailed f:
                    error = f.Message;
                    break;
            }
        }

        if (error is not null)
        {
            var missing = diagnostics.Where(d => !error.Contains(d.Split(": ", 2)[^1], StringComparison.Ordinal)).ToList();
            if (missing.Count > 0)
            {
                error = string.Join('\n', missing.Prepend(error));
            }

            outputs.Add(ErrorOutput(error));
        }

        return error;
    }

    private static string Plain(IReadOnlyCollection<FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";

    private static JsonObject Stream(string name, string text) => new()
    {
        ["name"] = name,
        ["output_type"] = "stream",
        ["text"] = NotebookCell.SourceLines(text),
    };

    private static JsonObject Display(string outputType, IReadOnlyCollection<FormattedValue> values, int? executionCount)
    {
        var data = new JsonObject();
        foreach (var value in values)
        {
            data[value.MimeType] = NotebookCell.SourceLines(value.Value ?? "");
        }

        var output = new JsonObject { ["data"] = data, ["metadata"] = new JsonObject(), ["output_type"] = outputType };
        if (executionCount is not null)
        {
            output["execution_count"] = executionCount;
        }

        return output;
    }

    private static JsonObject ErrorOutput(string message) => new()
    {
        ["ename"] = "Error",
        ["evalue"] = message,
        ["output_type"] = "error",
        ["traceback"] = new JsonArray(message),
    };

    private static string Quote(string path) => path.Contains(' ', StringComparison.Ordinal) ? $"\"{path}\"" : path;
}
