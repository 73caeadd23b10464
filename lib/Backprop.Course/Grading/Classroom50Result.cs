using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Backprop.Course.Grading;

/// <summary>
/// Classroom 50's <c>result.json</c> (schema <c>classroom50/result/v1</c>, <c>schemas/result-v1.schema.json</c> of
/// foundation50/classroom50): who and what was graded, read from the GitHub Actions environment the exported workflow
/// runs in, and one test per exercise. No other top-level field is written: the schema forbids them.
/// </summary>
internal static partial class Classroom50Result
{
    /// <summary>The schema's name, its <c>schema</c> field.</summary>
    public const string Schema = "classroom50/result/v1";

    /// <summary>The identity of a submission, as the schema's required string fields hold it.</summary>
    public sealed record Identity(string Classroom, string Assignment, string AssignmentType, string Owner, string Submission,
        string Commit, string Release, string Review, string Datetime, string? Actor, long? ActorId);

    /// <summary>
    /// Reads the identity from the variables the workflow sets: <c>CLASSROOM</c>, <c>ASSIGNMENT</c> (from
    /// <c>.classroom50.yaml</c>), <c>MODE</c> (individual | group; individual when unset), <c>SUBMISSION_TAG</c> (a
    /// <c>submit/…</c> tag; else <c>GITHUB_REF_NAME</c> when it is one), <c>SUBMISSION_DATETIME</c> (the graded commit's
    /// committer date in UTC), and Actions' own <c>GITHUB_SERVER_URL</c>, <c>GITHUB_REPOSITORY</c>, <c>GITHUB_SHA</c>,
    /// <c>GITHUB_ACTOR</c>, <c>GITHUB_ACTOR_ID</c>; <c>BASELINE_SHA</c> (optional) makes the review link a comparison.
    /// The owner is the &lt;username&gt; of the repository's name &lt;classroom&gt;-&lt;assignment&gt;-&lt;username&gt;.
    /// </summary>
    /// <exception cref="CourseException">A variable is missing or malformed (checked before anything is graded).</exception>
    public static Identity FromEnvironment(Func<string, string?> variable)
    {
        string Required(string name) => variable(name) is { Length: > 0 } value ? value.Trim()
            : throw new CourseException($"--classroom50: the environment variable {name} is not set; the Classroom 50 workflow sets it (see the course guide).");
        var classroom = Required("CLASSROOM");
        var assignment = Required("ASSIGNMENT");
        var mode = variable("MODE") is { Length: > 0 } m ? m.Trim() : "individual";
        if (mode is not ("individual" or "group"))
        {
            throw new CourseException($"--classroom50: MODE={mode}: expected individual or group.");
        }

        var tag = variable("SUBMISSION_TAG") is { Length: > 0 } t ? t.Trim() : variable("GITHUB_REF_NAME")?.Trim() ?? "";
        if (!tag.StartsWith("submit/", StringComparison.Ordinal))
        {
            throw new CourseException($"--classroom50: the submission tag '{tag}' does not start with submit/ (set SUBMISSION_TAG, or push a submit/… tag).");
        }

        var repository = Required("GITHUB_REPOSITORY");
        var name = repository[(repository.IndexOf('/', StringComparison.Ordinal) + 1)..];
        var prefix = $"{classroom}-{assignment}-";
        if (!name.StartsWith(prefix, StringComparison.Ordinal) || name.Length == prefix.Length)
        {
            throw new CourseException($"--classroom50: the repository {repository} is not named {prefix}<username>, as Classroom 50 names a student's repository.");
        }

        var datetime = Required("SUBMISSION_DATETIME");
        if (!DatetimePattern().IsMatch(datetime))
        {
            throw new CourseException($"--classroom50: SUBMISSION_DATETIME={datetime}: expected the commit's UTC time as YYYY-MM-DDTHH:MM:SSZ.");
        }

        var site = $"{Required("GITHUB_SERVER_URL").TrimEnd('/')}/{repository}";
        var sha = Required("GITHUB_SHA");
        var commit = $"{site}/commit/{sha}";
        var review = variable("BASELINE_SHA") is { Length: > 0 } baseline && baseline != sha ? $"{site}/compare/{baseline.Trim()}...{sha}" : commit;
        var actorId = long.TryParse(variable("GITHUB_ACTOR_ID"), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id : (long?)null;
        return new Identity(classroom, assignment, mode, name[prefix.Length..], tag, commit, $"{site}/releases/tag/{tag}", review, datetime,
            variable("GITHUB_ACTOR") is { Length: > 0 } actor ? actor : null, actorId);
    }

    /// <summary>
    /// Writes <c>result.json</c>: the identity, <c>graded_at</c> (now, UTC), the total <c>score</c> and <c>max-score</c>
    /// (integers), and <c>tests</c>: one per exercise of every notebook graded (<c>test-name</c> "Exercise 01.2", <c>passed</c>,
    /// <c>score</c>, <c>max-score</c>, and the check's message as <c>output</c>, which the schema lets a test carry).
    /// </summary>
    public static void Write(string path, Identity who, IReadOnlyList<GradedSubmission> graded, DateTimeOffset gradedAt)
    {
        var tests = new JsonArray();
        foreach (var e in graded.SelectMany(g => g.Grade.Exercises))
        {
            tests.Add(new JsonObject
            {
                ["test-name"] = $"Exercise {e.Id}",
                ["passed"] = e.Passed,
                ["score"] = Math.Max(0, e.Earned),
                ["max-score"] = Math.Max(0, e.Points),
                ["output"] = e.Message,
            });
        }

        var result = new JsonObject
        {
            ["schema"] = Schema,
            ["classroom"] = who.Classroom,
            ["assignment"] = who.Assignment,
            ["assignment_type"] = who.AssignmentType,
            ["owner"] = who.Owner,
            ["submission"] = who.Submission,
            ["commit"] = who.Commit,
            ["release"] = who.Release,
            ["review"] = who.Review,
            ["datetime"] = who.Datetime,
            ["graded_at"] = gradedAt.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
            ["score"] = graded.Sum(g => Math.Max(0, g.Grade.Earned)),
            ["max-score"] = graded.Sum(g => Math.Max(0, g.Grade.Possible)),
            ["tests"] = tests,
        };
        if (who.Actor is { } actor)
        {
            result["submitted_by"] = new JsonObject { ["username"] = actor, ["id"] = who.ActorId };
        }

        Files.WriteAtomically(path, result.ToJsonString(GradeReport.Options) + "\n");
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ$")]
    private static partial Regex DatetimePattern();
}
