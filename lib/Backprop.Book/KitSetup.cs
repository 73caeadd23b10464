using System.Reflection;
using System.Reflection.Metadata;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;

namespace Backprop.Book;

/// <summary>
/// The kit as a session starts with it: the notebooks' own setup script (artifacts/kit/setup.csx, embedded at build
/// time) gives the assemblies to load, the global usings and aliases and the setup statement; the references Roslyn
/// compiles against are the loaded assemblies' own metadata (nothing is fetched).
/// </summary>
internal static partial class KitSetup
{
    /// <summary>
    /// Framework assemblies loaded before the references are read, so cells can use them as in the notebook engine
    /// (which references the whole shared framework). Every other assembly already loaded is referenced too.
    /// </summary>
    private static readonly string[] s_framework =
    [
        "System.Private.CoreLib", "System.Runtime", "netstandard", "System.Console", "System.Linq", "System.Collections",
        "System.Collections.Concurrent", "System.Collections.Immutable", "System.Runtime.Numerics", "System.Numerics.Vectors",
        "System.Text.RegularExpressions", "System.Memory", "System.Threading", "System.Threading.Tasks", "System.ObjectModel",
        "System.Linq.Expressions", "System.ComponentModel.Primitives", "System.Runtime.InteropServices", "Microsoft.CSharp",
        "System.Text.Json", "System.Diagnostics.Debug", "System.Runtime.Extensions", "System.Globalization",
        "System.Runtime.Intrinsics", "System.Text.Encoding.Extensions", "System.IO", "FSharp.Core",
    ];

    /// <summary>The lines a session's first submission holds: setup.csx without its <c>#r</c> lines, then the cells' host.</summary>
    public static string SetupSubmission()
    {
        var lines = Script().Split('\n').Select(l => l.TrimEnd('\r'))
            .Where(l => !l.StartsWith("#r ", StringComparison.Ordinal) && !l.StartsWith("//", StringComparison.Ordinal) && l.Length > 0);
        return string.Join('\n', [.. DefaultUsings.Select(u => $"global using {u};"), $"global using static {typeof(CellHost).FullName};", .. lines]) + "\n";
    }

    /// <summary>The namespaces the notebook engine's C# kernel imports by default (Microsoft.DotNet.Interactive.CSharp).</summary>
    public static string[] DefaultUsings { get; } = ["System", "System.Text", "System.Collections", "System.Collections.Generic", "System.Threading.Tasks", "System.Linq"];

    /// <summary>Loads the kit's DLLs (the <c>#r</c> lines of setup.csx) and the framework, and returns their metadata as references.</summary>
    public static unsafe List<MetadataReference> LoadReferences()
    {
        var kit = ReferenceLine().Matches(Script()).Select(m => m.Groups["name"].Value);
        foreach (var name in kit.Concat(s_framework))
        {
            try
            {
                Assembly.Load(name);
            }
            catch (FileNotFoundException)
            {
                // A framework facade this runtime does not ship: cells cannot name it.
            }
        }

        var references = new List<MetadataReference>();
        foreach (var assembly in AppDomain.CurrentDomain.GetAssemblies())
        {
            if (!assembly.IsDynamic && assembly.TryGetRawMetadata(out var blob, out var length))
            {
                references.Add(AssemblyMetadata.Create(ModuleMetadata.CreateFromMetadata((IntPtr)blob, length)).GetReference());
            }
        }

        return references;
    }

    private static string Script()
    {
        using var stream = typeof(KitSetup).Assembly.GetManifestResourceStream("setup.csx")
            ?? throw new InvalidOperationException("Backprop.Book was built without the kit's setup.csx: build lib/Backprop.Kit first.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    [GeneratedRegex("""^#r "(?<name>[^"]+)\.dll"\s*$""", RegexOptions.Multiline)]
    private static partial Regex ReferenceLine();
}
