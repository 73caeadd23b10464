using Backprop.Lessons;

namespace Backprop.Book;

/// <summary>
/// What a cell calls besides the kit, as in the notebook engine: <c>display(x)</c> and <c>HTML(s)</c>. Every session
/// starts with <c>using static Backprop.Book.CellHost;</c>, so a cell writes them unqualified.
/// </summary>
public static class CellHost
{
    /// <summary>Shows <paramref name="value"/> under the cell: a chart or HTML as HTML, anything else as its text.</summary>
    /// <param name="value">A Plotly.NET chart, an <see cref="HtmlFragment"/> (from <see cref="HTML"/>) or any value.</param>
#pragma warning disable IDE1006 // The notebook engine's names, which lesson cells use.
    public static void display(object? value) => CellRun.Current.Display(value);
#pragma warning restore IDE1006

    /// <summary>Marks <paramref name="html"/> as HTML, for <see cref="display"/> or a cell's last expression.</summary>
    /// <param name="html">An HTML fragment, such as one of the kit's tables.</param>
    public static HtmlFragment HTML(string html) => LessonApp.Html(html);
}
