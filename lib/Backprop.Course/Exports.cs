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
        var root = Release.RealPath(repositoryRoot);
        var target = Release.RealPath(output);
        CheckTarget(root, target, output);
        var kit = Path.Combine(target, "kit");
        foreach (var item in s_bundleItems.Concat(Kit.Projects(root).Select(p => $"lib/{p}")))
        {
            Release.Copy(Path.Combine(root, item), Path.Combine(kit, item));
        }

        // The instructor's notebooks, hidden checks included: the bundle lives on Gradescope, never with the students.
        Release.Copy(Path.Combine(root, "notebooks"), Path.Combine(kit, "notebooks"));
        WriteScript(Path.Combine(target, "setup.sh"), SetupScript);
        WriteScript(Path.Combine(target, "run_autograder"), RunAutograder);
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
        File.WriteAllText(path, ClassroomWorkflow);
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
        ClassGrading.WriteAtomically(path, results.ToJsonString(s_json) + "\n");
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

    private const string SetupScript = """
        #!/usr/bin/env bash
        # Gradescope runs this once, as root, when it builds the autograder image (Ubuntu), from /autograder/source.
        # It installs the .NET 10 SDK and bubblewrap (the grader's sandbox), restores the pinned notebook engine and builds
        # the kit and the course tool, so that run_autograder needs nothing from the network.
        # Where bubblewrap does not work in the container, the grader (root) runs each kernel as an unprivileged user of its
        # own (util-linux's setpriv and prlimit): so that this user reads none of the lecturer's files, /autograder (the kit's
        # sources, the notebooks with their hidden checks, the submission, the results) is closed to every user but root, and
        # the NuGet packages (the engine among them) go to /opt/backprop-nuget, which every user may read.
        set -euo pipefail
        cd "$(dirname "${BASH_SOURCE[0]}")"
        export DEBIAN_FRONTEND=noninteractive DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 NUGET_PACKAGES=/opt/backprop-nuget
        apt-get update -qq
        apt-get install -y -qq --no-install-recommends bubblewrap util-linux curl ca-certificates libicu-dev >/dev/null
        mkdir -p /opt/backprop-nuget && chmod 755 /opt/backprop-nuget
        chmod 700 /autograder 2>/dev/null || true
        if ! command -v dotnet >/dev/null 2>&1 || ! dotnet --list-sdks | grep -q '^10\.'; then
          curl -sSL https://dot.net/v1/dotnet-install.sh -o /tmp/dotnet-install.sh
          bash /tmp/dotnet-install.sh --channel 10.0 --install-dir /usr/share/dotnet
          ln -sf /usr/share/dotnet/dotnet /usr/local/bin/dotnet
        fi
        cd kit
        dotnet tool restore
        dotnet build lib/Backprop.Kit -c Release
        dotnet build lib/Backprop.Course -c Release
        chmod -R a+rX /opt/backprop-nuget

        """;

    private const string RunAutograder = """
        #!/usr/bin/env bash
        # Gradescope runs this for every submission. The student's files are in $ROOT/submission; the results go to
        # $ROOT/results/results.json (one test per exercise; exercises with hidden checks are visible after publishing).
        # ROOT is /autograder unless BACKPROP_AUTOGRADER_ROOT says otherwise (the kit's test runs this in a temporary folder).
        set -uo pipefail
        root="${BACKPROP_AUTOGRADER_ROOT:-/autograder}"
        here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
        kit="$root/source/kit"
        [ -d "$kit" ] || kit="$here/kit"
        results="$root/results"
        mkdir -p "$results"
        # Only root may enter the autograder's folder (the hidden checks, the submission, the results): a kernel that runs as a
        # user of its own where bubblewrap does not work reads none of it. The engine is where setup.sh restored it.
        chmod 700 "$root" 2>/dev/null || true
        if [ -d /opt/backprop-nuget ]; then export NUGET_PACKAGES=/opt/backprop-nuget; fi
        fail() {
          # Gradescope shows results.json whatever happens; a message with a quote or backslash is kept plain.
          msg=$(printf '%s' "$1" | tr -d '"\\' | tr '\n' ' ')
          printf '{"score": 0, "output": "%s", "visibility": "visible", "tests": []}\n' "$msg" > "$results/results.json"
          exit 0
        }
        if ! find "$root/submission" -name '*.ipynb' 2>/dev/null | grep -q .; then
          fail "No .ipynb file in your submission: upload the notebook file itself."
        fi
        cd "$kit" || fail "The autograder is not set up (no $kit)."
        # Gradescope's container is thrown away after this submission: bubblewrap confines the kernel when the container
        # allows it, otherwise the grader (root) runs it with unshare or a process group as an unprivileged user of its own,
        # with process and file limits, instead of refusing (the grader's log names what protection it had).
        dotnet lib/Backprop.Course/bin/Release/net10.0/Backprop.Course.dll grade "$root/submission" --jobs 1 --timeout 600 --allow-weak-confinement \
          --gradescope "$results/results.json" --feedback "$results/feedback" --output "$results/report.json" >"$results/grader.log" 2>&1
        status=$?
        [ -f "$results/results.json" ] || fail "The grader stopped before it wrote results (exit $status): $(tail -n 3 "$results/grader.log")"
        exit 0

        """;

    private const string ClassroomWorkflow = """
        # GitHub Classroom autograding for a Backprop.Notebooks release (written by `export github-classroom`).
        # On every push it grades the lesson notebooks the student changed with the course tool's grade command —
        # same runner, same sandbox, the public checks of the release as it was first committed (.course/checks of the
        # repository's first commit, so an edited copy does not count). Hidden checks are not in a student repository:
        # grade them with `grade` on your machine or with the Gradescope bundle.
        name: Autograding
        on:
          push:
          workflow_dispatch:
        permissions:
          contents: read
        jobs:
          grade:
            runs-on: ubuntu-latest
            timeout-minutes: 30
            steps:
              - uses: actions/checkout@v4
                with:
                  fetch-depth: 0
              - uses: actions/setup-dotnet@v4
                with:
                  dotnet-version: '10.0.x'
              - name: The grader's sandbox (bubblewrap)
                # Ubuntu 24.04 runners forbid unprivileged user namespaces (AppArmor), which bubblewrap needs: allowed again
                # for this throwaway VM, so that the kernel is confined by bubblewrap rather than a process group.
                run: |
                  sudo apt-get update -qq && sudo apt-get install -y -qq bubblewrap || true
                  sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0 || true
              - name: The pinned engine, the kit and the course tool
                run: |
                  dotnet tool restore
                  dotnet build lib/Backprop.Kit -c Release
                  dotnet build lib/Backprop.Course -c Release
              - name: Grade the changed notebooks
                shell: bash
                run: |
                  first="$(git rev-list --max-parents=0 HEAD | tail -n 1)"
                  CHECKS="$RUNNER_TEMP/released"
                  mkdir -p "$CHECKS" && git archive "$first" .course/checks | tar -x -C "$CHECKS"
                  CHECKS="$CHECKS/.course/checks"
                  changed=$(git diff --name-only "$first" HEAD -- 'notebooks/*.ipynb')
                  [ -n "$changed" ] || changed=notebooks
                  TOOL=lib/Backprop.Course/bin/Release/net10.0/Backprop.Course.dll
                  # The runner is a throwaway VM grading its own repository: bubblewrap when the runner allows it, else weaker.
                  dotnet "$TOOL" grade $changed --lessons "$CHECKS" --jobs 2 --allow-weak-confinement --gradebook grades/gradebook.csv --feedback grades/feedback --output grades/report.json
              - uses: actions/upload-artifact@v4
                if: always()
                with:
                  name: feedback
                  path: grades/

        """;
}
