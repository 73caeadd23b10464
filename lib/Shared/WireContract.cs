// The strings the course tool (lib/Backprop.Course) and the kit (lib/Backprop.Coursework, lib/Backprop.Lessons) must
// agree on, in one file that each of those projects compiles in (<Compile Include="../Shared/WireContract.cs" />), so
// they are equal by construction and no test has to keep copies equal. Everything here is internal to each assembly:
// no public API, no project reference between the tool and the kit. Namespace Backprop, the namespace all three
// projects sit under, so they use it without a using directive.
namespace Backprop;

/// <summary>The strings one side writes and the other reads. Changing one changes both sides at the next build.</summary>
internal static class WireContract
{
    /// <summary>
    /// How the attestation line starts. Written by the kit (Backprop.Coursework's <c>Check.Attest</c>, which the grader
    /// appends to each check cell); read by the course tool's grader (<c>Grader.Attested</c>), which removes the line
    /// from the outputs.
    /// </summary>
    public const string AttestationPrefix = "backprop-check-attestation ";

    /// <summary>
    /// What an exercise's stub says. Written by the course tool's release (<c>StubSolutions.Stub</c>: the stub throws
    /// <c>NotImplementedException("Exercise {id}: not attempted yet")</c>) and by the kit's check
    /// (<c>Check.Exercise</c> reports a stub's <see cref="NotImplementedException"/> with it); read by people and
    /// the tests.
    /// </summary>
    public const string NotAttempted = "not attempted yet";

    /// <summary>
    /// The <c>id</c> of the script element that carries plotly.js inline in a kernel's first chart output. Written by
    /// the kit (Backprop.Lessons' <c>NotebookSupport.ChartHtml</c>); read by the course tool's web book and chart
    /// pictures (<c>ChartHtml.WithoutInlinePlotly</c>), which drop that inline copy for a shared file.
    /// </summary>
    public const string ChartScriptId = "backprop-plotly-js";

    /// <summary>
    /// The class of the element that wraps every chart output of the kit. Written by the kit
    /// (<c>NotebookSupport.ChartHtml</c>); read by the course tool's web book (<c>Site</c>), which wraps a chart
    /// without it in one.
    /// </summary>
    public const string ChartClass = "backprop-chart";

    /// <summary>
    /// The name of the plotly.js file the lesson apps' chart pages load (Backprop.Lessons' <c>LessonApp</c> writes it
    /// beside them) and that the kit build copies into artifacts/kit (the course tool's <c>Kit.PlotlyJs</c> reads it);
    /// the end of <see cref="PlotlyJsResource"/>.
    /// </summary>
    public const string PlotlyJsFile = "plotly-2.28.0.min.js";

    /// <summary>
    /// The name of plotly.js embedded in the pinned Plotly.NET assembly. Read by the kit (<c>NotebookSupport</c>,
    /// <c>LessonApp</c>).
    /// </summary>
    public const string PlotlyJsResource = "Plotly.NET." + PlotlyJsFile;

    /// <summary>
    /// The namespace of the kit's lesson-app types (Backprop.Lessons' <c>LessonApp</c>, <c>LessonCell</c>,
    /// <c>HtmlFragment</c>). The course tool's app exporter writes a <c>using</c> of it into every app it generates.
    /// </summary>
    public const string LessonAppNamespace = "Backprop.Lessons";

    /// <summary>
    /// The full name of the kit's HTML fragment type (Backprop.Lessons' <c>HtmlFragment</c>, what <c>LessonApp.Html</c>
    /// returns). Read by the course tool's app exporter (<c>AppExporter</c>), which lets a cell display a value of it.
    /// </summary>
    public const string HtmlFragmentType = LessonAppNamespace + ".HtmlFragment";

    /// <summary>
    /// The option that names the app transcript's file (<see cref="AppTranscript"/>). Passed by the course tool
    /// (<c>AppRunner.RunAppAsync</c>); read by the kit (<c>LessonApp.Run</c>).
    /// </summary>
    public const string TranscriptOption = "--transcript";

    /// <summary>
    /// How a check's message names an exception the student's code threw: Backprop.Coursework's Check.Exercise writes
    /// "your code threw T: message"; the course tool's grader keeps T and drops the message where hidden checks ran.
    /// </summary>
    public const string CodeThrew = "your code threw ";

    /// <summary>
    /// How a check line starts when it recorded an answer instead of judging it (<c>Check.Recorded</c>); validate reads it
    /// to show such an exercise as recorded, not passed.
    /// </summary>
    public const string AnswerRecorded = "●";
}

/// <summary>
/// What a lesson app writes with <see cref="WireContract.TranscriptOption"/>: each cell's result and printed text, as
/// JSON. Written by the kit (Backprop.Lessons' <c>LessonApp.Run</c>); read by the course tool (<c>AppRunner</c>).
/// </summary>
/// <param name="Lesson">The lesson's name, the notebook's file name without .ipynb.</param>
/// <param name="Cells">The code cells run, in order.</param>
internal sealed record AppTranscript(string Lesson, IReadOnlyList<AppCell> Cells);

/// <summary>One cell of an <see cref="AppTranscript"/>.</summary>
/// <param name="Number">The cell's 1-based position among all the notebook's cells.</param>
/// <param name="Marker">The cell's marker without the comment slashes ("CHECK 02.1"), or null.</param>
/// <param name="Status"><see cref="Succeeded"/> or <see cref="Failed"/>.</param>
/// <param name="Error">What the cell threw, or null.</param>
/// <param name="Output">What the cell printed.</param>
/// <param name="Seconds">How long the cell ran.</param>
/// <param name="Charts">The chart pages the cell wrote (file names).</param>
internal sealed record AppCell(int Number, string? Marker, string Status, string? Error, string Output, double Seconds, IReadOnlyList<string> Charts)
{
    /// <summary>The <see cref="Status"/> of a cell that ran to its end.</summary>
    public const string Succeeded = "Succeeded";

    /// <summary>The <see cref="Status"/> of a cell that threw.</summary>
    public const string Failed = "Failed";
}
