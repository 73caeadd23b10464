using System.Globalization;
using System.Text;
using Microsoft.CodeAnalysis;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

/// <summary>The web book's pages: the index, a lesson's page, its cells and outputs, the navigation column.</summary>
internal static partial class Site
{
    private static string IndexPage(IReadOnlyList<Lesson> lessons, IReadOnlyList<Page> pages)
    {
        var body = new StringBuilder();
        body.Append("<main class=\"index\">\n<h1>Backpropagation, lesson by lesson</h1>\n");
        body.Append("<p class=\"lead\">The lessons of Backprop.Notebooks as they ran: every formula, every printed result, every chart (move the mouse over a curve to read it) and every exercise check. Each lesson links to its notebook and to the same lesson as a C# file-based app. The exercises show the stubs you fill in; their checks ran on the lecturer's solutions, which this book leaves out.</p>\n");
        body.Append("<ol class=\"lesson-map\">\n");
        foreach (var (lesson, page) in lessons.Zip(pages))
        {
            body.Append(CultureInfo.InvariantCulture, $"<li><a href=\"{Attr(lesson.Name)}.html\"><span class=\"lesson-title\">{Esc(lesson.Title)}</span></a>\n");
            body.Append(CultureInfo.InvariantCulture, $"<div class=\"lesson-summary\">{lesson.SummaryHtml}</div>\n");
            var facts = new List<string>();
            if (page.Charts > 0)
            {
                facts.Add($"{page.Charts} chart{(page.Charts == 1 ? "" : "s")}");
            }

            if (page.Checks > 0)
            {
                facts.Add($"exercise checks passed {page.ChecksPassed}/{page.Checks} in the instructor's run");
            }

            body.Append(CultureInfo.InvariantCulture, $"<div class=\"lesson-facts\">{Esc(string.Join(" · ", facts))}</div></li>\n");
        }

        body.Append("</ol>\n</main>\n");
        return Document("Backprop.Notebooks — the lessons", Nav(lessons, -1), body.ToString());
    }

    private static (string Html, int Charts, int Formulas, int Checks, int Passed) LessonPage(IReadOnlyList<Lesson> lessons, int index, IReadOnlyDictionary<string, string> apps, LiveBook live)
    {
        var lesson = lessons[index];
        var body = new StringBuilder();
        int charts = 0, formulas = 0, checks = 0, passed = 0;
        body.Append("<main class=\"lesson\">\n").Append(LiveHead(live)).Append(Links(lesson.Name, apps.ContainsKey(lesson.Name)));
        var setup = new StringBuilder();
        var liveCells = new List<LiveCell>();
        var cells = lesson.Document.Cells;
        for (var i = 0; i < cells.Count; i++)
        {
            var cell = cells[i];
            var number = i + 1;
            if (!cell.IsCode)
            {
                var html = RenderMarkdown(cell.Source);
                formulas += MathSpan().Matches(html).Count;
                body.Append("<section class=\"cell markdown\">\n").Append(html).Append("</section>\n");
                continue;
            }

            if (string.IsNullOrWhiteSpace(cell.Source))
            {
                continue;
            }

            var marker = cell.Marker;
            var failed = cell.Outputs.OfType<ErrorOutput>().Any();
            if (marker is { Kind: MarkerKind.Check })
            {
                checks++;
                passed += failed ? 0 : 1;
            }

            // The code a student gets (a published book must not give the solutions or the hidden checks away), the outputs of the run
            // — except under a public check that only records the answer: the run's output is the hidden checks' verdict on the
            // instructor's answer, and the recorded value would be the answer itself.
            var studentSource = lesson.Shown.Cells[i].Source;
            liveCells.Add(new LiveCell($"cell-{number}", i, marker, studentSource));
            var recorded = marker is { Kind: MarkerKind.Check } && studentSource.Contains("Check.Recorded(", StringComparison.Ordinal);
            var code = CodeCell(number, marker, failed, recorded, studentSource, recorded ? RecordedOutput(marker!.Id) : Outputs(cell.Outputs, ref charts));
            if (marker is { Kind: MarkerKind.Setup })
            {
                setup.Append(code);
            }
            else
            {
                if (setup.Length > 0)
                {
                    body.Append("<details class=\"setup\"><summary>Setup cells: build and load the kit</summary>\n").Append(setup).Append("</details>\n");
                    setup.Clear();
                }

                body.Append(code);
            }
        }

        body.Append(Pager(lessons, index)).Append(LiveData(lesson, liveCells, live)).Append("</main>\n");
        return (Document(lesson.Title + " — Backprop.Notebooks", Nav(lessons, index), body.ToString()), charts, formulas, checks, passed);
    }

