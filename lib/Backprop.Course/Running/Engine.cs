using System.Text.Json.Nodes;
using Backprop.Course.Sandboxing;

namespace Backprop.Course.Running;

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
            ChildProcess.RunStep(repositoryRoot, progress, TimeSpan.FromMinutes(10), "dotnet", "tool", "restore");
            if (!File.Exists(dll))
            {
                throw new CourseException($"dotnet tool restore did not install {dll}.");
            }
        }

        return dll;
    }
}
