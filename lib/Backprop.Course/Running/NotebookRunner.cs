using System.Diagnostics;
using System.Text.Json.Nodes;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.Events;
using Microsoft.DotNet.Interactive.Formatting;
using Backprop.Course.Notebooks;
using Backprop.Course.Sandboxing;

namespace Backprop.Course.Running;

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

    /// <summary>How many times a sandboxed run restarts a dead or stuck kernel before it gives up on the rest of the notebook.</summary>
    public int MaxRestarts { get; init; } = 8;

    /// <summary>
    /// Runs <paramref name="notebook"/> in a kernel started in <paramref name="workingDirectory"/>, unconfined (the <c>run</c>
    /// verb). A time-out, or a kernel that exits ("the kernel exited with code N in cell M", reported at once), stops the run:
    /// the later cells are not run, and say why.
    /// </summary>
    public async Task<NotebookRun> RunAsync(NotebookDocument notebook, string workingDirectory)
    {
        // The launcher is a bash script run with setsid that reads /proc: Linux only. Elsewhere the kernel starts directly,
        // and a kernel that exits is noticed only at the time limit.
        using var launcher = OperatingSystem.IsLinux() ? Sandbox.Unconfined(workingDirectory) : null;
        return await RunAsync(notebook, workingDirectory, launcher);
    }

    /// <summary>
    /// Runs <paramref name="notebook"/> in a kernel confined in <paramref name="sandbox"/>. A kernel that dies
    /// ("the kernel exited with code N in cell M") or is stopped at a time limit is restarted, the setup cells and
    /// the cells that succeeded before (check cells aside) run again quietly, and the run goes on with the next cell.
    /// </summary>
    public Task<NotebookRun> RunAsync(NotebookDocument notebook, Sandbox sandbox) => RunAsync(notebook, sandbox.NotebookFolder, sandbox);

    private async Task<NotebookRun> RunAsync(NotebookDocument notebook, string workingDirectory, Sandbox? sandbox)
    {
        var executed = notebook.Clone();
        var results = new List<CellResult>();
        var run = new RunState(Stopwatch.StartNew());
        var replay = new List<NotebookCell>();
        progress.Write($"{notebook.Name}: starting the engine … ");
        progress.Flush();
        try
        {
            run.Session = await EngineSession.StartAsync(toolDll, workingDirectory, notebook.Name, sandbox);
            progress.Write("running ");
            progress.Flush();
            foreach (var (cell, number) in executed.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode))
            {
                var (result, outputs, executionCount) = await RunCellAsync(run, cell, number);
                cell.Json["outputs"] = outputs;
                cell.Json["execution_count"] = executionCount;
                results.Add(result);
                ReportProgress(result.Status);
                if (result.Status == CellStatus.Succeeded && cell.Marker?.Kind != MarkerKind.Check)
                {
                    replay.Add(cell);
                }
                else if (result.Status is CellStatus.TimedOut or CellStatus.Crashed)
                {
                    run.Session?.Dispose();
                    run.Session = null;
                    if (sandbox is not { IsConfined: true } confined)
                    {
                        // The run verb shows a lesson as it is: no replay in a fresh kernel, the rest is reported as not run.
                        run.StopReason ??= result.Status == CellStatus.Crashed
                            ? $"not run: the kernel exited in cell {number}"
                            : "not run: an earlier cell ran past its time limit";
                    }
                    else if (run.StopReason is null && executed.Cells.Skip(number).Any(c => c.IsCode))
                    {
                        // A fresh kernel only when a code cell is left to run in it (a restart costs seconds per submission).
                        await RestartAsync(run, replay, workingDirectory, notebook.Name, confined, number);
                    }
                }
            }
        }
        finally
        {
            run.Session?.Dispose();
            progress.WriteLine($" {run.Clock.Elapsed.TotalSeconds:0.0} s");
        }

        return new NotebookRun(executed, results);
    }

    /// <summary>A fresh kernel, brought to where the dead one was: the cells that succeeded before run again (their outputs are not kept).</summary>
    private async Task RestartAsync(RunState run, List<NotebookCell> replay, string workingDirectory, string name, Sandbox sandbox, int failedCell)
    {
        if (run.Restarts >= MaxRestarts)
        {
            run.StopReason = $"not run: the kernel was restarted {MaxRestarts} times, the most one submission gets";
            return;
        }

        run.Restarts++;
        progress.Write("R");
        try
        {
            run.Session = await EngineSession.StartAsync(toolDll, workingDirectory, name, sandbox);
            foreach (var cell in replay)
            {
                var limit = NotebookTimeout - run.Clock.Elapsed;
                var command = new SubmitCode(cell.Source);
                var (outcome, _) = await SendAsync(run.Session, command, limit < CellTimeout ? limit : CellTimeout);
                if (outcome is not Outcome.Completed)
                {
                    throw new CourseException(outcome == Outcome.Exited ? "the kernel exited again" : "a cell ran past its time limit again");
                }
            }
        }
        catch (CourseException e)
        {
            run.Session?.Dispose();
            run.Session = null;
            run.StopReason = $"not run: the kernel could not be brought back after cell {failedCell} ({e.Message})";
        }
    }

    private enum Outcome
    {
        Completed,
        TimedOut,
        Exited,
        Flooded,
    }

    /// <summary>Sends one command; says whether it completed, ran past <paramref name="limit"/> or the kernel exited under it.</summary>
    /// <remarks>With a <paramref name="watch"/>, a cell that prints more than <see cref="OutputWatch.Limit"/> characters is stopped (<see cref="Outcome.Flooded"/>).</remarks>
    private static async Task<(Outcome Outcome, KernelCommandResult? Result)> SendAsync(EngineSession session, KernelCommand command, TimeSpan limit, OutputWatch? watch = null)
    {
        if (limit <= TimeSpan.Zero)
        {
            return (Outcome.TimedOut, null);
        }

        using var stop = new CancellationTokenSource();
        var send = session.Kernel.SendAsync(command, CancellationToken.None);
        // The launch script records the kernel's exit code the moment it exits: a dead kernel is noticed at once, not at the time limit.
        var exited = session.Sandbox is { } box ? box.KernelExitedAsync(stop.Token) : Task.Delay(Timeout.Infinite, stop.Token);
        var flooded = watch?.Flooded ?? Task.Delay(Timeout.Infinite, stop.Token);
        var first = await Task.WhenAny(send, exited, flooded, Task.Delay(limit, stop.Token));
        await stop.CancelAsync();
        if (first == flooded)
        {
            return (Outcome.Flooded, null);
        }

        if (first == send && session.Sandbox?.KernelExitCode is null)
        {
            return (Outcome.Completed, await send);
        }

        return (first == send || first == exited ? Outcome.Exited : Outcome.TimedOut, null);
    }

    /// <summary>Runs one code cell (or says why it does not run): its result, its Jupyter outputs and its execution count.</summary>
    // Length: one cell's every way to end (not run, empty, another kernel, past the notebook's limit, too much output, the kernel exited, past its limit, ran) side by side.
    private async Task<(CellResult Result, JsonArray Outputs, int? ExecutionCount)> RunCellAsync(RunState run, NotebookCell cell, int number)
    {
        var outputs = new JsonArray();
        var source = cell.Source;
        if (run.StopReason is { } reason || run.Session is null)
        {
            return (new CellResult(number, cell.Marker, CellStatus.NotRun, run.StopReason ?? "not run: no kernel", TimeSpan.Zero), outputs, null);
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
            run.StopReason = $"not run: the notebook ran past its time limit of {NotebookTimeout.TotalSeconds:0} s";
            return (new CellResult(number, cell.Marker, CellStatus.TimedOut, $"timed out: the notebook ran past its time limit of {NotebookTimeout.TotalSeconds:0} s", TimeSpan.Zero), outputs, null);
        }

        var executionCount = ++run.ExecutionCount;
        var cellClock = Stopwatch.StartNew();
        var command = new SubmitCode(source);
        using var watch = new OutputWatch(run.Session.Kernel, command.GetOrCreateToken());
        var (outcome, result) = await SendAsync(run.Session, command, limit, watch);
        if (outcome == Outcome.Flooded)
        {
            // Stopped like a cell past its time limit (the kernel is killed and, in the sandbox, restarted): what it printed first is kept.
            var (head, note) = watch.Shown();
            outputs.Add(Stream("stdout", head));
            outputs.Add(ErrorOutput(note));
            return (new CellResult(number, cell.Marker, CellStatus.Crashed, note, cellClock.Elapsed), outputs, null);
        }

        if (outcome == Outcome.Exited)
        {
            var code = run.Session.Sandbox?.KernelExitCode;
            var message = $"the kernel exited with code {code?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "?"} in cell {number}{Meaning(code)}";
            outputs.Add(ErrorOutput(message));
            return (new CellResult(number, cell.Marker, CellStatus.Crashed, message, cellClock.Elapsed), outputs, null);
        }

        if (outcome == Outcome.TimedOut)
        {
            // Cancel does not stop a stuck submission: the kernel is killed (its whole process group).
            var what = limit == cellLimit ? $"the cell time limit of {cellLimit.TotalSeconds:0} s" : $"the notebook time limit of {NotebookTimeout.TotalSeconds:0} s";
            var message = $"timed out: cell {number} ran past {what}; the kernel was stopped";
            if (limit != cellLimit)
            {
                run.StopReason = $"not run: the notebook ran past its time limit of {NotebookTimeout.TotalSeconds:0} s";
            }

            outputs.Add(ErrorOutput(message));
            return (new CellResult(number, cell.Marker, CellStatus.TimedOut, message, cellClock.Elapsed), outputs, null);
        }

        var error = Collect(result!, command, outputs, executionCount);
        return (new CellResult(number, cell.Marker, error is null ? CellStatus.Succeeded : CellStatus.Failed, error, cellClock.Elapsed), outputs, executionCount);
    }

    /// <summary>What an exit code of bash's usual 128 + signal form says.</summary>
    private static string Meaning(int? code) => code switch
    {
        134 => " (SIGABRT: a stack overflow, Environment.FailFast or an unhandled exception)",
        137 => " (SIGKILL)",
        139 => " (SIGSEGV)",
        0 => " (the code ended the process, e.g. Environment.Exit)",
        _ => "",
    };

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
            CellStatus.Crashed => "X",
            _ => "",
        });
        progress.Flush();
    }

    /// <summary>What a notebook run carries from cell to cell: its clock, the kernel, the execution count, the restarts, why it stopped.</summary>
    private sealed class RunState(Stopwatch clock)
    {
        public Stopwatch Clock { get; } = clock;

        public EngineSession? Session { get; set; }

        public int ExecutionCount { get; set; }

        public int Restarts { get; set; }

        /// <summary>Set once no further cell runs: the message each later cell gets.</summary>
        public string? StopReason { get; set; }
    }

    /// <summary>Turns a cell's events into Jupyter outputs; returns the error text when the cell failed.</summary>
    private static string? Collect(KernelCommandResult result, KernelCommand command, JsonArray outputs, int executionCount)
    {
        string? error = null;
        var diagnostics = new List<string>();
        // Events come back with deserialized copies of the command: match by token. A child
        // command's events (token "….1", e.g. the engine's own start-up work) are not this cell's.
        var token = command.GetOrCreateToken();
        // What a cell printed is kept up to ReportText.OutputCap characters in all, then one note says how much more there was.
        var (shown, cut) = (0, 0L);
        void Print(string name, string text)
        {
            var kept = Math.Clamp(ReportText.OutputCap - shown, 0, text.Length);
            (shown, cut) = (shown + kept, cut + text.Length - kept);
            if (kept > 0) outputs.Add(Stream(name, text[..kept]));
        }

        foreach (var e in result.Events.Where(e => e.Command?.GetOrCreateToken() == token))
        {
            switch (e)
            {
                case StandardOutputValueProduced o:
                    Print("stdout", OutputWatch.Plain(o.FormattedValues));
                    break;
                case StandardErrorValueProduced o:
                    Print("stderr", OutputWatch.Plain(o.FormattedValues));
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

        if (cut > 0)
        {
            outputs.Add(Stream("stderr", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"… [{cut:N0} more characters of this cell's output not shown: a graded cell shows at most {ReportText.OutputCap:N0}]")));
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