    /// <summary>The tooltip of a check's "passed" badge: the book shows the instructor's run, not the stub above it.</summary>
    private const string InstructorRunNote =
        "The check passed on the lecturer's solution when the book was made. The exercise above shows the stub you fill in: run the notebook or the app to check your own answer.";

    /// <summary>What a public check that only records the answer shows in place of the run's output.</summary>
    private static string RecordedOutput(string id) =>
        $"<div class=\"outputs\">\n<pre class=\"output stdout prose\">{WireContract.AnswerRecorded} Exercise {Esc(id)}: this check records your answer when you run it; the answer is checked when your lecturer grades.\n</pre>\n</div>\n";

    /// <summary>The links to the lesson's notebook and, when there is one, its app.</summary>
    private static string Links(string lesson, bool hasApp)
    {
        var links = new StringBuilder("<div class=\"lesson-links\">");
        links.Append(CultureInfo.InvariantCulture, $"<a href=\"notebooks/{Attr(lesson)}.ipynb\" download>Notebook ({Esc(lesson)}.ipynb)</a>");
        if (hasApp)
        {
            links.Append(CultureInfo.InvariantCulture, $"<a href=\"apps/{Attr(lesson)}.cs\">App ({Esc(lesson)}.cs, <code>dotnet run</code>)</a>");
        }

        return links.Append("</div>\n").ToString();
    }

    /// <summary>A code cell's section: its head (number, check result or exercise label), its highlighted source, its outputs.</summary>
    private static string CodeCell(int number, Marker? marker, bool failed, bool recorded, string studentSource, string outputs)
    {
        var code = new StringBuilder();
        var kind = marker?.Kind switch
        {
            MarkerKind.Check => "check",
            MarkerKind.Exercise => "exercise",
            MarkerKind.Setup => "setup",
            _ => "plain",
        };
        code.Append(CultureInfo.InvariantCulture, $"<section class=\"cell code {kind}\" id=\"cell-{number}\">\n<div class=\"cell-head\"><a href=\"#cell-{number}\">cell {number}</a>");
        if (marker is { Kind: MarkerKind.Check } && recorded)
        {
            code.Append(CultureInfo.InvariantCulture, $"<span class=\"check-result recorded\">{WireContract.AnswerRecorded} check {Esc(marker.Id)} records, graded later</span>");
        }
        else if (marker is { Kind: MarkerKind.Check })
        {
            code.Append(failed
                ? $"<span class=\"check-result fail\">✘ check {Esc(marker.Id)} failed</span>"
                : $"<span class=\"check-result pass\" title=\"{InstructorRunNote}\">✔ check {Esc(marker.Id)} passed in the instructor's run</span>");
        }
        else if (marker is { Kind: MarkerKind.Exercise })
        {
            code.Append(CultureInfo.InvariantCulture, $"<span class=\"exercise-label\">exercise {Esc(marker.Id)}</span>");
        }

        code.Append("</div>\n");
        var source = $"<pre class=\"source\"><code>{CSharpHighlighter.Html(studentSource)}</code></pre>\n";
        if (marker is { Kind: MarkerKind.Check })
        {
            // A check's code is the lecturer's, not part of the lesson: folded like the setup cells, its verdict and output stay in view.
            var lines = studentSource.TrimEnd().Split('\n').Length;
            source = $"<details class=\"check-code\"><summary>The check's code ({lines} lines)</summary>\n{source}</details>\n";
        }

        code.Append(source).Append(outputs).Append("</section>\n");
        return code.ToString();
    }

