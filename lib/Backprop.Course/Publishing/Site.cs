using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Backprop.Course;

/// <summary>
/// The executed lessons as an offline web book (<c>course site</c>, default <c>artifacts/site/</c>): an index with the
/// lesson map and one page per executed lesson — Markdown rendered by Markdig, LaTeX typeset by KaTeX in the browser,
/// code highlighted from Roslyn's tokens, every output in place (text, tables, interactive Plotly charts), each
/// exercise check's result, and links to the lesson's notebook and app, both copied into the site.
/// </summary>
/// <remarks>
/// Everything a page loads is inside the folder (plotly.js from the kit's Plotly.NET, KaTeX from the course tool's
/// npm install in lib/Backprop.Course/site), so it works opened from disk with no network and can be published as it
/// is. Text that comes from a notebook is HTML-escaped; only HTML outputs the kit's cells produced are kept as HTML,
/// and a chart's inlined copy of plotly.js (the notebook's offline chart formatter) is dropped for the shared file.
/// </remarks>
internal static partial class Site
{
    /// <summary>The KaTeX files the pages need, under the npm package's dist/ folder.</summary>
    private static readonly string[] s_katexFiles = ["katex.min.js", "katex.min.css"];

    private static readonly MarkdownPipeline s_markdown = new MarkdownPipelineBuilder()
        .UsePipeTables().UseEmphasisExtras().UseMathematics().UseAutoIdentifiers().DisableHtml().Build();

    /// <summary>One page written.</summary>
    /// <param name="Lesson">The notebook's name without .ipynb.</param>
    /// <param name="Path">The page's path.</param>
    /// <param name="Charts">How many charts the page draws.</param>
    /// <param name="Formulas">How many formulas it typesets.</param>
    /// <param name="Checks">How many exercise checks it shows.</param>
    /// <param name="ChecksPassed">How many of them passed.</param>
    public sealed record Page(string Lesson, string Path, int Charts, int Formulas, int Checks, int ChecksPassed);

    /// <summary>
    /// Writes the site for <paramref name="executedNotebooks"/> into <paramref name="outputFolder"/> (replacing an earlier
    /// site there) and returns its lesson pages; the index is <c>index.html</c> in that folder.
    /// </summary>
    /// <param name="executedNotebooks">Executed lesson notebooks (as <c>run</c> writes them), in lesson order.</param>
    /// <param name="outputFolder">The site folder.</param>
    /// <param name="repositoryRoot">The kit (its built artifacts/kit, its notebooks/ and the course tool's KaTeX install).</param>
    /// <param name="progress">One line per page written.</param>
    public static IReadOnlyList<Page> Write(IReadOnlyList<string> executedNotebooks, string outputFolder, string repositoryRoot, TextWriter progress)
    {
        if (executedNotebooks.Count == 0)
        {
            throw new CourseException("no executed notebooks: run the lessons first (run), or name executed .ipynb files.");
        }

        foreach (var missing in executedNotebooks.Where(f => !File.Exists(f)))
        {
            throw new CourseException($"{missing}: no such file.");
        }

        var katex = KatexFolder(repositoryRoot);
        var lessons = executedNotebooks.Select(path => Lesson.Load(path)).ToList();
        if (Directory.Exists(outputFolder))
        {
            Directory.Delete(outputFolder, recursive: true);
        }

        var assets = Path.Combine(outputFolder, "assets");
        Directory.CreateDirectory(Path.Combine(assets, "katex", "fonts"));
        File.WriteAllText(Path.Combine(assets, "plotly.min.js"), Kit.PlotlyJs(Kit.OutputDirectory(repositoryRoot)), new UTF8Encoding(false));
        foreach (var file in s_katexFiles)
        {
            File.Copy(Path.Combine(katex, file), Path.Combine(assets, "katex", file));
        }

        foreach (var font in Directory.GetFiles(Path.Combine(katex, "fonts"), "*.woff2"))
        {
            File.Copy(font, Path.Combine(assets, "katex", "fonts", Path.GetFileName(font)));
        }

        File.WriteAllText(Path.Combine(assets, "book.css"), Template.Render("book.css", ("chart_class", WireContract.ChartClass)), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(assets, "book.js"), Template.Text("book.js"), new UTF8Encoding(false));

        var apps = CopyNotebooksAndApps(lessons, outputFolder, repositoryRoot, progress);
        var pages = new List<Page>();
        for (var i = 0; i < lessons.Count; i++)
        {
            var page = LessonPage(lessons, i, apps);
            var path = Path.Combine(outputFolder, lessons[i].Name + ".html");
            File.WriteAllText(path, page.Html, new UTF8Encoding(false));
            pages.Add(new Page(lessons[i].Name, path, page.Charts, page.Formulas, page.Checks, page.Passed));
            progress.WriteLine($"site: {lessons[i].Name}.html ({page.Charts} chart(s), {page.Formulas} formula(s), checks passed {page.Passed}/{page.Checks})");
        }

        File.WriteAllText(Path.Combine(outputFolder, "index.html"), IndexPage(lessons, pages), new UTF8Encoding(false));
        progress.WriteLine($"site: index.html and {pages.Count} lesson page(s) written to {outputFolder} — open index.html, or publish the folder as it is.");
        return pages;
    }

