// The build-if-stale step of the kit, in one place: every notebook's SETUP 1/2 cell loads this file
// (`#load "../lib/Backprop.Kit/KitBuild.cs"`) and calls KitBuild.EnsureBuilt(".."); the course tool compiles
// the same file in. It must stay valid as a C# script as well as a C# file, hence no namespace (a script
// cannot declare one) and nothing but the framework.
// A script has no implicit usings: name what it needs (redundant in the course tool, hence IDE0005 off).
#pragma warning disable IDE0005
using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Xml.Linq;
#pragma warning restore IDE0005

/// <summary>
/// Reads the kit manifest (lib/kit.props) and builds the kit (lib/Backprop.Kit) when any of its parts is
/// missing or older than its own inputs. Each library is compared with its own sources and the build
/// files every library imports, never with another library's DLL: after a build that rewrote only one
/// library, the others are still up to date.
/// </summary>
public static class KitBuild
{
    /// <summary>The kit manifest, relative to the repository root.</summary>
    public const string Manifest = "lib/kit.props";

    /// <summary>The project whose build builds every kit library and writes the setup script.</summary>
    public const string KitProject = "lib/Backprop.Kit";

    /// <summary>Sources that kit libraries (and the course tool) compile in from outside their own folder (lib/Shared/WireContract.cs).</summary>
    public const string SharedSources = "lib/Shared";

    /// <summary>The setup script the kit build writes into the output folder.</summary>
    public const string SetupScript = "setup.csx";

    /// <summary>Build files every kit library imports: a change to one of them makes every part stale.</summary>
    private static readonly string[] s_sharedInputs = ["Directory.Build.props", "Directory.Packages.props", "lib/Directory.Build.props", Manifest];

    /// <summary>Files of a project folder that are inputs of its build (sources, project files, embedded data).</summary>
    private static readonly string[] s_inputExtensions = [".cs", ".csproj", ".props", ".targets", ".resx", ".gz"];

    /// <summary>The names of the kit libraries (lib/&lt;name&gt;/&lt;name&gt;.csproj), in the manifest's order.</summary>
    public static IReadOnlyList<string> Libraries(string root) =>
        [.. Entries(root).Where(e => e.Kind == KitEntry.LibraryItem).Select(e => e.Include)];

    /// <summary>
    /// Every KitLibrary, KitNamespace and KitPackage item of the manifest, in its order: the one reading of lib/kit.props
    /// in C# (MSBuild reads it for the build; the course tool and this script read it here).
    /// </summary>
    public static IReadOnlyList<KitEntry> Entries(string root)
    {
        var path = Path.Combine(root, Manifest);
        return [.. LoadManifest(root).Descendants().Where(e => e.Name.LocalName is KitEntry.LibraryItem or KitEntry.NamespaceItem or KitEntry.PackageItem).Select(e => new KitEntry(
            e.Name.LocalName,
            (string?)e.Attribute("Include") ?? throw new InvalidOperationException($"{path}: a {e.Name.LocalName} without Include."),
            (string?)e.Attribute("Namespace"),
            (string?)e.Attribute("Using") == "true",
            (string?)e.Attribute("Alias"),
            (string?)e.Attribute("Setup"),
            (string?)e.Attribute("KernelExtension")))];
    }

    /// <summary>The folder the libraries and the setup script are written to (artifacts/kit).</summary>
    public static string OutputDirectory(string root) =>
        Path.GetFullPath(Path.Combine(root, LoadManifest(root).Descendants("KitOutputFolder").Select(e => e.Value.Trim()).FirstOrDefault()
            ?? throw new InvalidOperationException($"{Path.Combine(root, Manifest)}: no KitOutputFolder.")));

    /// <summary>The parts of the kit that are missing or older than one of their inputs, each with the reason.</summary>
    public static IReadOnlyList<string> StaleParts(string root)
    {
        var output = OutputDirectory(root);
        // The shared sources count for every part: simpler than reading which project links them in, and they rarely change.
        var shared = s_sharedInputs.Select(f => Path.Combine(root, f)).Where(File.Exists).Concat(ProjectInputs(Path.Combine(root, SharedSources))).ToList();
        var parts = Libraries(root).Select(l => (Name: l, Output: Path.Combine(output, l + ".dll"), Folder: Path.Combine(root, "lib", l)))
            .Append((Name: "the setup script", Output: Path.Combine(output, SetupScript), Folder: Path.Combine(root, KitProject)));
        var stale = new List<string>();
        foreach (var (name, built, folder) in parts)
        {
            if (!File.Exists(built))
            {
                stale.Add($"{name}: {Path.GetFileName(built)} is missing");
                continue;
            }

            var builtAt = File.GetLastWriteTimeUtc(built);
            var newer = ProjectInputs(folder).Concat(shared).FirstOrDefault(f => File.GetLastWriteTimeUtc(f) > builtAt);
            if (newer is not null)
            {
                stale.Add($"{name}: {Path.GetRelativePath(root, newer)} is newer than {Path.GetFileName(built)}");
            }
        }

        return stale;
    }

    /// <summary>What a notebook's setup cell calls, from the notebooks/ folder: builds the kit if it is stale, printing what it does.</summary>
    /// <remarks>A kernel that already loaded a kit library cannot load the rebuilt one: it is told to restart instead.</remarks>
    public static void EnsureBuilt(string root) => EnsureBuilt(root, Console.Out, inKernel: true);

    /// <summary>Builds the kit (Release) unless every part is up to date; throws <see cref="InvalidOperationException"/> when it cannot.</summary>
    public static void EnsureBuilt(string root, TextWriter progress) => EnsureBuilt(root, progress, inKernel: false);

