
namespace Backprop.Course.Publishing;

/// <summary>
/// The grader for the graders courses already use, instead of a cluster of its own: a Gradescope autograder bundle
/// (Gradescope's autograder specification: <c>setup.sh</c> and <c>run_autograder</c> at the top of the zip, which
/// Gradescope unpacks to <c>/autograder/source</c>; the submission in <c>/autograder/submission</c>; the results in
/// <c>/autograder/results/results.json</c>) and a Classroom 50 workflow (GitHub Classroom's successor: each submission's
/// <c>result.json</c> in the schema <c>classroom50/result/v1</c>). Both run the same <c>grade</c> command.
/// </summary>
internal static class Exports
{
    /// <summary>The environment variable that moves the autograder root away from /autograder (a test runs the bundle in a temporary folder).</summary>
    public const string AutograderRootVariable = "BACKPROP_AUTOGRADER_ROOT";

    /// <summary>What the bundle holds of the repository besides the notebooks (bin/ and obj/ left out).</summary>
    private static readonly string[] s_bundleItems =
    [
        "dotnet-tools.json", "Directory.Build.props", "Directory.Packages.props", ".editorconfig",
        "lib/Directory.Build.props", KitBuild.Manifest, KitBuild.KitProject, KitBuild.SharedSources, "lib/Backprop.Course",
    ];


    /// <summary>Writes the Gradescope bundle into <paramref name="output"/> (a new or empty folder outside the repository); returns the folder.</summary>
    public static string Gradescope(string repositoryRoot, string output)
    {
        var root = Files.RealPath(repositoryRoot);
        var target = Files.RealPath(output);
        CheckTarget(root, target, output);
        var kit = Path.Combine(target, "kit");
        foreach (var item in s_bundleItems.Concat(Kit.Projects(root).Select(p => $"lib/{p}")))
        {
            Files.Copy(Path.Combine(root, item), Path.Combine(kit, item));
        }

        // The instructor's notebooks, hidden checks included: the bundle lives on Gradescope, never with the students.
        Files.Copy(Path.Combine(root, "notebooks"), Path.Combine(kit, "notebooks"));
        WriteScript(Path.Combine(target, "setup.sh"), Template.Text("setup.sh"));
        WriteScript(Path.Combine(target, "run_autograder"), Template.Text("run_autograder"));
        return target;
    }

    /// <summary>The workflow's path in a release (the students' template repository).</summary>
    public const string Classroom50Workflow = ".github/workflows/classroom50.yml";

    /// <summary>
    /// Writes <see cref="Classroom50Workflow"/> into a release: on every pushed submission it grades the lesson notebooks with
    /// the release's untouched public checks and writes <c>result.json</c> (<c>grade --classroom50</c>); returns the file.
    /// </summary>
    public static string Classroom50(string releaseRoot)
    {
        if (!File.Exists(Path.Combine(releaseRoot, KitBuild.Manifest)) || !Directory.Exists(Path.Combine(releaseRoot, Release.ChecksFolder)))
        {
            throw new CourseException($"--output {releaseRoot}: not a student release (no {KitBuild.Manifest} or {Release.ChecksFolder} in it); write one with `release --output DIR` first.");
        }

        var path = Path.Combine(releaseRoot, Classroom50Workflow);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Template.Text("classroom50.yml").ReplaceLineEndings("\n"));
        return path;
    }

    private static void CheckTarget(string root, string target, string shown)
    {
        var relative = Path.GetRelativePath(root, target);
        if (relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative)))
        {
            throw new CourseException($"--output {shown}: that is inside the kit's repository {root}; write the bundle to a folder outside it.");
        }

        if (File.Exists(target))
        {
            throw new CourseException($"--output {shown}: that is a file, not a folder.");
        }

        if (Directory.Exists(target) && Directory.EnumerateFileSystemEntries(target).Any())
        {
            throw new CourseException($"--output {shown}: the folder is not empty; choose a new or empty folder.");
        }
    }

    private static void WriteScript(string path, string text)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text.ReplaceLineEndings("\n"));
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        }
    }
}
