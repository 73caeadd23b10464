using System.Globalization;
using System.Text.RegularExpressions;

namespace Backprop.Course.Grading;

/// <summary>
/// A check's failure message with its numbers masked: the key <c>grade --analysis</c> groups a class's failures by, so
/// the same mistake made with other numbers (another student's data, another input) is one group, and different mistakes
/// stay apart. Every number becomes <c>#</c>, but what the numbers say about the mistake is kept, in words that hold
/// whatever the data: each "expected E, got G" pair is tagged with how G relates to E (<c>got −expected</c> for a sign flip,
/// <c>got 0</c>, <c>got NaN</c>, a simple ratio such as <c>got 2 × expected</c> or <c>got 1/2 × expected</c>, <c>got ≈
/// expected</c> within 1 %, else the sign and the size: a missing h′ ≤ 1 makes every δ larger with the same sign); a shape or
/// a length that differs is tagged with what differs (<c>got one column fewer</c>: a dropped bias column); "k of n entries
/// differ" becomes "every entry differs" or "some entries differ". Names with digits (W1, x4, w⁽²⁾) keep them.
/// </summary>
internal static partial class FailurePattern
{
    /// <summary>Where a tag goes while the numbers are masked (a private-use character: a tag's own digits stay).</summary>
    private const char TagMark = '\uE000';

    /// <summary>The mask of <paramref name="message"/> (one line, whitespace collapsed).</summary>
    public static string Of(string message)
    {
        var tags = new List<string>();
        string Tagged(string text, string? tag)
        {
            if (tag is null)
            {
                return text;
            }

            tags.Add(tag);
            return $"{text} [{TagMark}]";
        }

        var text = message.Replace(TagMark, ' ');
        text = Relations().Replace(text, m => Tagged(m.Value, Relation(m.Groups["e"].Value, m.Groups["g"].Value)));
        text = Shapes().Replace(text, m => Tagged(m.Value, Fewer(m, "re", "ge", "row", "rows") ?? Fewer(m, "ce", "cg", "column", "columns")));
        text = Lengths().Replace(text, m => Tagged(m.Value, Fewer(m, "e", "g", "entry", "entries")));
        text = EntriesDiffer().Replace(text, m => m.Groups["k"].Value == m.Groups["n"].Value ? "every entry differs" : "some entries differ");
        text = Spaces().Replace(Number().Replace(text, "#"), " ").Trim();
        var next = 0;
        return string.Concat(text.Select(c => c == TagMark ? tags[next++] : c.ToString()));
    }

    /// <summary>"got one column fewer", "got columns more", …: how a count the student returned differs from the one expected (null when equal).</summary>
    private static string? Fewer(Match m, string expected, string got, string one, string many)
    {
        var (e, g) = (long.Parse(m.Groups[expected].Value, CultureInfo.InvariantCulture), long.Parse(m.Groups[got].Value, CultureInfo.InvariantCulture));
        return e == g ? null : $"got {(Math.Abs(e - g) == 1 ? $"one {one}" : many)} {(g < e ? "fewer" : "more")}";
    }

    /// <summary>How <paramref name="got"/> relates to <paramref name="expected"/>, in words that hold whatever the numbers; null when either is not a number.</summary>
    internal static string? Relation(string expected, string got)
    {
        if (Parse(got) is not { } g || Parse(expected) is not { } e)
        {
            return null;
        }

        if (double.IsNaN(g) || double.IsInfinity(g))
        {
            return double.IsNaN(g) ? "got NaN" : "got ∞";
        }

        var scale = Math.Max(Math.Abs(e), Math.Abs(g));
        return (e, g) switch
        {
            _ when g == 0 => "got 0",
            _ when e == 0 => "expected 0",
            _ when Math.Abs(g + e) <= 1e-4 * scale => "got −expected",   // 1e-4: the messages print 6 significant digits
            _ when Math.Abs(g - e) <= 1e-2 * scale => "got ≈ expected",
            _ => SimpleRatio(g / e) ?? (g / e < 0 ? "got the opposite sign" : Math.Abs(g) > Math.Abs(e) ? "got larger, same sign" : "got smaller, same sign"),
        };
    }

    /// <summary>"got 2 × expected" for a ratio p/q with |p|, q ≤ 4 (a factor 2 or ½ forgotten), else null (±1 are told apart before).</summary>
    private static string? SimpleRatio(double ratio)
    {
        for (var q = 1; q <= 4; q++)
        {
            for (var p = -4 * q; p <= 4 * q; p++)
            {
                if (p != 0 && Math.Abs(p) <= 4 && MathGcd(Math.Abs(p), q) == 1 && Math.Abs(ratio - (double)p / q) <= 1e-4 * Math.Abs(ratio))
                {
                    return $"got {(q == 1 ? p.ToString(CultureInfo.InvariantCulture) : $"{p}/{q}")} × expected";
                }
            }
        }

        return null;
    }

    private static int MathGcd(int a, int b) => b == 0 ? a : MathGcd(b, a % b);

    private static double? Parse(string number)
    {
        var text = number.Replace('−', '-');
        return text switch
        {
            "NaN" => double.NaN,
            "∞" or "Infinity" => double.PositiveInfinity,
            "-∞" or "-Infinity" => double.NegativeInfinity,
            _ => double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) ? value : null,
        };
    }

    private const string NumberPattern = @"(?:(?<![\p{L}\p{N}_.])[-−])?(?:\d+(?:\.\d+)?(?:[eE][-+]?\d+)?|∞|NaN|Infinity)";

    /// <summary>A number: digits with an optional fraction and exponent, a minus sign only where it cannot be a hyphen (2-4-3-2 is four numbers); not a digit inside a name (W1, x4).</summary>
    [GeneratedRegex(@"(?<![\p{L}_\p{N}.])" + NumberPattern + @"(?![\p{L}_])")]
    private static partial Regex Number();

    [GeneratedRegex(@"expected (?<e>" + NumberPattern + @"), got (?<g>" + NumberPattern + @")(?![\p{L}_\p{N}])")]
    private static partial Regex Relations();

    [GeneratedRegex(@"expected a (?<re>\d+)×(?<ce>\d+) matrix, got a (?<ge>\d+)×(?<cg>\d+) matrix")]
    private static partial Regex Shapes();

    [GeneratedRegex(@"expected (?<e>\d+) entries \[[^\]]*\], got (?<g>\d+) entries \[[^\]]*\]")]
    private static partial Regex Lengths();

    [GeneratedRegex(@"(?<k>\d+) of (?<n>\d+) entr(?:y|ies) differs?")]
    private static partial Regex EntriesDiffer();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
