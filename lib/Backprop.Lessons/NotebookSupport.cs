using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using System.Text.RegularExpressions;
using Plotly.NET;

namespace Backprop.Lessons;

/// <summary>
/// What a notebook's setup cell calls once, after the <c>#r</c> lines: makes Plotly.NET 6 charts work in the .NET
/// Interactive engine, offline.
/// </summary>
/// <remarks>
/// Plotly.NET 6.0.0 is built against FSharp.Core 10.1.0.0 while the engine ships FSharp.Core 10.0.0.0, so without the
/// resolver the first chart throws <c>FileNotFoundException: FSharp.Core, Version=10.1.0.0</c>; it answers requests for
/// FSharp.Core with the copy the engine has already loaded (the API Plotly.NET uses is in both).
/// <para>
/// Charts: Plotly.NET.Interactive's formatter makes each chart output load plotly.js from cdn.plot.ly through require.js
/// from cdnjs, so an offline notebook shows blank boxes. The kit registers its own formatter instead (see
/// <see cref="ChartHtml"/>): the first chart a kernel shows carries plotly.js (Plotly.NET's embedded copy) inline, once;
/// every chart waits for <c>window.Plotly</c> and, when it never comes (its output was cleared and the kernel has
/// already sent the library), says so in the box instead of staying blank.
/// </para>
/// </remarks>
public static partial class NotebookSupport
{
    /// <summary>The <c>id</c> of the script element that carries plotly.js inline in the first chart output of a kernel.</summary>
    public const string PlotlyScriptId = WireContract.ChartScriptId;

    /// <summary>The class of the element that wraps every chart output of the kit.</summary>
    public const string ChartClass = WireContract.ChartClass;

    private static int s_installed;
    private static int s_librarySent;

    /// <summary>
    /// Installs the FSharp.Core resolver, the kit's <see cref="Charts.ChartStyle"/> and, inside a .NET Interactive
    /// kernel, the offline chart formatter (once per kernel; calling again does nothing).
    /// </summary>
    public static void Install()
    {
        if (Interlocked.Exchange(ref s_installed, 1) == 0)
        {
            AssemblyLoadContext.Default.Resolving += ResolveFSharpCore;
            Charts.ChartStyle.Install();
            if (AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Microsoft.DotNet.Interactive.Formatting"))
            {
                RegisterChartFormatter();
            }
        }
    }

    /// <summary>
    /// A chart as notebook output HTML that needs no network: a <c>div.backprop-chart</c> holding Plotly.NET's chart
    /// markup, whose script draws as soon as <c>window.Plotly</c> exists; with <paramref name="withLibrary"/>, plotly.js
    /// itself inline first (in <c>script#backprop-plotly-js</c>, hidden from an AMD loader such as Jupyter's require.js).
    /// </summary>
    /// <param name="chart">The chart.</param>
    /// <param name="withLibrary">Whether this output carries plotly.js (the first chart of a kernel session).</param>
    public static string ChartHtml(GenericChart chart, bool withLibrary)
    {
        ArgumentNullException.ThrowIfNull(chart);
        var html = GenericChart.toChartHTML(chart);
        var call = RenderCall().Match(html);
        if (!call.Success)
        {
            throw new InvalidOperationException("Plotly.NET's chart HTML has no `renderPlotly_…();` call: the pinned Plotly.NET version changed its output.");
        }

        var waiting = $$"""
            (function (draw, id) {
              var started = Date.now();
              (function attempt() {
                var box = document.getElementById(id);
                if (window.Plotly) { if (box) { box.textContent = ""; } draw(); return; }
                if (box && Date.now() - started > 4000 && !box.textContent) {
                  box.textContent = "Waiting for plotly.js: the kit sends it once per kernel, with the first chart output. If this box stays empty, that output was cleared: restart the kernel and run the notebook from the top.";
                  box.style.cssText = "padding:1em;border:1px dashed #b00;color:#b00;font-family:sans-serif";
                }
                if (Date.now() - started < 600000) { setTimeout(attempt, 200); }
              })();
            })(renderPlotly_{{call.Groups["id"].Value}}, '{{call.Groups["div"].Value}}');
            """;
        var at = call.Groups["call"];
        html = html[..at.Index] + waiting + html[(at.Index + at.Length)..];
        var library = withLibrary
            ? $"<script type=\"text/javascript\" id=\"{PlotlyScriptId}\">(function (define, module, exports) {{\n{PlotlyJs()}\n}}).call(self);</script>\n"
            : "";
        return $"<div class=\"{ChartClass}\">\n{library}{html}\n</div>";
    }

    /// <summary>plotly.js as Plotly.NET embeds it (version 2.28.0).</summary>
    public static string PlotlyJs()
    {
        using var stream = typeof(GenericChart).Assembly.GetManifestResourceStream(WireContract.PlotlyJsResource)
            ?? throw new InvalidOperationException($"Plotly.NET has no embedded {WireContract.PlotlyJsResource}: the pinned Plotly.NET version changed.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>The HTML the formatter writes: the first chart of this process carries plotly.js, later ones do not.</summary>
    private static string FormatChart(GenericChart chart) => ChartHtml(chart, Interlocked.Exchange(ref s_librarySent, 1) == 0);

    // Touches the engine's formatting types: JIT-compiled only inside a kernel, where that assembly is loaded.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void RegisterChartFormatter() =>
        Microsoft.DotNet.Interactive.Formatting.Formatter.Register(
            typeof(GenericChart), (value, writer) => writer.Write(FormatChart((GenericChart)value)), "text/html");

    private static Assembly? ResolveFSharpCore(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == "FSharp.Core"
            ? AppDomain.CurrentDomain.GetAssemblies().FirstOrDefault(a => a.GetName().Name == "FSharp.Core")
            : null;

    [GeneratedRegex(@"Plotly\.newPlot\('(?<div>[0-9a-f-]+)'[\s\S]*?(?<call>renderPlotly_(?<id>\w+)\(\);)")]
    private static partial Regex RenderCall();
}
