using System.Text.RegularExpressions;

namespace Backprop.Course.Policy;

/// <summary>
/// The rules of <c>CellAllowList.txt</c>: which types and members of the libraries a graded student cell may use (the
/// file's header says the syntax). Deny rules win over allow rules; a type no rule allows is refused. Immutable.
/// </summary>
internal sealed class AllowList
{
    private readonly IReadOnlyList<Rule> _allow;
    private readonly IReadOnlyList<Rule> _deny;
    private readonly IReadOnlyList<(Regex Type, string What)> _why;

    private AllowList(IReadOnlyList<Rule> allow, IReadOnlyList<Rule> deny, IReadOnlyList<(Regex, string)> why)
    {
        _allow = allow;
        _deny = deny;
        _why = why;
    }

    /// <summary>One rule: the types it names and, when it names members, which (null: every member).</summary>
    private sealed record Rule(Regex Type, IReadOnlyList<Regex>? Members, string Text);

    /// <summary>The reviewed list shipped with the course tool.</summary>
    public static AllowList Default { get; } = Parse(ReadResource(), "CellAllowList.txt");

    private static string ReadResource()
    {
        using var stream = typeof(AllowList).Assembly.GetManifestResourceStream("Backprop.Course.CellAllowList.txt")
            ?? throw new InvalidOperationException("the course tool was built without its CellAllowList.txt resource.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>Parses rules in the file's syntax.</summary>
    /// <exception cref="CourseException">A line that is not a rule, named with its number.</exception>
    public static AllowList Parse(string text, string source)
    {
        var allow = new List<Rule>();
        var deny = new List<Rule>();
        var why = new List<(Regex, string)>();
        foreach (var (raw, number) in text.Split('\n').Select((l, i) => (l, i + 1)))
        {
            var hash = raw.IndexOf('#', StringComparison.Ordinal);
            var line = (hash >= 0 ? raw[..hash] : raw).Trim();
            if (line.Length == 0)
            {
                continue;
            }

            var words = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (words.Length < 2 || words[0] is not ("allow" or "deny" or "why"))
            {
                throw new CourseException($"{source}, line {number}: expected 'allow TYPE', 'allow TYPE::MEMBER …', 'deny …' or 'why TYPE TEXT', found '{line}'.");
            }

            if (words[0] == "why")
            {
                why.Add((TypePattern(words[1]), string.Join(' ', words.Skip(2))));
                continue;
            }

            var parts = words[1].Split("::", 2);
            IReadOnlyList<Regex>? members = parts.Length == 2 ? [.. words.Skip(2).Prepend(parts[1]).Select(MemberPattern)] : null;
            if (parts.Length == 1 && words.Length > 2)
            {
                throw new CourseException($"{source}, line {number}: members are named after '::' (TYPE::MEMBER OTHER …), found '{line}'.");
            }

            (words[0] == "allow" ? allow : deny).Add(new Rule(TypePattern(parts[0]), members, line));
        }

        return new AllowList(allow, deny, why);
    }

    /// <summary>These rules with <paramref name="extra"/>'s added (an exercise's own exclusions on top of the list).</summary>
    public AllowList With(AllowList? extra) => extra is null ? this : new([.. _allow, .. extra._allow], [.. _deny, .. extra._deny], [.. extra._why, .. _why]);

    /// <summary>True when the type may be named: some allow rule names it (wholly or some of its members) and no deny rule refuses it whole.</summary>
    public bool AllowsType(string type) =>
        !_deny.Any(r => r.Members is null && r.Type.IsMatch(type)) && _allow.Any(r => r.Type.IsMatch(type));

    /// <summary>True when the member of the type may be used.</summary>
    public bool AllowsMember(string type, string member) =>
        !_deny.Any(r => r.Type.IsMatch(type) && (r.Members is null || r.Members.Any(m => m.IsMatch(member))))
        && _allow.Any(r => r.Type.IsMatch(type) && (r.Members is null || r.Members.Any(m => m.IsMatch(member))));

    /// <summary>What the type gives access to, from the first 'why' rule that names it (null when none does).</summary>
    public string? Why(string type) => _why.FirstOrDefault(w => w.Type.IsMatch(type)).What is { Length: > 0 } what ? what : null;

    /// <summary>'**' any run of characters, '*' any run within one name (no '.'), everything else literally.</summary>
    private static Regex TypePattern(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*\*", "\u0001", StringComparison.Ordinal).Replace(@"\*", @"[^.]*", StringComparison.Ordinal)
            .Replace("\u0001", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);

    private static Regex MemberPattern(string glob) =>
        new("^" + Regex.Escape(glob).Replace(@"\*", ".*", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
}
