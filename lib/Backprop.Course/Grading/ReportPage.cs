using System.Net;
using System.Text;

namespace Backprop.Course.Grading;

/// <summary>
/// What the lecturer's report pages share (the similarity report, the exercise analysis): an offline page with no script
/// and no link (a Content-Security-Policy that allows inline styles only), and text from submissions cleaned
/// (<see cref="ReportText.Clean"/>) and HTML-escaped.
/// </summary>
internal static class ReportPage
{
    /// <summary><paramref name="text"/> cleaned (control characters escaped, cut after <paramref name="cap"/> characters) and HTML-escaped.</summary>
    public static string Encode(string text, int cap = ReportText.MessageCap) => WebUtility.HtmlEncode(ReportText.Clean(text, cap));

    /// <summary>The page up to and including its &lt;h1&gt;: the head with the shared style and <paramref name="style"/>, the title as the heading.</summary>
    public static StringBuilder Start(string title, string style, string maxWidth = "90em") => new($$"""
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
        <title>{{Encode(title)}}</title>
        <style>
        body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; padding: 0 1em; max-width: {{maxWidth}}; color: #222; }
        table { border-collapse: collapse; } td, th { border-bottom: 1px solid #ddd; padding: .3em .6em; text-align: left; vertical-align: top; }
        pre { background: #f5f5f5; padding: .5em; overflow-x: auto; white-space: pre-wrap; }
        {{style}}
        </style></head><body>
        <h1>{{Encode(title)}}</h1>

        """);
}
