using System.Xml.Linq;

namespace Backprop.Course.Publishing;

/// <summary>
/// What a lesson app needs from the kit manifest (read by <see cref="KitBuild.Entries"/>) and the pinned versions
/// (Directory.Packages.props): the kit libraries it references, the packages it pins, its usings and the kit's setup.
/// </summary>
/// <param name="Libraries">The kit libraries, each a <c>#:project</c>.</param>
/// <param name="Packages">The packages to pin with <c>#:package</c>: those the notebooks use directly and those the kit's libraries reference.</param>
/// <param name="Usings">The using directives every app starts with.</param>
/// <param name="SetupStatements">The kit's setup statements (with their semicolons).</param>
/// <param name="ExtensionPackages">Kernel-extension packages: the notebook engine's, never an app's.</param>
internal sealed record AppManifest(IReadOnlyList<string> Libraries, IReadOnlyList<(string Id, string Version)> Packages, IReadOnlyList<string> Usings,
    IReadOnlyList<string> SetupStatements, IReadOnlyList<string> ExtensionPackages)
{
    /// <summary>Reads the manifest and the pinned versions of the kit copy at <paramref name="root"/>.</summary>
    public static AppManifest Read(string root)
    {
        var entries = Kit.Entries(root);
        var versions = Load(Path.Combine(root, "Directory.Packages.props")).Descendants("PackageVersion")
            .ToDictionary(e => (string)e.Attribute("Include")!, e => (string)e.Attribute("Version")!, StringComparer.OrdinalIgnoreCase);
        var libraries = entries.Where(e => e.Kind == KitEntry.LibraryItem).Select(e => e.Include).ToList();
        var extensions = entries.Where(e => e.Kind == KitEntry.PackageItem && e.KernelExtension is not null).Select(e => e.Include).ToList();
        // Pinned: the packages the notebooks use directly and those the kit's libraries reference (an app resolves them itself).
        var packageIds = entries.Where(e => e.Kind == KitEntry.PackageItem && e.KernelExtension is null).Select(e => e.Include)
            .Concat(libraries.SelectMany(l => Load(Path.Combine(root, "lib", l, l + ".csproj")).Descendants("PackageReference").Select(p => (string)p.Attribute("Include")!)))
            .Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var packages = packageIds.Select(id => (id, versions.TryGetValue(id, out var v) ? v : throw new CourseException($"Directory.Packages.props pins no version of {id}."))).ToList();
        var usings = entries.Where(e => !extensions.Contains(e.Include) && e.Namespace is not null && e.Using).Select(e => $"using {e.Namespace};")
            .Concat(entries.Where(e => e.Alias is not null && e.Namespace is not null).Select(e => $"using {e.Alias} = global::{e.Namespace};"))
            .ToList();
        // The generated code calls LessonApp and LessonCell by their short names, whether or not the manifest opens their namespace.
        var lessonApp = $"using {WireContract.LessonAppNamespace};";
        if (!usings.Contains(lessonApp))
        {
            usings.Add(lessonApp);
        }

        var setup = entries.Where(e => e.Kind == KitEntry.LibraryItem && e.Setup is not null).Select(e => e.Setup + ";").ToList();
        return new AppManifest(libraries, packages, usings, setup, extensions);
    }

    private static XDocument Load(string path) =>
        File.Exists(path) ? XDocument.Load(path) : throw new CourseException($"{path}: no such file.");
}
