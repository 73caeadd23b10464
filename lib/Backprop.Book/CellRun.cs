using System.Text;
using Backprop.Lessons;
using Plotly.NET;

namespace Backprop.Book;

/// <summary>
/// One cell's run: everything it prints (Console.Out and Console.Error, in order) and what it shows, as the outputs
/// the page draws under the cell.
/// </summary>
internal sealed class CellRun : TextWriter
{
    private static CellRun? s_current;
    private readonly StringBuilder _all = new();
    private readonly StringBuilder _pending = new();

    public static CellRun Current => s_current ?? throw new InvalidOperationException("display(…) is called by a cell while it runs.");

    public List<CellOutput> Outputs { get; } = [];

    public string Text => _all.ToString();

    public override Encoding Encoding => Encoding.UTF8;

    /// <summary>Makes this run the one that Console and <c>display</c> write to, until the returned scope ends.</summary>
    public IDisposable Capture()
    {
        var (output, error) = (Console.Out, Console.Error);
        Console.SetOut(this);
        Console.SetError(this);
        s_current = this;
        return new Scope(() =>
        {
            Console.SetOut(output);
            Console.SetError(error);
            s_current = null;
        });
    }

    public override void Write(char value)
    {
        _all.Append(value);
        _pending.Append(value);
    }

    public override void Write(string? value)
    {
        _all.Append(value);
        _pending.Append(value);
    }

    public override void Write(char[] buffer, int index, int count)
    {
        _all.Append(buffer, index, count);
        _pending.Append(buffer, index, count);
    }

    /// <summary>
    /// What the notebook shows for a displayed value or a cell's last expression: a Plotly.NET chart as the kit's
    /// offline chart HTML (plotly.js is the page's), an <see cref="HtmlFragment"/> as its HTML, anything else as its text.
    /// </summary>
    public void Display(object? value)
    {
        EndText();
        Outputs.Add(value switch
        {
            GenericChart chart => CellOutput.OfHtml(NotebookSupport.ChartHtml(chart, withLibrary: false)),
            HtmlFragment html => CellOutput.OfHtml(html.Html),
            null => CellOutput.OfText("<null>"),
            _ => CellOutput.OfText(value.ToString() ?? ""),
        });
    }

    /// <summary>The error that ends the run, after what the cell printed.</summary>
    public void Fail(string error)
    {
        EndText();
        Outputs.Add(CellOutput.OfError(error));
        if (_all.Length > 0 && _all[^1] != '\n')
        {
            _all.Append('\n');
        }

        _all.Append(error);
    }

    /// <summary>Closes the text printed since the last output, so outputs stay in the order they were made.</summary>
    public void EndText()
    {
        if (_pending.Length > 0)
        {
            Outputs.Add(CellOutput.OfText(_pending.ToString()));
            _pending.Clear();
        }
    }

    private sealed class Scope(Action end) : IDisposable
    {
        public void Dispose() => end();
    }
}

/// <summary>One output under a cell, as the page's contract names it: type "text", "html" or "error".</summary>
internal sealed record CellOutput(string Type, string? Text, string? Html)
{
    public static CellOutput OfText(string text) => new("text", text, null);

    public static CellOutput OfHtml(string html) => new("html", null, html);

    public static CellOutput OfError(string text) => new("error", text, null);
}

/// <summary>A cell's result, without the wall time (the page's side measures it).</summary>
internal sealed record CellResult(bool Ok, string Text, List<CellOutput> Outputs);
