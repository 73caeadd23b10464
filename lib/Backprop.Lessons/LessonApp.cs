using System.Diagnostics;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Plotly.NET;

namespace Backprop.Lessons;

/// <summary>
/// What a lesson exported as a C# file-based app (<c>dotnet run 02-backpropagation.cs</c>, written by the course
/// tool's <c>export apps</c>) runs on: its code cells in order, each on its own, as the notebook runs them. A cell that
/// throws (a check that fails, say) is reported by its number and the next cells still run, as in the notebook.
/// </summary>
/// <remarks>
/// Standard output carries exactly what the cells print, nothing else; the app's own lines (a failed cell, a chart
/// written, the summary) go to standard error. Every chart a cell shows is written as an offline HTML page beside the
/// app (<c>02-backpropagation-cell24-1.html</c>, next to one copy of plotly.js taken from Plotly.NET), and relative
/// paths in the cells mean what they mean in the notebook: the cells run in the notebook's folder.
/// </remarks>
public static class LessonApp
{
    /// <summary>The name of the plotly.js file the chart pages load, written once beside them.</summary>
    public const string PlotlyScript = WireContract.PlotlyJsFile;

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly Lock s_gate = new();
    private static Session? s_session;

    /// <summary>
    /// Runs the lesson's <paramref name="cells"/> in order and returns the process exit code: 0 when every cell
    /// succeeded, 1 when any threw. Options in <paramref name="args"/>: <c>--charts DIR</c> (where the chart pages go;
    /// default the app's folder) and <c>--transcript FILE</c> (a JSON record of every cell: status, error, printed
    /// text, charts; the course tool reads it).
    /// </summary>
    /// <param name="args">The app's command-line arguments.</param>
    /// <param name="lesson">The lesson's name, the notebook's file name without .ipynb (e.g. "02-backpropagation").</param>
    /// <param name="notebookFolder">The notebook's folder relative to the app's folder: the cells run there.</param>
    /// <param name="cells">The lesson's code cells, in the notebook's order.</param>
    public static int Run(string[] args, string lesson, string notebookFolder, params IReadOnlyList<LessonCell> cells)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentException.ThrowIfNullOrWhiteSpace(lesson);
        ArgumentNullException.ThrowIfNull(cells);
        var appFolder = AppContext.GetData("EntryPointFileDirectoryPath") as string ?? Directory.GetCurrentDirectory();
        var charts = Path.GetFullPath(Option(args, "--charts") ?? appFolder);
        var transcript = Option(args, WireContract.TranscriptOption) is { } t ? Path.GetFullPath(t) : null;
        var folder = Path.GetFullPath(Path.Combine(appFolder, notebookFolder));
        if (Directory.Exists(folder))
        {
            Directory.SetCurrentDirectory(folder);
        }

        var stdout = Console.Out;
        var stderr = Console.Error;
        var tee = new CellWriter(stdout);
        var session = new Session(lesson, charts, stderr);
        lock (s_gate)
        {
            s_session = session;
        }

        var records = new List<AppCell>();
        Console.SetOut(tee);
        try
        {
            foreach (var cell in cells)
            {
                records.Add(RunCell(cell, session, tee, stderr));
            }
        }
        finally
        {
            Console.SetOut(stdout);
            lock (s_gate)
            {
                s_session = null;
            }
        }

