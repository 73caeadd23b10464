using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Backprop.Course;

/// <summary>
/// The grader for the graders courses already use, instead of a cluster of its own: a Gradescope autograder bundle
/// (Gradescope's autograder specification: <c>setup.sh</c> and <c>run_autograder</c> at the top of the zip, which
/// Gradescope unpacks to <c>/autograder/source</c>; the submission in <c>/autograder/submission</c>; the results in
/// <c>/autograder/results/results.json</c>) and a GitHub Classroom workflow. Both run the same <c>grade</c> command.
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

    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

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

    /// <summary>Writes <c>.github/workflows/classroom.yml</c> into a release (the students' template repository); returns the file.</summary>
    public static string GitHubClassroom(string releaseRoot)
    {
        if (!File.Exists(Path.Combine(releaseRoot, KitBuild.Manifest)) || !Directory.Exists(Path.Combine(releaseRoot, Release.ChecksFolder)))
        {
            throw new CourseException($"--output {releaseRoot}: not a student release (no {KitBuild.Manifest} or {Release.ChecksFolder} in it); write one with `release --output DIR` first.");
        }

        var path = Path.Combine(releaseRoot, ".github", "workflows", "classroom.yml");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, Template.Text("classroom.yml"));
        return path;
    }

    /// <summary>
    /// Writes Gradescope's results.json for the submissions graded: one test per exercise (name, score, max_score, output =
    /// the check's message, visibility <c>after_published</c> when the exercise has hidden checks, else <c>visible</c>), the
    /// total score, and what kept a submission from being graded normally as the top-level output.
    /// </summary>
    public static void WriteGradescopeResults(string path, IReadOnlyList<GradedSubmission> graded)
    {
        var tests = new JsonArray();
        var notes = new List<string>();
        foreach (var result in graded)
        {
            foreach (var e in result.Grade.Exercises)
            {
                tests.Add(new JsonObject
                {
                    ["name"] = $"Exercise {e.Id}",
                    ["number"] = e.Id,
                    ["score"] = e.Earned,
                    ["max_score"] = e.Points,
                    ["status"] = e.Passed ? "passed" : "failed",
                    ["output"] = e.Message,
                    ["visibility"] = result.ExercisesWithHiddenChecks.Contains(e.Id) ? "after_published" : "visible",
                });
            }

            notes.AddRange(result.Grade.Problems.Select(p => $"{Path.GetFileName(result.Grade.Notebook)}: {p}"));
        }

        var results = new JsonObject
        {
            ["score"] = graded.Sum(g => g.Grade.Earned),
            ["output"] = notes.Count == 0 ? $"Graded {string.Join(", ", graded.Select(g => Path.GetFileName(g.Grade.Notebook)))}." : string.Join("\n", notes),
            ["visibility"] = "visible",
            ["stdout_visibility"] = "hidden",
            ["tests"] = tests,
        };
        Files.WriteAtomically(path, results.ToJsonString(s_json) + "\n");
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
