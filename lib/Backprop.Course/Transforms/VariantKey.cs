using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>
/// What makes each student's variant: the course roster and the course secret. A student's seed for an exercise is the
/// first 31 bits of HMAC-SHA256(secret, "student/exercise"): deterministic, different for every student and exercise, and
/// not computable without the secret, which never goes into a release. <c>release --roster</c> writes each student's variant
/// cell from it; <c>grade</c> writes the cell again from the gradebook id and judges the submission's own (<see cref="Decide"/>).
/// </summary>
internal sealed class VariantKey(Roster roster, byte[] secret, string rosterName)
{
    /// <summary>The fewest bytes a course secret may have.</summary>
    public const int MinSecretBytes = 16;

    public Roster Roster => roster;

    /// <summary>Reads the roster (<see cref="Roster.Read"/>) and the secret: the file's bytes, without white space at its end.</summary>
    /// <exception cref="CourseException">A missing file, a bad roster row, or a secret shorter than <see cref="MinSecretBytes"/> bytes.</exception>
    public static VariantKey Read(string rosterPath, string secretPath)
    {
        var students = Roster.Read(rosterPath);
        if (!File.Exists(secretPath))
        {
            throw new CourseException($"--secret-file {secretPath}: no such file (the course secret the students' variants are drawn from).");
        }

        var text = File.ReadAllBytes(secretPath).AsSpan();
        while (text.Length > 0 && text[^1] is (byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')
        {
            text = text[..^1];
        }

        return text.Length < MinSecretBytes
            ? throw new CourseException($"--secret-file {secretPath}: the course secret has {text.Length} byte(s); it needs at least {MinSecretBytes} (e.g. `openssl rand -hex 32 > {Path.GetFileName(secretPath)}`), kept away from the students.")
            : new VariantKey(students, text.ToArray(), rosterPath);
    }

    /// <summary>What identifies the roster and the secret without revealing the secret: HMAC-SHA256(secret, the roster's ids), in hex (<c>grade --resume</c> matches it).</summary>
    public string Fingerprint => Convert.ToHexStringLower(HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes("roster\n" + string.Join("\n", roster.Ids))));

    /// <summary>The seed of <paramref name="student"/> for <paramref name="exercise"/>: the first 31 bits of HMAC-SHA256(secret, "student/exercise").</summary>
    public int Seed(string student, string exercise)
    {
        var mac = HMACSHA256.HashData(secret, Encoding.UTF8.GetBytes($"{student}/{exercise}"));
        return (int)(BinaryPrimitives.ReadUInt32BigEndian(mac) & 0x7FFF_FFFF);
    }

    /// <summary>
    /// The value <paramref name="student"/>'s variant draws for each of <paramref name="draws"/> (<see cref="VariantCell.Draws"/>): from the
    /// student's seed for the draw's exercise, by the arithmetic <c>Kit::Variant.Draw</c> uses (<see cref="VariantDraw.Value"/>, one file
    /// compiled into both), never from what the student's kernel printed.
    /// </summary>
    public IReadOnlyList<(string Exercise, int From, int To, int Value)> Drawn(string student, IReadOnlyList<(string Exercise, int From, int To)> draws) =>
        [.. draws.Select(d => (d.Exercise, d.From, d.To, VariantDraw.Value(Seed(student, d.Exercise), d.From, d.To)))];

    /// <summary>The variant cell's text for <paramref name="student"/> and the <paramref name="exercises"/> that opt in.</summary>
    public string Cell(string student, IReadOnlyList<string> exercises) => VariantCell.Source(student, [.. exercises.Select(e => (e, Seed(student, e)))]);

    /// <summary>
    /// The variant cell the grader runs for one submission, and the problem that makes its variant exercises earn nothing (null when
    /// none). With a key: the cell written for <paramref name="student"/>; a student not on the roster, a deleted, edited or another
    /// student's variant cell is the problem. Without one (<paramref name="key"/> null): no cell, unless <paramref name="trustSubmission"/>
    /// (validate, the student's own check) and the submission's cell is intact; a submission carrying a variant cell is then a problem.
    /// </summary>
    public static (string? Cell, string? Problem) Decide(VariantKey? key, NotebookDocument submission, string? student, IReadOnlyList<string> exercises, bool trustSubmission)
    {
        if (exercises.Count == 0)
        {
            return (null, null);
        }

        var theirs = submission.Cells.Where(VariantCell.Is).Select(c => c.Source).ToList();
        var own = theirs.Count == 1 ? VariantCell.Parse(theirs[0]) : null;
        var earnNothing = $"exercise{(exercises.Count == 1 ? "" : "s")} {string.Join(", ", exercises)} earn{(exercises.Count == 1 ? "s" : "")} nothing";
        if (key is null)
        {
            return theirs.Count == 0 ? (null, null)
                : trustSubmission && own is { } intact && intact.Seeds.Select(s => s.Exercise).SequenceEqual(exercises) ? (theirs[0], null)
                : trustSubmission ? (null, $"the notebook's variant cell was edited, so it ran with the lesson's standard numbers; {earnNothing} when graded")
                : (null, $"the notebook carries a per-student variant cell, but grade was not given the course roster and secret (--roster, --secret-file) to check it: {earnNothing}");
        }

        if (student is null || !key.Roster.Contains(student))
        {
            return (null, $"student '{ReportText.OneLine(student ?? "", 80)}' is not on the roster {key._rosterName}, so there is no variant to grade against: {earnNothing}");
        }

        var expected = key.Cell(student, exercises);
        return theirs switch
        {
            [] => (expected, $"the variant cell (the code cell after the setup cells starting `{VariantCell.MarkerLine}`) was deleted or its first line changed: {earnNothing}"),
            [var one] when VariantCell.Same(one, expected) => (expected, null),
            [_] when own is { } other && other.Student != student && key.Roster.Contains(other.Student) && VariantCell.Same(theirs[0], key.Cell(other.Student, exercises))
                => (expected, $"the notebook carries the variant of another student ('{other.Student}'), not the one drawn for '{student}': {earnNothing}"),
            [_] => (expected, $"the variant cell was edited (its seeds are not the ones drawn for '{student}'): {earnNothing}"),
            _ => (expected, $"the notebook has {theirs.Count} variant cells, where the release wrote one: {earnNothing}"),
        };
    }

    private readonly string _rosterName = rosterName;
}