    /// <summary>The links to the previous and the next lesson.</summary>
    private static string Pager(IReadOnlyList<Lesson> lessons, int index)
    {
        var pager = new StringBuilder("<nav class=\"pager\">");
        if (index > 0)
        {
            pager.Append(CultureInfo.InvariantCulture, $"<a class=\"prev\" href=\"{Attr(lessons[index - 1].Name)}.html\">← {Esc(lessons[index - 1].Title)}</a>");
        }

        if (index + 1 < lessons.Count)
        {
            pager.Append(CultureInfo.InvariantCulture, $"<a class=\"next\" href=\"{Attr(lessons[index + 1].Name)}.html\">{Esc(lessons[index + 1].Title)} →</a>");
        }

        return pager.Append("</nav>\n").ToString();
    }

    /// <summary>A code cell's outputs as HTML: text escaped, the kit's HTML (tables, charts) as it is.</summary>
    private static string Outputs(IReadOnlyList<NotebookOutput> outputs, ref int charts)
    {
        if (outputs.Count == 0)
        {
            return "";
        }

        var html = new StringBuilder("<div class=\"outputs\">\n");
        string? previousStream = null;
        foreach (var output in outputs)
        {
            switch (output)
            {
                case StreamOutput stream:
                    // Consecutive prints to one stream are one block, as a notebook shows them.
                    var name = stream.IsStderr ? "stderr" : "stdout";
                    if (name == previousStream)
                    {
                        html.Insert(html.Length - "</pre>\n".Length, Esc(stream.Text));
                    }
                    else
                    {
                        html.Append(CultureInfo.InvariantCulture, $"<pre class=\"output {name}\">{Esc(stream.Text)}</pre>\n");
                    }

                    previousStream = name;
                    continue;
                case ErrorOutput error:
                    html.Append(CultureInfo.InvariantCulture, $"<pre class=\"output error\">{Esc(error.Name + ": " + error.Value)}</pre>\n");
                    break;
                case DataOutput data when data.Text("text/html") is { } value:
                    if (ChartHtml.IsChart(value))
                    {
                        charts++;
                        value = ChartHtml.WithoutInlinePlotly(value);
                        html.Append("<div class=\"output chart\">\n").Append(value.Contains(WireContract.ChartClass, StringComparison.Ordinal) ? value : $"<div class=\"{WireContract.ChartClass}\">{value}</div>").Append("\n</div>\n");
                    }
                    else
                    {
                        html.Append("<div class=\"output html\">\n").Append(value).Append("\n</div>\n");
                    }

                    break;
                case DataOutput data when data.Text("text/plain") is { } plain:
                    html.Append(CultureInfo.InvariantCulture, $"<pre class=\"output result\">{Esc(plain)}</pre>\n");
                    break;
            }

            previousStream = null;
        }

        return html.Append("</div>\n").ToString();
    }

    private static string Nav(IReadOnlyList<Lesson> lessons, int current)
    {
        var nav = new StringBuilder("<nav class=\"toc\" aria-label=\"Lessons\">\n<a class=\"home\" href=\"index.html\">Backprop.Notebooks</a>\n<ol>\n");
        for (var i = 0; i < lessons.Count; i++)
        {
            nav.Append(CultureInfo.InvariantCulture, $"<li{(i == current ? " class=\"current\"" : "")}><a href=\"{Attr(lessons[i].Name)}.html\">{Esc(lessons[i].ShortTitle)}</a></li>\n");
        }

        return nav.Append("</ol>\n</nav>\n").ToString();
    }

    private static string Document(string title, string nav, string body) =>
        Template.Render("book-page.html", ("title", Esc(title)), ("nav", nav), ("body", body));
}