    private static void EnsureBuilt(string root, TextWriter progress, bool inKernel)
    {
        root = Path.GetFullPath(root);
        if (!File.Exists(Path.Combine(root, Manifest)))
        {
            throw new InvalidOperationException($"{root} is not a copy of the kit (it has no {Manifest}): open the notebook from the kit's notebooks/ folder.");
        }

        var stale = StaleParts(root);
        if (stale.Count == 0)
        {
            return;
        }

        // One build at a time per kit copy (grade processes, notebook kernels): the others wait, then see it built.
        using var held = BuildLock(root, progress);
        stale = StaleParts(root);
        if (stale.Count == 0)
        {
            return;
        }

        var libraries = Libraries(root);
        if (inKernel && AppDomain.CurrentDomain.GetAssemblies().Any(a => libraries.Contains(a.GetName().Name)))
        {
            throw new InvalidOperationException($"The kit's library changed since this kernel loaded it ({stale[0]}): restart the kernel, then run all cells again.");
        }

        progress.WriteLine($"Building the kit (dotnet build {KitProject} -c Release) because {stale[0]} …");
        // No build servers or reused nodes: they would inherit the output pipes and keep the caller waiting.
        var start = new ProcessStartInfo("dotnet") { WorkingDirectory = root, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var argument in new[] { "build", KitProject, "-c", "Release", "-nologo", "-v", "q", "-nodeReuse:false", "--disable-build-servers" })
        {
            start.ArgumentList.Add(argument);
        }

        using var build = Process.Start(start) ?? throw new InvalidOperationException("could not start dotnet.");
        build.StandardInput.Close();
        var stderr = build.StandardError.ReadToEndAsync();
        var log = build.StandardOutput.ReadToEnd();
        build.WaitForExit();
        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"Building the kit failed (exit code {build.ExitCode}). In a terminal at {root} run:  dotnet build {KitProject} -c Release\n{log}{stderr.Result}");
        }

        // MSBuild copies a library into artifacts/kit with the time stamp of its obj/ copy, and does not compile again when
        // its own up-to-date check passes: a part that counted as stale for a file the compiler does not read (or a
        // clock or time-stamp quirk) stayed stale after a successful build, and every later start built the kit again
        // for nothing. A successful build has just made every part current: say so in its time stamp.
        var now = DateTime.UtcNow;
        foreach (var output in StaleOutputs(root))
        {
            File.SetLastWriteTimeUtc(output, now);
        }
    }

    /// <summary>The outputs (DLLs, setup script) of the parts that are stale and exist.</summary>
    private static IEnumerable<string> StaleOutputs(string root)
    {
        var output = OutputDirectory(root);
        var names = Libraries(root).Select(l => (Name: l, File: Path.Combine(output, l + ".dll"))).Append((Name: "the setup script", File: Path.Combine(output, SetupScript)));
        var stale = StaleParts(root);
        return names.Where(n => File.Exists(n.File) && stale.Any(s => s.StartsWith(n.Name + ": ", StringComparison.Ordinal))).Select(n => n.File).ToList();
    }

    /// <summary>The file lock (artifacts/.kit-build.lock) that one kit build holds; waits while another process holds it.</summary>
    private static FileStream BuildLock(string root, TextWriter progress)
    {
        var path = Path.Combine(Path.GetDirectoryName(OutputDirectory(root))!, ".kit-build.lock");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var clock = Stopwatch.StartNew();
        var told = false;
        while (true)
        {
            try
            {
                return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException)
            {
                if (clock.Elapsed > TimeSpan.FromMinutes(15))
                {
                    throw new InvalidOperationException($"Another build of the kit has held {path} for 15 minutes: is a build stuck? Stop it, then try again.");
                }

                if (!told)
                {
                    progress.WriteLine($"Waiting for another build of the kit to finish ({path} is held) …");
                    told = true;
                }

                System.Threading.Thread.Sleep(250);
            }
        }
    }

    private static XDocument LoadManifest(string root)
    {
        var path = Path.Combine(root, Manifest);
        return File.Exists(path) ? XDocument.Load(path) : throw new InvalidOperationException($"{path}: no such file — the kit manifest is missing.");
    }

    private static IEnumerable<string> ProjectInputs(string folder) =>
        !Directory.Exists(folder)
            ? []
            : Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories)
                .Where(f => s_inputExtensions.Contains(Path.GetExtension(f)))
                .Where(f => !Path.GetRelativePath(folder, f).Split(Path.DirectorySeparatorChar).Any(d => d is "bin" or "obj"));
}

/// <summary>One item of the kit manifest (lib/kit.props); its header says what each attribute means.</summary>
/// <param name="Kind"><see cref="LibraryItem"/>, <see cref="NamespaceItem"/> or <see cref="PackageItem"/>.</param>
/// <param name="Include">The library's project name, the namespace's name or the package's id.</param>
/// <param name="Namespace">The namespace lesson cells get, if any.</param>
/// <param name="Using">True when lesson cells use the namespace without qualification.</param>
/// <param name="Alias">The namespace alias check cells use, if any.</param>
/// <param name="Setup">A statement (without its semicolon) run once when a notebook loads the kit, if any.</param>
/// <param name="KernelExtension">For a package: the .NET Interactive kernel extension type the setup registers, if any.</param>
public sealed record KitEntry(string Kind, string Include, string? Namespace, bool Using, string? Alias, string? Setup, string? KernelExtension)
{
    /// <summary>The item name of a kit library.</summary>
    public const string LibraryItem = "KitLibrary";

    /// <summary>The item name of a further namespace of a kit library.</summary>
    public const string NamespaceItem = "KitNamespace";

    /// <summary>The item name of a NuGet package the notebooks use directly.</summary>
    public const string PackageItem = "KitPackage";
}
