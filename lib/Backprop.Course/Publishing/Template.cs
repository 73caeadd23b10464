using System.Text.RegularExpressions;

namespace Backprop.Course.Publishing;

/// <summary>
/// The web book's, the chart pages' and the bundles' files (HTML, CSS, JavaScript, bash, YAML, Markdown), kept as real
/// files under Publishing/Templates and embedded in the tool; a hole in one is written <c>{{name}}</c>.
/// </summary>
/// <remarks>
/// Plain token replacement rather than a template language (Fluid): the holes are few and take text the caller has
/// already escaped, and Fluid's HTML encoder writes every non-ASCII character as an entity, which would change every page.
/// </remarks>
internal static partial class Template
{
    /// <summary>The file <paramref name="name"/> of Publishing/Templates as it is (UTF-8).</summary>
    public static string Text(string name)
    {
        using var stream = typeof(Template).Assembly.GetManifestResourceStream($"Backprop.Course.Templates.{name}")
            ?? throw new InvalidOperationException($"the course tool has no template {name} (Publishing/Templates/{name} is not embedded).");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// The file <paramref name="name"/> with each <c>{{hole}}</c> replaced by its value, in one pass (a value is never read
    /// for holes). A hole without a value, or a value without a hole, is a mistake in the tool and throws.
    /// </summary>
    public static string Render(string name, params (string Hole, string Value)[] values)
    {
        var text = Text(name);
        var lookup = values.ToDictionary(v => v.Hole, v => v.Value, StringComparer.Ordinal);
        var used = new HashSet<string>(StringComparer.Ordinal);
        var result = Hole().Replace(text, m =>
        {
            var hole = m.Groups["name"].Value;
            used.Add(hole);
            return lookup.TryGetValue(hole, out var value) ? value : throw new InvalidOperationException($"template {name}: no value for {{{{{hole}}}}}.");
        });
        var unused = lookup.Keys.Except(used).FirstOrDefault();
        return unused is null ? result : throw new InvalidOperationException($"template {name}: it has no hole {{{{{unused}}}}}.");
    }

    [GeneratedRegex(@"\{\{(?<name>[a-z_]+)\}\}")]
    private static partial Regex Hole();
}
