using System.Globalization;
using System.Text.RegularExpressions;

namespace Backprop.Course.Notebooks;

/// <summary>What a code cell is, from its first comment line.</summary>
internal enum MarkerKind
{
    Setup,
    Exercise,
    Check,
}

/// <summary>
/// The marker on a code cell's first line: <c>// EXERCISE 01.2 (2 points)</c>,
/// <c>// CHECK 01.2</c> or <c>// SETUP 1/2 …</c>. Markers live in the source, so they survive a
/// save in any editor.
/// </summary>
internal sealed partial record Marker(MarkerKind Kind, string Id, int Points)
{
    public const string BeginSolution = "// BEGIN SOLUTION";
    public const string EndSolution = "// END SOLUTION";
    public const string BeginHiddenChecks = "// BEGIN HIDDEN CHECKS";
    public const string EndHiddenChecks = "// END HIDDEN CHECKS";

    /// <summary>The lesson part of an exercise id ("01" for "01.1").</summary>
    public string Lesson => Id.Split('.')[0];

    public static Marker? Parse(string source)
    {
        var firstLine = source.TrimStart().Split('\n', 2)[0].Trim();
        var match = MarkerPattern().Match(firstLine);
        if (!match.Success)
        {
            return null;
        }

        var kind = match.Groups["kind"].Value.ToUpperInvariant() switch
        {
            "EXERCISE" => MarkerKind.Exercise,
            "CHECK" => MarkerKind.Check,
            _ => MarkerKind.Setup,
        };
        var points = match.Groups["points"].Success ? int.Parse(match.Groups["points"].Value, CultureInfo.InvariantCulture) : kind == MarkerKind.Exercise ? 1 : 0;
        return new Marker(kind, match.Groups["id"].Value, points);
    }

    [GeneratedRegex(@"^//\s*(?<kind>EXERCISE|CHECK|SETUP)\s+(?<id>\d+/\d+|\d+(\.\d+)?)\b(\s*\((?<points>\d+)\s*points?\))?", RegexOptions.IgnoreCase)]
    private static partial Regex MarkerPattern();
}
