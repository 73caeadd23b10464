using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Markdig;
using Microsoft.CodeAnalysis;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Publishing;

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
    /// <param name="instructor">
    /// The instructor version, for tests and the lecturer only: the pages show (and run, live) the solutions and hidden
    /// checks, under a banner that says not to publish them.
    /// </param>
    public static IReadOnlyList<Page> Write(IReadOnlyList<string> executedNotebooks, string outputFolder, string repositoryRoot, TextWriter progress, bool instructor = false)
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
        var lessons = executedNotebooks.Select(path => Lesson.Load(path, repositoryRoot, instructor)).ToList();
        var runtime = BookRuntime.EnsurePublished(repositoryRoot, progress);   // before the old site goes: a failed publish leaves it
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
        File.WriteAllText(Path.Combine(assets, "book-charts.js"), Template.Text("book-charts.js"), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(assets, "book-live.js"), Template.Text("book-live.js"), new UTF8Encoding(false));
        File.WriteAllText(Path.Combine(assets, "book-live.css"), Template.Text("book-live.css"), new UTF8Encoding(false));
        if (runtime is not null)
        {
            Files.Copy(runtime, Path.Combine(outputFolder, "live"));
        }

        var apps = CopyNotebooksAndApps(lessons, outputFolder, repositoryRoot, progress);
        var pages = new List<Page>();
        for (var i = 0; i < lessons.Count; i++)
        {
            var page = LessonPage(lessons, i, apps, new LiveBook(runtime is not null, instructor));
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

    private static string Esc(string text) => WebUtility.HtmlEncode(text);

    /// <summary>
    /// A card shows one paragraph: when it ends by introducing a list ("It has three parts:"), that sentence is left out,
    /// so the card does not end mid-thought.
    /// </summary>
    internal static string WithoutListLeadIn(string paragraph)
    {
        var text = paragraph.TrimEnd();
        if (!text.EndsWith(':'))
        {
            return paragraph;
        }

        for (var end = text.Length - 2; end > 0; end--)
        {
            if (text[end] is '.' or '!' or '?' && char.IsWhiteSpace(text[end + 1]))
            {
                return text[..(end + 1)];   // a sentence's end, not the point of 0.5 or e.g
            }
        }

        return paragraph;
    }

    private static string Attr(string text) => WebUtility.HtmlEncode(Uri.EscapeDataString(text));

    /// <summary>One executed lesson: its notebook, title and summary (the first paragraph after the title).</summary>
    /// <param name="Name">The file name without .ipynb.</param>
    /// <param name="Document">The executed notebook: its outputs.</param>
    /// <param name="Shown">
    /// The notebook the page shows, runs live and downloads, outputs cleared: as students get it (solutions stubbed, hidden
    /// checks removed; the release's copy of the lesson when the repository has it), or in the instructor version as it is.
    /// </param>
    /// <param name="Title">The title (its first heading).</param>
    /// <param name="ShortTitle">The title for the navigation column.</param>
    /// <param name="SummaryHtml">Its first paragraph, rendered.</param>
    private sealed record Lesson(string Name, NotebookDocument Document, NotebookDocument Shown, string Title, string ShortTitle, string SummaryHtml)
    {
        public static Lesson Load(string path, string root, bool instructor)
        {
            var document = NotebookDocument.Load(path);
            var name = Path.GetFileNameWithoutExtension(path);
            var first = document.Cells.FirstOrDefault(c => !c.IsCode)?.Source ?? "";
            var lines = first.Replace("\r", "", StringComparison.Ordinal).Split('\n');
            var heading = lines.FirstOrDefault(l => l.StartsWith("# ", StringComparison.Ordinal));
            var title = heading is null ? name : heading[2..].Trim();
            var paragraph = string.Join("\n", lines.SkipWhile(l => !l.StartsWith("# ", StringComparison.Ordinal)).Skip(1)
                .SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l)));
            var summary = RenderMarkdown(WithoutListLeadIn(paragraph));
            var dash = title.IndexOf(" — ", StringComparison.Ordinal);
            var shortTitle = dash > 0 ? title[..dash].Replace("Lesson ", "", StringComparison.Ordinal) + " " + title[(dash + 3)..] : title;
            return new Lesson(name, document, ShownNotebook(document, Path.Combine(root, "notebooks", name + ".ipynb"), instructor), title, shortTitle, summary);
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
