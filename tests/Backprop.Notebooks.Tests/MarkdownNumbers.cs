using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// The rule "a number in a lesson's Markdown is one a cell printed", checked on an executed notebook.
/// </summary>
/// <remarks>
/// <para>A number quoted in Markdown prose must be shown to the student somewhere in the same lesson: printed by an
/// output (text, a table, or a chart's visible text: its title, axis titles, annotations and legend), possibly rounded
/// (0.4050 printed may be quoted as 0.405 or 0.41; 0.6726 as 67 %), or written as a literal in a code cell (a
/// hyper-parameter the student can see, such as η = 0.1 or 1000 epochs).</para>
/// <para>Not measurements, so not checked: LaTeX maths (<c>$…$</c>, <c>$$…$$</c>), code spans and blocks, links'
/// targets, numbers that name things (lesson 06, exercise 07.2, cell 3, layer 2, step 4, Fig. 5.3, a 2-3-2 network,
/// 8×8 digits, years), single digits, and timings: a number followed by a unit of time (s, ms, µs, ns, min) — the
/// "marked" exemption, since timings differ from run to run.</para>
/// <para>Placeholder text (TODO, TBD, FIXME, XXX, lorem ipsum, "???", or a template token such as RACE_ALL) is always
/// a problem.</para>
/// </remarks>
internal static partial class MarkdownNumbers
{
    /// <summary>Every number or placeholder in the notebook's Markdown that breaks the rule, as "cell N: …" lines.</summary>
    public static IReadOnlyList<string> Problems(NotebookDocument executed)
    {
        var shown = new List<double>();
        foreach (var cell in executed.Cells.Where(c => c.IsCode))
        {
            foreach (var text in VisibleOutputTexts(cell.Json))
            {
                shown.AddRange(Numbers(text).Select(n => n.Value));
            }

            shown.AddRange(Numbers(WithoutComments(cell.Source)).Select(n => n.Value));
        }

        var problems = new List<string>();
        foreach (var (cell, index) in executed.Cells.Select((c, i) => (c, i)).Where(p => p.c.CellType == "markdown"))
        {
            var prose = Prose(cell.Source);
            foreach (Match placeholder in Placeholder().Matches(prose))
            {
                problems.Add($"cell {index}: placeholder text \"{placeholder.Value}\"");
            }

            foreach (var number in Numbers(prose))
            {
                if (!IsExempt(prose, number) && !shown.Any(value => Quotes(number, value)))
                {
                    problems.Add($"cell {index}: \"{number.Text}\" is neither printed by an output of this lesson nor written in its code");
                }
            }
        }

        return problems;
    }

    /// <summary>A number as written: its text, value, decimal places, whether it is a percentage, and where it stands.</summary>
    internal readonly record struct Quoted(string Text, double Value, int Decimals, bool Percent, int Index, int Length);

    /// <summary>Whether <paramref name="value"/>, as printed, is what <paramref name="quoted"/> says (rounded to its places, as a percentage, or to its significant digits in E notation).</summary>
    internal static bool Quotes(Quoted quoted, double value)
    {
        if (SameAtPlaces(quoted, value) || SameAtPlaces(quoted, -value))
        {
            return true;
        }

        if (quoted.Percent && (SameAtPlaces(quoted, value * 100) || SameAtPlaces(quoted, -value * 100)))
        {
            return true;
        }

        // E notation or tiny numbers: compare at the quoted number's significant digits.
        if (quoted.Value != 0 && value != 0 && quoted.Text.Contains('E', StringComparison.OrdinalIgnoreCase))
        {
            var digits = quoted.Text.Split('E', 'e')[0].Count(char.IsAsciiDigit);
            var scale = Math.Pow(10, Math.Floor(Math.Log10(Math.Abs(quoted.Value))) - digits + 1);
            return Math.Abs(Math.Round(value / scale) - Math.Round(quoted.Value / scale)) < 0.5;
        }

        return false;
    }

    private static bool SameAtPlaces(Quoted quoted, double value) =>
        Math.Abs(Math.Round(value, Math.Min(quoted.Decimals, 15), MidpointRounding.AwayFromZero) - quoted.Value) <= Math.Pow(10, -quoted.Decimals) * 1e-6;

    internal static IEnumerable<Quoted> Numbers(string text)
    {
        foreach (Match m in Number().Matches(text.Replace('−', '-')))
        {
            var body = m.Groups["body"].Value.Replace(",", "", StringComparison.Ordinal);
            if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            var mantissa = body.Split('E', 'e')[0];
            var decimals = mantissa.Contains('.', StringComparison.Ordinal) ? mantissa.Length - mantissa.IndexOf('.', StringComparison.Ordinal) - 1 : 0;
            if (body.Contains('E', StringComparison.OrdinalIgnoreCase))
            {
                decimals = 15;
            }

            var sign = m.Groups["sign"].Success && m.Groups["sign"].Value.Length > 0 ? -1 : 1;
            yield return new Quoted(m.Value, sign * value, decimals, m.Groups["percent"].Success && m.Groups["percent"].Value.Length > 0, m.Index, m.Length);
        }
    }

