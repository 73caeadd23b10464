using System.Diagnostics;
using System.Text.Json.Nodes;

namespace Backprop.Course;

/// <summary>
/// Finds the pinned <c>dotnet-interactive</c> tool of the repository's tool manifest
/// (dotnet-tools.json), restoring it with <c>dotnet tool restore</c> on first use.
/// </summary>
internal static class Engine
{
    private const string ToolPackage = "microsoft.dotnet-interactive";

    /// <summary>The engine's entry DLL, restored if missing.</summary>
    public static string ToolDll(string repositoryRoot, TextWriter progress)
    {
        var manifest = Path.Combine(repositoryRoot, "dotnet-tools.json");
        if (!File.Exists(manifest))
        {
            throw new CourseException($"{manifest}: no such file — the tool manifest pinning dotnet-interactive is missing.");
        }

        var version = (JsonNode.Parse(File.ReadAllText(manifest))?["tools"]?[ToolPackage]?["version"]?.GetValue<string>())
            ?? throw new CourseException($"{manifest}: it does not pin the {ToolPackage} tool.");
        var packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } custom
            ? custom
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        var dll = Path.Combine(packages, ToolPackage, version, "tools", "net10.0", "any", "Microsoft.DotNet.Interactive.App.dll");
        if (!File.Exists(dll))
        {
            progress.WriteLine($"Restoring the pinned engine (dotnet-interactive {version}) from {Path.GetFileName(manifest)} …");
            Process.Run(repositoryRoot, progress, "dotnet", "tool", "restore");
            if (!File.Exists(dll))
            {
                throw new CourseException($"dotnet tool restore did not install {dll}.");
            }
        }

        return dll;
    }
}

/// <summary>
/// The kit libraries the notebooks load from <c>artifacts/kit/</c> (see lib/Directory.Build.props).
/// They are built once, before any notebook runs, so no notebook ever builds while another runs.
/// </summary>
internal static class Kit
{
    public static readonly string[] Projects = ["Backprop", "Backprop.Lessons", "Backprop.Coursework"];

    /// <summary>The project whose build builds every library a notebook loads.</summary>
    public const string TopProject = "lib/Backprop.Coursework";

    /// <summary>The folder holding the repository that holds <paramref name="path"/> (it has lib/Backprop.Coursework).</summary>
    public static string RepositoryRoot(string path)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, TopProject, "Backprop.Coursework.csproj")))
            {
                return dir.FullName;
            }
        }

        throw new CourseException($"{path}: not inside a copy of the kit (no {TopProject} in it or any parent folder).");
    }

    public static string OutputDirectory(string repositoryRoot) => Path.Combine(repositoryRoot, "artifacts", "kit");

    /// <summary>True when every kit DLL exists and is newer than every source file of the kit projects.</summary>
    public static bool IsUpToDate(string repositoryRoot)
    {
        var dlls = Projects.Select(p => new FileInfo(Path.Combine(OutputDirectory(repositoryRoot), p + ".dll"))).ToList();
        if (dlls.Any(d => !d.Exists))
        {
            return false;
        }

        var oldestDll = dlls.Min(d => d.LastWriteTimeUtc);
        return SourceFiles(repositoryRoot).All(f => File.GetLastWriteTimeUtc(f) <= oldestDll);
    }

    /// <summary>Builds the kit (Release) unless it is up to date.</summary>
    public static void EnsureBuilt(string repositoryRoot, TextWriter progress)
    {
        if (IsUpToDate(repositoryRoot))
        {
            return;
        }

        progress.WriteLine($"Building the kit (dotnet build {TopProject} -c Release) …");
        // No build servers or reused nodes: they would inherit the output pipes and outlive the build.
        Process.Run(repositoryRoot, progress, "dotnet", "build", TopProject, "-c", "Release", "-nologo", "-v", "q", "-nodeReuse:false", "--disable-build-servers");
    }

    private static IEnumerable<string> SourceFiles(string root)
    {
        var props = new[] { "Directory.Build.props", "Directory.Packages.props", "lib/Directory.Build.props" }
            .Select(p => Path.Combine(root, p))
            .Where(File.Exists);
        var sources = Projects.SelectMany(p => Directory.EnumerateFiles(Path.Combine(root, "lib", p), "*", SearchOption.AllDirectories))
            .Where(f => f.EndsWith(".cs", StringComparison.Ordinal) || f.EndsWith(".csproj", StringComparison.Ordinal))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                     && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        return props.Concat(sources);
    }
}

/// <summary>Runs a child process to completion; its output goes to the progress writer only when it fails.</summary>
internal static class Process
{
    public static void Run(string workingDirectory, TextWriter progress, string fileName, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var process = System.Diagnostics.Process.Start(start)
            ?? throw new CourseException($"could not start {fileName}.");
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            progress.WriteLine(stdout.Result);
            progress.WriteLine(stderr.Result);
            throw new CourseException($"`{fileName} {string.Join(' ', arguments)}` failed (exit code {process.ExitCode}) in {workingDirectory}.");
        }
    }
}
