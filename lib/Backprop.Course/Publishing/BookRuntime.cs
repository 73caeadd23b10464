using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backprop.Course.Sandboxing;

namespace Backprop.Course.Publishing;

/// <summary>
/// The live book's runtime (issue 21): lib/Backprop.Book, a WebAssembly app that compiles and runs a page's cells in the
/// browser. <c>site</c> publishes it to artifacts/book-runtime/ when its inputs changed since the last publish (the
/// project's files and the kit's DLLs in artifacts/kit, fingerprinted in a stamp file) and copies its wwwroot/ into the
/// site's live/ folder. Without the project there is no live/ folder, and the pages say the live book is not built.
/// </summary>
internal static class BookRuntime
{
    /// <summary>The runtime's project, relative to the repository root.</summary>
    public const string Project = "lib/Backprop.Book/Backprop.Book.csproj";

    /// <summary>The runtime's entry point inside its wwwroot/ (and the site's live/): the module the pages import.</summary>
    public const string EntryPoint = "book-runtime.js";

    /// <summary>At most this long for a publish (restore, compile, WebAssembly packaging, Brotli: minutes on two cores).</summary>
    private static readonly TimeSpan s_publishTimeout = TimeSpan.FromMinutes(20);

    /// <summary>Where the runtime is published, relative to the repository root.</summary>
    public static string PublishFolder(string root) => Path.Combine(root, "artifacts", "book-runtime");

    /// <summary>
    /// Publishes the runtime when its inputs changed since the last publish and returns its wwwroot/ folder, or null when the
    /// repository has no runtime project (then the book stays read-only). A failed publish is a <see cref="CourseException"/>
    /// naming the project.
    /// </summary>
    public static string? EnsurePublished(string root, TextWriter progress)
    {
        var project = Path.Combine(root, Project);
        if (!File.Exists(project))
        {
            return null;
        }

        // The kit first (it is the runtime's references), then a publish that does not build it again: a kit build rewrites
        // artifacts/kit/setup.csx, which running notebooks load.
        if (File.Exists(Path.Combine(root, "lib", "kit.props")))
        {
            Kit.EnsureBuilt(root, progress);
        }

        var output = PublishFolder(root);
        var wwwroot = Path.Combine(output, "wwwroot");
        var stamp = Path.Combine(output, ".inputs-stamp");
        var inputs = Fingerprint(root);
        if (File.Exists(stamp) && File.ReadAllText(stamp) == inputs && File.Exists(Path.Combine(wwwroot, EntryPoint)))
        {
            progress.WriteLine($"site: the live book's runtime is up to date ({Path.GetRelativePath(root, output)})");
            return wwwroot;
        }

        progress.WriteLine($"site: publishing the live book's runtime ({Project}; minutes the first time)…");
        var log = new StringWriter();
        try
        {
            ChildProcess.RunStep(root, log, s_publishTimeout, "dotnet", "publish", project, "-c", "Release", "-p:BuildProjectReferences=false", "-o", output);
        }
        catch (CourseException e)
        {
            // The build's own errors, not its whole log (the main job writes the site with its progress discarded).
            var errors = log.ToString().Split('\n').Select(l => l.Trim()).Where(l => l.Contains("error", StringComparison.OrdinalIgnoreCase)).Distinct().Take(10);
            throw new CourseException($"the live book's runtime {Project} did not publish: {e.Message}\n{string.Join("\n", errors)}".TrimEnd());
        }

        if (!File.Exists(Path.Combine(wwwroot, EntryPoint)))
        {
            throw new CourseException($"{Project} published without wwwroot/{EntryPoint} in {output}: the pages import that file.");
        }

        File.WriteAllText(stamp, inputs);
        return wwwroot;
    }

    /// <summary>A fingerprint of what the publish reads: the project's files (not bin/ or obj/) and the kit's DLLs, by path, size and time.</summary>
    private static string Fingerprint(string root)
    {
        var project = Path.GetDirectoryName(Path.Combine(root, Project))!;
        var kit = File.Exists(Path.Combine(root, KitBuild.Manifest)) ? Kit.OutputDirectory(root) : Path.Combine(root, "artifacts", "kit");
        var files = Directory.EnumerateFiles(project, "*", SearchOption.AllDirectories)
            .Where(f => !Path.GetRelativePath(project, f).Split(Path.DirectorySeparatorChar).Any(p => p is "bin" or "obj"))
            .Concat(Directory.Exists(kit) ? Directory.EnumerateFiles(kit, "*.dll") : [])
            .Order(StringComparer.Ordinal);
        var text = new StringBuilder();
        foreach (var file in files)
        {
            var info = new FileInfo(file);
            text.Append(CultureInfo.InvariantCulture, $"{Path.GetRelativePath(root, file)}\t{info.Length}\t{info.LastWriteTimeUtc.Ticks}\n");
        }

        return Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }
}
