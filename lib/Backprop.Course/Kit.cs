namespace Backprop.Course;

/// <summary>
/// The course tool's view of the kit: where a kit copy's root is, which libraries it has and whether they
/// are built. The manifest is lib/kit.props; reading it and the build-if-stale step live in
/// lib/Backprop.Kit/KitBuild.cs, the file every notebook's first setup cell loads, so both use one implementation.
/// The kit is built once before any notebook runs, so no notebook ever builds while another runs.
/// </summary>
internal static class Kit
{
    /// <summary>The folder holding the kit copy that holds <paramref name="path"/> (it has lib/kit.props).</summary>
    public static string RepositoryRoot(string path)
    {
        for (var dir = new DirectoryInfo(Path.GetFullPath(path)); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, KitBuild.Manifest)))
            {
                return dir.FullName;
            }
        }

        throw new CourseException($"{path}: not inside a copy of the kit (no {KitBuild.Manifest} in it or any parent folder).");
    }

    /// <summary>The kit libraries named in the manifest.</summary>
    public static IReadOnlyList<string> Projects(string repositoryRoot) => Guard(() => KitBuild.Libraries(repositoryRoot));

    /// <summary>Every item of the kit manifest (lib/kit.props), in its order.</summary>
    public static IReadOnlyList<KitEntry> Entries(string repositoryRoot) => Guard(() => KitBuild.Entries(repositoryRoot));

    /// <summary>The folder the kit is built into (artifacts/kit).</summary>
    public static string OutputDirectory(string repositoryRoot) => Guard(() => KitBuild.OutputDirectory(repositoryRoot));

    /// <summary>Builds the kit (Release) unless it is up to date.</summary>
    public static void EnsureBuilt(string repositoryRoot, TextWriter progress) => Guard(() =>
    {
        KitBuild.EnsureBuilt(repositoryRoot, progress);
        return true;
    });

    /// <summary>plotly.js as the pinned Plotly.NET embeds it (the copy its offline HTML uses), which the kit build copies into <paramref name="kitFolder"/>.</summary>
    public static string PlotlyJs(string kitFolder)
    {
        var path = Path.Combine(kitFolder, WireContract.PlotlyJsFile);
        if (!File.Exists(path))
        {
            var other = Directory.Exists(kitFolder) ? Directory.GetFiles(kitFolder, "plotly-*.min.js").Select(Path.GetFileName).FirstOrDefault() : null;
            throw new CourseException(other is null
                ? $"{path}: no such file — the kit build copies plotly.js there out of Plotly.NET; build the kit (dotnet build {KitBuild.KitProject} -c Release)."
                : $"{path}: no such file, but the kit has {other}: the pinned Plotly.NET embeds another plotly.js; set WireContract.PlotlyJsFile to its name.");
        }

        return File.ReadAllText(path);
    }

    private static T Guard<T>(Func<T> action)
    {
        try
        {
            return action();
        }
        catch (InvalidOperationException e)
        {
            throw new CourseException(e.Message);
        }
    }
}
