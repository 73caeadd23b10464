using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;

namespace Backprop.Course;

/// <summary>
/// Executes a notebook cell by cell in the real engine: <c>dotnet interactive stdio</c>, the
/// process VS Code starts, driven through an <see cref="EngineSession"/>. Each cell has its
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
        var run = new RunState(Stopwatch.StartNew());
        progress.Write($"{notebook.Name}: starting the engine … ");
        progress.Flush();
        EngineSession? session = null;
        try
        {
            session = await EngineSession.StartAsync(toolDll, workingDirectory, notebook.Name);
            progress.Write("running ");
            progress.Flush();
            foreach (var (cell, number) in executed.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode))
            {
                var (result, outputs, executionCount) = await RunCellAsync(session, cell, number, run);
                cell.Json["outputs"] = outputs;
                cell.Json["execution_count"] = executionCount;
                results.Add(result);
                ReportProgress(result.Status);
            }
        }
        finally
        {
            session?.Dispose();
            progress.WriteLine($" {run.Clock.Elapsed.TotalSeconds:0.0} s");
        }

        return new NotebookRun(executed, results);
    }

    /// <summary>Runs one code cell (or says why it does not run): its result, its Jupyter outputs and its execution count.</summary>
    private async Task<(CellResult Result, JsonArray Outputs, int? ExecutionCount)> RunCellAsync(EngineSession session, NotebookCell cell, int number, RunState run)
    {
        var outputs = new JsonArray();
        var source = cell.Source;
        if (run.Stopped)
        {
            return (new CellResult(number, cell.Marker, CellStatus.NotRun, "not run: an earlier cell ran past its time limit", TimeSpan.Zero), outputs, null);
        }

        if (string.IsNullOrWhiteSpace(source))
        {
            return (new CellResult(number, cell.Marker, CellStatus.Succeeded, null, TimeSpan.Zero), outputs, null);
        }

        if (cell.KernelName is not ("csharp" or "C#"))
        {
            return (new CellResult(number, cell.Marker, CellStatus.Failed, $"cell {number} is for the '{cell.KernelName}' kernel; the kit's notebooks are C# only", TimeSpan.Zero), outputs, null);
        }

        var (limit, cellLimit) = TimeLimits(cell, run.Clock.Elapsed);
        if (limit <= TimeSpan.Zero)
        {
            run.Stopped = true;
            return (new CellResult(number, cell.Marker, CellStatus.TimedOut, $"timed out: the notebook ran past its time limit of {NotebookTimeout.TotalSeconds:0} s", TimeSpan.Zero), outputs, null);
        }

        var executionCount = ++run.ExecutionCount;
        var cellClock = Stopwatch.StartNew();
        var command = new SubmitCode(source);
        var send = session.Kernel.SendAsync(command, CancellationToken.None);
        if (await Task.WhenAny(send, Task.Delay(limit)) != send)
        {
            // Cancel does not stop a stuck submission: kill the kernel process tree.
            run.Stopped = true;
            session.Dispose();
            var what = limit == cellLimit ? $"the cell time limit of {cellLimit.TotalSeconds:0} s" : $"the notebook time limit of {NotebookTimeout.TotalSeconds:0} s";
            var message = $"timed out: cell {number} ran past {what}; the kernel was stopped";
            outputs.Add(ErrorOutput(message));
            return (new CellResult(number, cell.Marker, CellStatus.TimedOut, message, cellClock.Elapsed), outputs, null);
        }

        var error = Collect(await send, command, outputs, executionCount);
        return (new CellResult(number, cell.Marker, error is null ? CellStatus.Succeeded : CellStatus.Failed, error, cellClock.Elapsed), outputs, executionCount);
    }

    /// <summary>The next cell's limit (what is left of the notebook's limit, at most the cell's own) and the cell's own limit.</summary>
    private (TimeSpan Limit, TimeSpan CellLimit) TimeLimits(NotebookCell cell, TimeSpan elapsed)
    {
        // A setup cell may have to build the kit (first run after a change): it gets more time.
        var cellLimit = cell.Marker?.Kind == MarkerKind.Setup && CellTimeout < SetupCellTimeout ? SetupCellTimeout : CellTimeout;
        var remaining = NotebookTimeout - elapsed;
        return (remaining < cellLimit ? remaining : cellLimit, cellLimit);
    }

    private void ReportProgress(CellStatus status)
    {
        progress.Write(status switch
        {
            CellStatus.Succeeded => ".",
            CellStatus.Failed => "F",
            CellStatus.TimedOut => "T",
            _ => "",
        });
        progress.Flush();
    }

    /// <summary>What a notebook run carries from cell to cell: its clock, the execution count, whether a time-out stopped it.</summary>
    private sealed class RunState(Stopwatch clock)
    {
        public Stopwatch Clock { get; } = clock;

        public int ExecutionCount { get; set; }

        public bool Stopped { get; set; }
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
}