    /// <summary>
    /// Markdown as HTML (raw HTML in it escaped). A display formula <c>$$…$$</c> the lessons write inside a paragraph
    /// (as Jupyter allows, over several lines) becomes a <c>span.math.display</c> the page's script typesets as a centred
    /// block; Markdig's own maths (<c>$…$</c>, a <c>$$</c> block on its lines) gives <c>span.math</c>/<c>div.math</c>.
    /// </summary>
    internal static string RenderMarkdown(string markdown)
    {
        var display = new List<string>();
        var parts = Fence().Split(markdown);
        for (var i = 0; i < parts.Length; i += 2)
        {
            parts[i] = DisplayMaths().Replace(parts[i], m =>
            {
                display.Add(m.Groups["tex"].Value);
                return $"BACKPROPDISPLAYMATH{display.Count - 1}X";
            });
        }

        var html = Markdown.ToHtml(string.Concat(parts), s_markdown);
        return DisplayPlaceholder().Replace(html, m => $"<span class=\"math display\">\\[{Esc(display[int.Parse(m.Groups["n"].Value, CultureInfo.InvariantCulture)].Trim())}\\]</span>");
    }

    /// <summary>KaTeX's dist folder, installed by the course tool's build (npm ci in lib/Backprop.Course/site).</summary>
    private static string KatexFolder(string root)
    {
        var folder = Path.Combine(root, "lib", "Backprop.Course", "site", "node_modules", "katex", "dist");
        if (!s_katexFiles.All(f => File.Exists(Path.Combine(folder, f))))
        {
            throw new CourseException($"{folder}: KaTeX is not installed — build the course tool (dotnet build lib/Backprop.Course runs `npm ci` in lib/Backprop.Course/site; it needs npm) or run `npm ci` there yourself.");
        }

        return folder;
    }

