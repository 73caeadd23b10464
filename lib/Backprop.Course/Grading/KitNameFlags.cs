using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Grading;

/// <summary>
/// A student cell that declares a type with a name the kit uses is flagged (not refused): check cells call the kit through
/// its aliases, so it cannot change a check, but the student should hear of it.
/// </summary>
internal static partial class KitNameFlags
{
    /// <summary>One sentence per type a student code cell of <paramref name="submission"/> declares under a name of <paramref name="kitTypeNames"/>.</summary>
    public static IEnumerable<string> Of(NotebookDocument submission, IReadOnlySet<string> kitTypeNames)
    {
        foreach (var (cell, index) in submission.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode && x.c.Marker?.Kind is not (MarkerKind.Check or MarkerKind.Setup)))
        {
            foreach (Match match in TypeDeclaration().Matches(cell.Source))
            {
                var name = match.Groups["name"].Value;
                if (kitTypeNames.Contains(name))
                {
                    yield return $"cell {index} declares a type named '{name}', a name the kit uses (check cells call the kit through the aliases Kit::, Core::, Lessons:: and LA::, so it cannot change a check, but say so to the student).";
                }
            }
        }
    }

    /// <summary>The public type names of the built kit libraries (read from their metadata, without loading them).</summary>
    public static HashSet<string> KitTypeNames(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "Backprop" };
        foreach (var project in Kit.Projects(root))
        {
            var dll = Path.Combine(Kit.OutputDirectory(root), project + ".dll");
            if (!File.Exists(dll))
            {
                continue;
            }

            using var pe = new PEReader(File.OpenRead(dll));
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) is System.Reflection.TypeAttributes.Public or System.Reflection.TypeAttributes.NestedPublic)
                {
                    names.Add(reader.GetString(type.Name).Split('`')[0]);
                }
            }
        }

        return names;
    }

    [GeneratedRegex(@"\b(class|struct|record|interface|enum|namespace)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex TypeDeclaration();
}