        var failed = records.Count(r => r.Error is not null);
        Report(lesson, records, charts, transcript, stderr);
        return failed == 0 ? 0 : 1;
    }

    /// <summary>Runs one cell as the notebook would: what it prints captured, an exception recorded, the charts it wrote listed.</summary>
    private static AppCell RunCell(LessonCell cell, Session session, CellWriter tee, TextWriter stderr)
    {
        session.Cell = cell.Number;
        session.ChartCount = 0;
        tee.Start();
        var clock = Stopwatch.StartNew();
        string? error = null;
        try
        {
            cell.Run();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            error = e.ToString();   // a check's exception prints only its message, as in the notebook
        }

        Console.Out.Flush();
        var where = cell.Marker is null ? $"cell {cell.Number}" : $"cell {cell.Number} ({cell.Marker})";
        if (error is not null)
        {
            stderr.WriteLine($"✘ {where} failed: {error}");
        }

        var record = new AppCell(cell.Number, cell.Marker, error is null ? AppCell.Succeeded : AppCell.Failed, error, tee.Text, clock.Elapsed.TotalSeconds, [.. session.Written]);
        session.Written.Clear();
        return record;
    }

    /// <summary>The one-line summary on standard error, and the transcript the course tool reads when one was asked for.</summary>
    private static void Report(string lesson, List<AppCell> records, string charts, string? transcript, TextWriter stderr)
    {
        var failed = records.Count(r => r.Error is not null);
        var checks = records.Where(r => r.Marker?.StartsWith("CHECK", StringComparison.Ordinal) == true).ToList();
        var chartCount = records.Sum(r => r.Charts.Count);
        stderr.WriteLine($"{(failed == 0 ? "✔" : "✘")} {lesson}: {records.Count} code cells run, {failed} failed, exercise checks passed {checks.Count(c => c.Error is null)}/{checks.Count}"
            + (chartCount > 0 ? $"; {chartCount} chart(s) written to {charts}" : ""));
        if (transcript is not null)
        {
            Directory.CreateDirectory(Path.GetDirectoryName(transcript)!);
            File.WriteAllText(transcript, JsonSerializer.Serialize(new AppTranscript(lesson, records), s_json));
        }
    }

    /// <summary>
    /// What a notebook shows as a cell's result, <c>display(…)</c> or a cell's last expression: a chart is written as
    /// an offline HTML page (plotly.js from Plotly.NET beside it), and so is an <see cref="Html"/> fragment.
    /// </summary>
    /// <param name="value">A Plotly.NET chart or an <see cref="HtmlFragment"/>.</param>
    /// <exception cref="ArgumentException">For any other value: the exporter lets only charts and HTML through.</exception>
    public static void Display(object? value)
    {
        var (title, body) = value switch
        {
            GenericChart chart => ("chart", GenericChart.toChartHTML(chart)),
            HtmlFragment html => ("table", html.Html),
            null => throw new ArgumentNullException(nameof(value), "display(null): nothing to show."),
            _ => throw new ArgumentException($"display({value.GetType().Name}): a lesson app shows charts and HTML only; print other values with Console.WriteLine.", nameof(value)),
        };
        Session? session;
        lock (s_gate)
        {
            session = s_session;
        }

        if (session is null)
        {
            throw new InvalidOperationException("LessonApp.Display is called by a lesson's cells while LessonApp.Run runs them.");
        }

        session.Write(title, body);
    }

    /// <summary>The notebook's <c>HTML(…)</c>: marks <paramref name="html"/> as HTML for <see cref="Display"/>.</summary>
    /// <param name="html">An HTML fragment, such as one of the kit's tables.</param>
    public static HtmlFragment Html(string html) => new(html ?? throw new ArgumentNullException(nameof(html)));

    private static string? Option(string[] args, string name)
    {
        var i = Array.IndexOf(args, name);
        if (i < 0)
        {
            return null;
        }

        return i + 1 < args.Length ? args[i + 1] : throw new ArgumentException($"{name} needs a value.", nameof(args));
    }

    /// <summary>One run of a lesson: where its charts go and which cell is running.</summary>
    private sealed class Session(string lesson, string folder, TextWriter log)
    {
        private bool _scriptWritten;

        public int Cell { get; set; }

        public int ChartCount { get; set; }

        public List<string> Written { get; } = [];

        public void Write(string kind, string body)
        {
            Directory.CreateDirectory(folder);
            if (!_scriptWritten)
            {
                var script = Path.Combine(folder, PlotlyScript);
                using var resource = typeof(GenericChart).Assembly.GetManifestResourceStream(WireContract.PlotlyJsResource)
                    ?? throw new InvalidOperationException($"Plotly.NET has no embedded {WireContract.PlotlyJsResource}: the pinned Plotly.NET version changed.");
                using (var file = File.Create(script))
                {
                    resource.CopyTo(file);
                }

                _scriptWritten = true;
            }

            ChartCount++;
            var name = $"{lesson}-cell{Cell:00}-{ChartCount}.html";
            var title = System.Net.WebUtility.HtmlEncode($"{lesson}, cell {Cell}, {kind} {ChartCount}");
            File.WriteAllText(Path.Combine(folder, name), $"""
                <!doctype html>
                <html><head><meta charset="utf-8"><title>{title}</title>
                <script src="{PlotlyScript}"></script>
                <style>body {"{"} margin: 10px; font-family: sans-serif; {"}"}</style>
                </head><body>
                {body}
                </body></html>

                """, new UTF8Encoding(false));
            Written.Add(name);
            log.WriteLine($"  cell {Cell}: {kind} written to {name}");
        }
    }

    /// <summary>Console.Out while the cells run: everything goes to the real output and is kept per cell for the transcript.</summary>
    private sealed class CellWriter(TextWriter output) : TextWriter
    {
        private readonly StringBuilder _cell = new();

        public override Encoding Encoding => output.Encoding;

        public string Text => _cell.ToString();

        public void Start() => _cell.Clear();

        public override void Write(char value)
        {
            output.Write(value);
            _cell.Append(value);
        }

        public override void Write(string? value)
        {
            output.Write(value);
            _cell.Append(value);
        }

        public override void Write(char[] buffer, int index, int count)
        {
            output.Write(buffer, index, count);
            _cell.Append(buffer, index, count);
        }

        public override void Flush() => output.Flush();
    }
}

/// <summary>One code cell of a lesson app: its number among the notebook's cells, its marker and its code.</summary>
/// <param name="Number">The cell's 1-based position among all the notebook's cells, as the course tool counts them.</param>
/// <param name="Marker">The cell's marker without the comment slashes ("CHECK 02.1", "EXERCISE 02.1", "SETUP 2/2"), or null.</param>
/// <param name="Run">The cell's code.</param>
public sealed record LessonCell(int Number, string? Marker, Action Run);

/// <summary>An HTML fragment a cell shows (the notebook's <c>HTML(…)</c>); <see cref="LessonApp.Display"/> writes it as a page.</summary>
/// <param name="Html">The fragment.</param>
public sealed record HtmlFragment(string Html);
