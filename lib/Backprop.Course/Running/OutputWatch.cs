using System.Text;
using Microsoft.DotNet.Interactive;
using Microsoft.DotNet.Interactive.Events;

namespace Backprop.Course.Running;

/// <summary>
/// Watches what one cell prints (stdout and stderr) while it runs, as the engine's events arrive: keeps the first <see cref="ReportText.OutputCap"/>
/// characters and counts the rest, and says (<see cref="Flooded"/>) when the cell has printed more than <see cref="Limit"/>
/// characters, at which point the runner stops the kernel. The engine collects every event of a command until the command
/// completes, so without this a cell printing 500 MB in a loop would have the grader hold all of it.
/// </summary>
internal sealed class OutputWatch : IDisposable
{
    /// <summary>The most characters one cell may print when run by the course tool: 2,000,000 (a lesson's cell prints a few thousand).</summary>
    public const int Limit = 2_000_000;

    private readonly StringBuilder _head = new();
    private readonly TaskCompletionSource _flooded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly IDisposable _subscription;
    private readonly Lock _gate = new();
    private long _printed;

    public OutputWatch(Kernel kernel, string token) => _subscription = kernel.KernelEvents.Subscribe(e =>
    {
        if (e.Command?.GetOrCreateToken() is not { } t || !t.StartsWith(token, StringComparison.Ordinal))
        {
            return;
        }

        var text = e switch
        {
            StandardOutputValueProduced o => Plain(o.FormattedValues),
            StandardErrorValueProduced o => Plain(o.FormattedValues),
            _ => null,   // displayed values (the lessons' charts) are the kit's own formatters' output, not counted

        };
        if (text is null)
        {
            return;
        }

        lock (_gate)
        {
            var room = ReportText.OutputCap - _head.Length;
            _head.Append(text.AsSpan(0, Math.Clamp(room, 0, text.Length)));
            _printed += text.Length;
            if (_printed > Limit)
            {
                _flooded.TrySetResult();
            }
        }
    });

    /// <summary>Completes once the cell has printed more than <see cref="Limit"/> characters.</summary>
    public Task Flooded => _flooded.Task;

    /// <summary>What the cell printed first (at most <see cref="ReportText.OutputCap"/> characters) and the note on what was cut.</summary>
    public (string Head, string Note) Shown()
    {
        lock (_gate)
        {
            return (_head.ToString(), string.Create(System.Globalization.CultureInfo.InvariantCulture, $"… [output stopped: the cell printed more than {Limit:N0} characters, the most a graded cell may print ({_printed:N0} had arrived); the kernel was stopped, and only the first {_head.Length:N0} are shown]"));
        }
    }

    public void Dispose() => _subscription.Dispose();

    /// <summary>A printed value's text: its text/plain form, else its first form (the runner's outputs read prints the same way).</summary>
    internal static string Plain(IReadOnlyCollection<Microsoft.DotNet.Interactive.Formatting.FormattedValue> values) =>
        values.FirstOrDefault(v => v.MimeType == "text/plain")?.Value ?? values.FirstOrDefault()?.Value ?? "";
}
