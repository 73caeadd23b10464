using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text.RegularExpressions;

namespace Backprop.Course;

/// <summary>
/// Grades submissions: finds each one's lesson from its lesson id, puts the instructor's check
/// cells (hidden checks included) in place of the student's, runs it in the real engine and
/// reports per exercise. The student's file is only read.
/// </summary>
internal sealed partial class Grader(string repositoryRoot, NotebookRunner runner)
{
    private readonly Dictionary<string, (string Path, NotebookDocument Notebook)> _lessons = LoadLessons(repositoryRoot);
    private readonly Lazy<HashSet<string>> _kitTypeNames = new(() => KitTypeNames(repositoryRoot));

    public async Task<SubmissionGrade> GradeAsync(string submissionPath)
    {
        var display = submissionPath;
        NotebookDocument submission;
        try
        {
            submission = NotebookDocument.Load(submissionPath);
        }
        catch (CourseException e)
        {
            return new SubmissionGrade(display, null, [], 0, 0, [e.Message]);
        }

        var lesson = LessonOf(submission);
        if (lesson is null || !_lessons.TryGetValue(lesson, out var instructor))
        {
            var known = string.Join(", ", _lessons.Keys.Order(StringComparer.Ordinal));
            return new SubmissionGrade(display, lesson, [], 0, 0,
                [$"cannot tell which lesson this is: {(lesson is null ? "no lesson id in its metadata and no exercise markers" : $"lesson id '{lesson}' is not one of the course's ({known})")}."]);
        }

        var exercises = instructor.Notebook.Cells.Select(c => c.Marker).OfType<Marker>().Where(m => m.Kind == MarkerKind.Exercise).ToList();
        var problems = new List<string>();
        problems.AddRange(KitNameFlags(submission));
        var graded = WithInstructorChecks(submission, instructor.Notebook);
        var run = await runner.RunAsync(graded, Path.GetDirectoryName(instructor.Path)!);

        foreach (var failed in run.Cells.Where(c => c.Status != CellStatus.Succeeded && c.Marker?.Kind != MarkerKind.Check))
        {
            problems.Add(failed.Status == CellStatus.NotRun ? $"cell {failed.CellNumber}: {failed.Error}" : $"cell {failed.CellNumber} failed: {failed.ShortError}");
        }

        var grades = new List<ExerciseGrade>();
        foreach (var exercise in exercises)
        {
            var check = run.Checks.FirstOrDefault(c => c.Marker!.Id == exercise.Id);
            var (passed, message) = check switch
            {
                null => (false, "no check cell for this exercise"),
                { Status: CellStatus.Succeeded } => (true, ConfirmationOf(run, check)),
                _ => (false, (check.Error ?? "").Trim()),
            };
            grades.Add(new ExerciseGrade(exercise.Id, exercise.Points, passed ? exercise.Points : 0, passed, message));
        }

        return new SubmissionGrade(display, lesson, grades, grades.Sum(g => g.Earned), grades.Sum(g => g.Points), problems);
    }

    /// <summary>The submission's cells, with every setup and check cell replaced by the instructor's (matched by marker).</summary>
    public static NotebookDocument WithInstructorChecks(NotebookDocument submission, NotebookDocument instructor)
    {
        var official = instructor.Cells.Where(c => c.Marker?.Kind is MarkerKind.Check or MarkerKind.Setup)
            .ToDictionary(c => (c.Marker!.Kind, c.Marker.Id));
        var used = new HashSet<(MarkerKind, string)>();
        var cells = new List<NotebookCell>();
        foreach (var cell in submission.Cells)
        {
            var key = cell.Marker is { Kind: MarkerKind.Check or MarkerKind.Setup } m ? (m.Kind, m.Id) : default;
            if (cell.Marker is not null && official.TryGetValue(key, out var replacement) && used.Add(key))
            {
                cells.Add(replacement.Copy());
            }
            else if (cell.Marker?.Kind is not (MarkerKind.Check or MarkerKind.Setup))
            {
                cells.Add(cell.Copy());
            }
        }

        // A check cell the student deleted goes back right after its exercise cell (or at the end).
        foreach (var (key, check) in official.Where(o => o.Key.Kind == MarkerKind.Check && !used.Contains(o.Key)))
        {
            var exerciseAt = cells.FindIndex(c => c.Marker is { Kind: MarkerKind.Exercise } m && m.Id == key.Id);
            cells.Insert(exerciseAt < 0 ? cells.Count : exerciseAt + 1, check.Copy());
        }

        return submission.WithCells(cells);
    }

    private static string ConfirmationOf(NotebookRun run, CellResult check)
    {
        var outputs = run.Executed.Cells[check.CellNumber - 1].Json["outputs"]?.AsArray() ?? [];
        var text = string.Concat(outputs.Where(o => o?["output_type"]?.GetValue<string>() == "stream")
            .SelectMany(o => o!["text"]!.AsArray().Select(t => t!.GetValue<string>())));
        return text.Trim().Split('\n').LastOrDefault(l => l.Length > 0)?.Trim() ?? "passed";
    }

    /// <summary>The lesson a notebook belongs to: <c>metadata.backprop.lesson</c>, else the lesson part of its exercise markers.</summary>
    public static string? LessonOf(NotebookDocument notebook) =>
        notebook.LessonId ?? notebook.Cells.Select(c => c.Marker).OfType<Marker>()
            .Where(m => m.Kind is MarkerKind.Exercise or MarkerKind.Check).Select(m => m.Lesson).FirstOrDefault();

    private IEnumerable<string> KitNameFlags(NotebookDocument submission)
    {
        foreach (var (cell, index) in submission.Cells.Select((c, i) => (c, i + 1)).Where(x => x.c.IsCode && x.c.Marker?.Kind is not (MarkerKind.Check or MarkerKind.Setup)))
        {
            foreach (Match match in TypeDeclaration().Matches(cell.Source))
            {
                var name = match.Groups["name"].Value;
                if (_kitTypeNames.Value.Contains(name))
                {
                    yield return $"cell {index} declares a type named '{name}', a name the kit uses (check cells call the kit through the aliases Kit::, Core::, Lessons:: and LA::, so it cannot change a check, but say so to the student).";
                }
            }
        }
    }

    private static Dictionary<string, (string, NotebookDocument)> LoadLessons(string root)
    {
        var lessons = new Dictionary<string, (string, NotebookDocument)>(StringComparer.Ordinal);
        foreach (var path in Directory.GetFiles(Path.Combine(root, "notebooks"), "*.ipynb").Order(StringComparer.Ordinal))
        {
            var notebook = NotebookDocument.Load(path);
            if (LessonOf(notebook) is { } lesson)
            {
                lessons[lesson] = (path, notebook);
            }
        }

        return lessons;
    }

    /// <summary>The public type names of the built kit libraries (read from their metadata, without loading them).</summary>
    private static HashSet<string> KitTypeNames(string root)
    {
        var names = new HashSet<string>(StringComparer.Ordinal) { "Backprop" };
        foreach (var project in Kit.Projects(root))
        {
            var dll = Path.Combine(Kit.OutputDirectory(root), project + ".dll");
            if (!File.Exists(dll))
            {
                continue;
            }

            using var pe = new PEReader(File.OpenRead(dll));
            var reader = pe.GetMetadataReader();
            foreach (var handle in reader.TypeDefinitions)
            {
                var type = reader.GetTypeDefinition(handle);
                if ((type.Attributes & System.Reflection.TypeAttributes.VisibilityMask) is System.Reflection.TypeAttributes.Public or System.Reflection.TypeAttributes.NestedPublic)
                {
                    names.Add(reader.GetString(type.Name).Split('`')[0]);
                }
            }
        }

        return names;
    }

    [GeneratedRegex(@"\b(class|struct|record|interface|enum|namespace)\s+(?<name>[A-Za-z_][A-Za-z0-9_]*)")]
    private static partial Regex TypeDeclaration();
}