    private static bool IsExempt(string prose, Quoted number)
    {
        var magnitude = Math.Abs(number.Value);
        if (!number.Text.Contains('.', StringComparison.Ordinal) && !number.Text.Contains('E', StringComparison.OrdinalIgnoreCase) && magnitude < 10)
        {
            return true;   // single digits: counts, steps and small integers of the maths
        }

        var before = prose[Math.Max(0, number.Index - 24)..number.Index];
        var after = prose[(number.Index + number.Length)..Math.Min(prose.Length, number.Index + number.Length + 12)];
        return NamingWord().IsMatch(before)
            || TimeUnit().IsMatch(after)
            || Architecture().IsMatch(prose[Math.Max(0, number.Index - 12)..Math.Min(prose.Length, number.Index + number.Length + 12)])
            || (magnitude is >= 1900 and <= 2100 && !number.Text.Contains('.', StringComparison.Ordinal));
    }

    /// <summary>The Markdown without what is not prose: maths, code, HTML comments and link targets.</summary>
    private static string Prose(string markdown)
    {
        var text = Regex.Replace(markdown, @"```.*?```", " ", RegexOptions.Singleline);
        text = Regex.Replace(text, @"\$\$.*?\$\$", " ", RegexOptions.Singleline);
        text = Regex.Replace(text, @"\$[^$\n]+\$", " ");
        text = Regex.Replace(text, @"`[^`\n]*`", " ");
        text = Regex.Replace(text, @"<!--.*?-->", " ", RegexOptions.Singleline);
        text = Regex.Replace(text, @"\]\([^)]*\)", "]");
        text = Regex.Replace(text, @"https?://\S+", " ");
        return text;
    }

    private static string WithoutComments(string code) => Regex.Replace(code, @"//[^\n]*", " ");

    /// <summary>What a student sees of a code cell's outputs: text, non-chart HTML, and a chart's visible strings.</summary>
    private static IEnumerable<string> VisibleOutputTexts(JsonObject cell)
    {
        if (cell["outputs"] is not JsonArray outputs)
        {
            yield break;
        }

        foreach (var output in outputs.OfType<JsonObject>())
        {
            if (output["text"] is { } stream)
            {
                yield return Joined(stream);
            }

            if (output["data"] is not JsonObject data)
            {
                continue;
            }

            if (data["text/plain"] is { } plain)
            {
                yield return Joined(plain);
            }

            if (data["text/markdown"] is { } markdown)
            {
                yield return Joined(markdown);
            }

            if (data["text/html"] is { } htmlNode)
            {
                var html = Joined(htmlNode);
                if (html.Contains("Plotly.newPlot", StringComparison.Ordinal))
                {
                    // Only the strings plotly.js draws as text (titles, legend names, annotations, tick labels given as text), not the data arrays.
                    foreach (Match s in ChartText().Matches(html))
                    {
                        yield return Regex.Unescape(s.Groups["text"].Value);
                    }
                }
                else
                {
                    yield return Regex.Replace(html, "<[^>]+>", " ");
                }
            }
        }
    }

    private static string Joined(JsonNode node) => node switch
    {
        JsonArray lines => string.Concat(lines.Select(l => l?.GetValue<string>() ?? "")),
        JsonValue value => value.GetValue<string>(),
        _ => "",
    };

    [GeneratedRegex(@"(?<![\w.\\_{])(?<sign>-?)(?<body>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?(?:[Ee][-+]?\d+)?)(?<percent>\s?%)?(?![\w.]\d)")]
    private static partial Regex Number();

    [GeneratedRegex(@"(?i)(lessons?|exercises?|cells?|sections?|chapters?|steps?|layers?|units?|fig\.?|figures?|page|equations?|eq\.|part|item|goal|seeds?|lesson\s+\d+\s*[–-])\s*[#(]?\s*$")]
    private static partial Regex NamingWord();

    [GeneratedRegex(@"^\s?(s|ms|µs|μs|us|ns|min|minutes?|seconds?)\b")]
    private static partial Regex TimeUnit();

    [GeneratedRegex(@"\d+\s?[-×x]\s?\d+")]
    private static partial Regex Architecture();

    [GeneratedRegex(@"(?i)\b(TODO|TBD|FIXME|XXX|lorem ipsum)\b|\?\?\?|\b[A-Z][A-Z0-9]{2,}_[A-Za-z0-9_]+\b")]
    private static partial Regex Placeholder();

    [GeneratedRegex("\"(?:text|name|title)\":\"(?<text>(?:[^\"\\\\]|\\\\.)*)\"")]
    private static partial Regex ChartText();
}
