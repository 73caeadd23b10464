using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

/// <summary>
/// What a lesson page carries for the live book (issue 21; assets/book-live.js reads it): a status line, each code cell's
/// id, kind, exercise and source, and the lesson's notebook to download with the student's code in it.
/// </summary>
internal static partial class Site
{
    /// <summary>The command that serves a built site (the pages name it where the live book cannot start).</summary>
    public const string ServeCommand = "dotnet run --project lib/Backprop.Course -- serve";

    /// <summary>The id of the script element (JSON) that carries a page's live data.</summary>
    public const string LiveDataId = "backprop-lesson";

    /// <summary>What the line at the top of a page says when the page is opened from disk (book-live.js leaves it there).</summary>
    public const string ReadOnlyLine =
        "This is the read-only book. To edit and run its cells in your browser, serve the folder — " + ServeCommand + " (or any static web server) — and open the page over http://.";

    /// <summary>What the line says when the site was built without the runtime (no lib/Backprop.Book in the repository).</summary>
    public const string NotBuiltLine =
        "This is the read-only book: its live version is not built (no live/ folder). To edit and run the cells in your browser, build the site where the repository has lib/Backprop.Book, serve it — " + ServeCommand + " — and open it over http://.";

    /// <summary>The banner of the instructor version's pages.</summary>
    public const string InstructorBanner = "Instructor version — do not publish: this page shows the solutions and the hidden checks.";

    private static readonly JsonSerializerOptions s_pageJson = new() { Encoder = JavaScriptEncoder.Default };   // escapes < > & ': safe inside <script>

    /// <summary>How the pages are built for the live layer.</summary>
    /// <param name="Runtime">The site has the runtime (live/book-runtime.js).</param>
    /// <param name="Instructor">The instructor version (solutions shown, banner).</param>
    private sealed record LiveBook(bool Runtime, bool Instructor);

    /// <summary>One code cell as the live layer sees it.</summary>
    /// <param name="Id">The cell's element id on the page (<c>cell-N</c>, N its 1-based place in the notebook).</param>
    /// <param name="Index">Its 0-based place in the notebook (the download writes its source there).</param>
    /// <param name="Marker">Its marker: exercise, check, setup, or none (a lesson cell).</param>
    /// <param name="Source">Its source as the page shows it (the stub in an exercise cell of the student version).</param>
    private sealed record LiveCell(string Id, int Index, Marker? Marker, string Source)
    {
        public string Kind => Marker?.Kind switch
        {
            MarkerKind.Exercise => "exercise",
            MarkerKind.Check => "check",
            MarkerKind.Setup => "setup",
            _ => "code",
        };

        /// <summary>The exercise an exercise or check cell belongs to ("02.1"), else null.</summary>
        public string? Exercise => Marker is { Kind: MarkerKind.Exercise or MarkerKind.Check } m ? m.Id : null;
    }

    /// <summary>
    /// The notebook a page shows: the student version (the release's copy of the repository's lesson when it has the same
    /// cells, else the executed notebook's), or the instructor's as it is; outputs cleared either way.
    /// </summary>
    private static NotebookDocument ShownNotebook(NotebookDocument executed, string repositoryNotebook, bool instructor)
    {
        if (instructor)
        {
            return executed.WithCells(executed.Cells.Select(c =>
            {
                var cell = c.Copy();
                cell.ClearOutputs();
                return cell;
            }));
        }

        if (File.Exists(repositoryNotebook))
        {
            var released = Release.ForStudents(NotebookDocument.Load(repositoryNotebook));
            if (released.Cells.Count == executed.Cells.Count)
            {
                return released;
            }
        }

        return Release.ForStudents(executed);
    }

    /// <summary>The line at the top of a lesson page (the live layer's status), and the instructor version's banner.</summary>
    private static string LiveHead(LiveBook live)
    {
        var line = $"<p class=\"live-status\" id=\"live-status\" data-live=\"{(live.Runtime ? "built" : "missing")}\">{Esc(live.Runtime ? ReadOnlyLine : NotBuiltLine)}</p>\n";
        return live.Instructor ? $"<div class=\"instructor-banner\" role=\"alert\">{Esc(InstructorBanner)}</div>\n{line}" : line;
    }

    /// <summary>The page's live data as JSON in a script element: the lesson, its code cells, its notebook (outputs cleared).</summary>
    private static string LiveData(Lesson lesson, IReadOnlyList<LiveCell> cells, LiveBook live)
    {
        var data = new JsonObject
        {
            ["lesson"] = lesson.Name,
            ["version"] = live.Instructor ? "instructor" : "student",
            ["runtime"] = live.Runtime,
            ["cells"] = new JsonArray([.. cells.Select(c => new JsonObject
            {
                ["id"] = c.Id,
                ["index"] = c.Index,
                ["kind"] = c.Kind,
                ["exercise"] = c.Exercise,
                ["source"] = c.Source,
            })]),
            ["notebook"] = JsonNode.Parse(lesson.Shown.ToJson()),
        };
        return $"<script type=\"application/json\" id=\"{LiveDataId}\">{data.ToJsonString(s_pageJson)}</script>\n";
    }
}
