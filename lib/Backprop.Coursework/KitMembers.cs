using System.Reflection;
using System.Text.RegularExpressions;

namespace Backprop.Coursework;

/// <summary>Names of kit members as a check cell lists them and as a student reads them.</summary>
internal static partial class KitMembers
{
    /// <summary>
    /// Throws unless <paramref name="entry"/> names a type of a loaded kit library, or a member of one: a list with a typo
    /// would otherwise forbid nothing and pass every shortcut.
    /// </summary>
    public static void RequireKnown(string entry)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(entry, nameof(entry));
        var kitTypes = KitAssemblies().SelectMany(a => a.GetTypes());
        foreach (var type in kitTypes)
        {
            var name = KitCallFinder.TypeName(type);
            if (name == entry)
            {
                return;
            }

            if (entry.StartsWith(name + ".", StringComparison.Ordinal)
                && type.GetMember(entry[(name.Length + 1)..], BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance).Length > 0)
            {
                return;
            }
        }

        throw new ArgumentException($"'{entry}' names no public type or member of the kit (write it as Namespace.Type or Namespace.Type.Member, e.g. Backprop.Mlp.Backward)", nameof(entry));
    }

    /// <summary>The kit's libraries, loaded if no code has used them yet (a check cell may list a member before anything calls it).</summary>
    private static IEnumerable<Assembly> KitAssemblies()
    {
        var loaded = AppDomain.CurrentDomain.GetAssemblies().Where(KitCallFinder.IsKit).ToList();
        foreach (var name in KitCallFinder.KitAssemblyNames.Where(n => !loaded.Any(a => a.GetName().Name == n)))
        {
            try
            {
                loaded.Add(Assembly.Load(new AssemblyName(name)));
            }
            catch (IOException)
            {
                // Not part of this kit (a test host without the lessons library): its names cannot be listed.
            }
        }

        return loaded;
    }

    /// <summary>A student method as the student wrote it: the name of a local function, "a lambda in F" for a lambda, F for an async method's or iterator's body.</summary>
    public static string Describe(MethodBase method)
    {
        // A notebook cell is compiled as a type "Submission#N"; its top-level statements are a compiler-named method (or that
        // method's state machine), which a student knows only as a cell.
        if (method.Name.StartsWith('<') || method.DeclaringType?.Name.StartsWith('<') == true)
        {
            for (var outer = method.DeclaringType; outer is not null; outer = outer.DeclaringType)
            {
                if (outer.Name.StartsWith("Submission#", StringComparison.Ordinal) && outer.DeclaringType is null && !CompilerName().IsMatch(method.Name))
                {
                    return "the top-level code of a cell";
                }
            }
        }

        var match = CompilerName().Match(method.Name);
        if (match.Success)
        {
            return match.Groups["kind"].Value == "g" ? match.Groups["local"].Value : $"a lambda in {Named(match.Groups["outer"].Value, method)}";
        }

        // A state machine's MoveNext, or a method of a display class: the type's name carries the method it came from.
        var typeMatch = method.DeclaringType is { } type ? CompilerType().Match(type.Name) : Match.Empty;
        return typeMatch.Success ? typeMatch.Groups["outer"].Value : Named(method.Name, method);
    }

    /// <summary>A method's name as a student knows it: a constructor (a field's initial value runs in it) by its type.</summary>
    private static string Named(string name, MethodBase method)
    {
        var type = method.DeclaringType;
        while (type is not null && type.Name.StartsWith('<'))
        {
            type = type.DeclaringType;   // a lambda's closure class: the constructor is its enclosing type's
        }

        return name switch
        {
            ".ctor" when type is not null => $"the constructor of {type.Name}",
            ".cctor" when type is not null => $"the static initial values of {type.Name}",
            _ => name,
        };
    }

    [GeneratedRegex(@"^<(?<outer>[^>]*)>(?<kind>[bg])__(?<local>[^|]*)")]
    private static partial Regex CompilerName();

    [GeneratedRegex(@"^<(?<outer>[^>]+)>d__")]
    private static partial Regex CompilerType();
}