    /// <summary>
    /// Writes each lesson's notebook and app into the site as students get them (solutions stubbed, hidden checks removed,
    /// outputs cleared: a lecturer publishes the book to students); returns the app paths by lesson. A student app
    /// <c>export apps --student</c> wrote to artifacts/apps-student/ after the notebook and lib/kit.props last changed is
    /// copied; the others are exported here (Roslyn compiles each notebook's cells: seconds, not milliseconds).
    /// </summary>
    private static Dictionary<string, string> CopyNotebooksAndApps(IReadOnlyList<Lesson> lessons, string site, string root, TextWriter progress)
    {
        var notebooks = Path.Combine(site, "notebooks");
        var apps = Path.Combine(site, "apps");
        Directory.CreateDirectory(notebooks);
        Directory.CreateDirectory(apps);
        var toExport = new List<string>();
        var copied = 0;
        foreach (var lesson in lessons)
        {
            var source = Path.Combine(root, "notebooks", lesson.Name + ".ipynb");
            if (!File.Exists(source))
            {
                continue;
            }

            Release.ForStudents(NotebookDocument.Load(source)).Save(Path.Combine(notebooks, lesson.Name + ".ipynb"));
            var exported = Path.Combine(AppRunner.DefaultFolder(root, student: true), lesson.Name + ".cs");
            if (AppRunner.IsFresh(root, source, exported))
            {
                File.Copy(exported, Path.Combine(apps, lesson.Name + ".cs"));
                copied++;
            }
            else
            {
                toExport.Add(source);
            }
        }

        if (toExport.Count > 0)
        {
            new AppExporter(root).ExportAll(toExport, apps, studentVersion: Release.ForStudents, TextWriter.Null);
        }

        progress.WriteLine($"site: {lessons.Count} student notebook(s) written, {copied} student app(s) copied from artifacts/apps-student, {toExport.Count} exported");
        return Directory.GetFiles(apps, "*.cs").ToDictionary(a => Path.GetFileNameWithoutExtension(a), a => a);
    }

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
                facts.Add($"exercise checks passed {page.ChecksPassed}/{page.Checks}");
            }

            body.Append(CultureInfo.InvariantCulture, $"<div class=\"lesson-facts\">{Esc(string.Join(" · ", facts))}</div></li>\n");
        }

        body.Append("</ol>\n</main>\n");
        return Document("Backprop.Notebooks — the lessons", Nav(lessons, -1), body.ToString());
    }

    private static (string Html, int Charts, int Formulas, int Checks, int Passed) LessonPage(IReadOnlyList<Lesson> lessons, int index, IReadOnlyDictionary<string, string> apps)
    {
        var lesson = lessons[index];
        var body = new StringBuilder();
        int charts = 0, formulas = 0, checks = 0, passed = 0;
        body.Append("<main class=\"lesson\">\n<div class=\"lesson-links\">");
        body.Append(CultureInfo.InvariantCulture, $"<a href=\"notebooks/{Attr(lesson.Name)}.ipynb\" download>Notebook ({Esc(lesson.Name)}.ipynb)</a>");
        if (apps.ContainsKey(lesson.Name))
        {
            body.Append(CultureInfo.InvariantCulture, $"<a href=\"apps/{Attr(lesson.Name)}.cs\">App ({Esc(lesson.Name)}.cs, <code>dotnet run</code>)</a>");
        }

        body.Append("</div>\n");
        var setup = new StringBuilder();
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
            var outputs = Outputs(cell.Outputs, ref charts);
            var failed = cell.Outputs.OfType<ErrorOutput>().Any();
            var code = new StringBuilder();
            var kind = marker?.Kind switch
            {
                MarkerKind.Check => "check",
                MarkerKind.Exercise => "exercise",
                MarkerKind.Setup => "setup",
                _ => "plain",
            };
            code.Append(CultureInfo.InvariantCulture, $"<section class=\"cell code {kind}\" id=\"cell-{number}\">\n<div class=\"cell-head\"><a href=\"#cell-{number}\">cell {number}</a>");
            if (marker is { Kind: MarkerKind.Check })
            {
                checks++;
                passed += failed ? 0 : 1;
                code.Append(CultureInfo.InvariantCulture, $"<span class=\"check-result {(failed ? "fail" : "pass")}\">{(failed ? "✘ check " + Esc(marker.Id) + " failed" : "✔ check " + Esc(marker.Id) + " passed")}</span>");
            }
            else if (marker is { Kind: MarkerKind.Exercise })
            {
                code.Append(CultureInfo.InvariantCulture, $"<span class=\"exercise-label\">exercise {Esc(marker.Id)}</span>");
            }

            // The code a student gets (a published book must not give the solutions or the hidden checks away), the outputs of the run.
            code.Append("</div>\n<pre class=\"source\"><code>").Append(Highlight(lesson.Student.Cells[i].Source)).Append("</code></pre>\n").Append(outputs).Append("</section>\n");
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

        body.Append("<nav class=\"pager\">");
        if (index > 0)
        {
            body.Append(CultureInfo.InvariantCulture, $"<a class=\"prev\" href=\"{Attr(lessons[index - 1].Name)}.html\">← {Esc(lessons[index - 1].Title)}</a>");
        }

        if (index + 1 < lessons.Count)
        {
            body.Append(CultureInfo.InvariantCulture, $"<a class=\"next\" href=\"{Attr(lessons[index + 1].Name)}.html\">{Esc(lessons[index + 1].Title)} →</a>");
        }

        body.Append("</nav>\n</main>\n");
        return (Document(lesson.Title + " — Backprop.Notebooks", Nav(lessons, index), body.ToString()), charts, formulas, checks, passed);
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

    /// <summary>A cell's C# source as HTML, coloured from Roslyn's tokens (a script submission, as the engine parses it).</summary>
    internal static string Highlight(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, CSharpParseOptions.Default.WithKind(SourceCodeKind.Script));
        var html = new StringBuilder();
        foreach (var token in tree.GetRoot().DescendantTokens())
        {
            Trivia(token.LeadingTrivia, html);
            var kind = token.Kind();
            var css = kind switch
            {
                _ when SyntaxFacts.IsKeywordKind(kind) => "kw",
                SyntaxKind.IdentifierToken when token.IsContextualKeyword() || token.Text is "var" or "nameof" => "kw",
                SyntaxKind.StringLiteralToken or SyntaxKind.CharacterLiteralToken or SyntaxKind.InterpolatedStringStartToken
                    or SyntaxKind.InterpolatedStringEndToken or SyntaxKind.InterpolatedStringTextToken or SyntaxKind.InterpolatedRawStringEndToken
                    or SyntaxKind.InterpolatedSingleLineRawStringStartToken or SyntaxKind.InterpolatedMultiLineRawStringStartToken
                    or SyntaxKind.SingleLineRawStringLiteralToken or SyntaxKind.MultiLineRawStringLiteralToken => "str",
                SyntaxKind.NumericLiteralToken => "num",
                SyntaxKind.IdentifierToken when token.Parent?.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax
                    || token.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax or Microsoft.CodeAnalysis.CSharp.Syntax.LocalFunctionStatementSyntax => "fn",
                SyntaxKind.IdentifierToken when token.Text.Length > 0 && char.IsUpper(token.Text[0]) => "ty",
                _ => null,
            };
            html.Append(css is null ? Esc(token.Text) : $"<span class=\"{css}\">{Esc(token.Text)}</span>");
            Trivia(token.TrailingTrivia, html);
        }

        return html.ToString();
    }

    private static void Trivia(SyntaxTriviaList trivia, StringBuilder html)
    {
        foreach (var t in trivia)
        {
            var kind = t.Kind();
            var css = kind switch
            {
                SyntaxKind.SingleLineCommentTrivia or SyntaxKind.MultiLineCommentTrivia or SyntaxKind.SingleLineDocumentationCommentTrivia => "com",
                _ when t.IsDirective || kind is SyntaxKind.ShebangDirectiveTrivia or SyntaxKind.SkippedTokensTrivia => "dir",
                _ => null,
            };
            var text = t.ToFullString();
            html.Append(css is null ? Esc(text) : $"<span class=\"{css}\">{Esc(text)}</span>");
        }
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

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    private static string Attr(string text) => WebUtility.HtmlEncode(Uri.EscapeDataString(text));

    /// <summary>One executed lesson: its notebook, title and summary (the first paragraph after the title).</summary>
    /// <param name="Name">The file name without .ipynb.</param>
    /// <param name="Document">The executed notebook: its outputs.</param>
    /// <param name="Student">The same notebook as students get it (solutions stubbed, hidden checks removed): the code shown.</param>
    /// <param name="Title">The title (its first heading).</param>
    /// <param name="ShortTitle">The title for the navigation column.</param>
    /// <param name="SummaryHtml">Its first paragraph, rendered.</param>
    private sealed record Lesson(string Name, NotebookDocument Document, NotebookDocument Student, string Title, string ShortTitle, string SummaryHtml)
    {
        public static Lesson Load(string path)
        {
            var document = NotebookDocument.Load(path);
            var name = Path.GetFileNameWithoutExtension(path);
            var first = document.Cells.FirstOrDefault(c => !c.IsCode)?.Source ?? "";
            var lines = first.Replace("\r", "", StringComparison.Ordinal).Split('\n');
            var heading = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
            var title = heading is null ? name : heading[2..].Trim();
            var paragraph = string.Join("\n", lines.SkipWhile(l => !l.StartsWith("# ", StringComparison.Ordinal)).Skip(1)
                .SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l)));
            var summary = RenderMarkdown(paragraph);
            var dash = title.IndexOf(" — ", StringComparison.Ordinal);
            var shortTitle = dash > 0 ? title[..dash].Replace("Lesson ", "", StringComparison.Ordinal) + " " + title[(dash + 3)..] : title;
            return new Lesson(name, document, Release.ForStudents(document), title, shortTitle, summary);
        }
    }

    [GeneratedRegex(@"(^[ \t]*(?:```|~~~)[^\n]*\n[\s\S]*?^[ \t]*(?:```|~~~)[ \t]*$)", RegexOptions.Multiline)]
    private static partial Regex Fence();

    [GeneratedRegex(@"\$\$(?<tex>[^$]+?)\$\$")]
    private static partial Regex DisplayMaths();

    [GeneratedRegex(@"BACKPROPDISPLAYMATH(?<n>\d+)X")]
    private static partial Regex DisplayPlaceholder();

    [GeneratedRegex("""<(span|div) class="math""")]
    private static partial Regex MathSpan();
}
