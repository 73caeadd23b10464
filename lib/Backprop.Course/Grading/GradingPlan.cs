using Backprop.Course.Transforms;
using Backprop.Course.Notebooks;
using Backprop.Course.Policy;

namespace Backprop.Course.Grading;

/// <summary>
/// The notebook the grader runs, which of its cells were refused (and why), where each came from, and, for each way the
/// check cells run (public checks only, or whole), each exercise's check cell and its secret.
/// </summary>
internal sealed record GradingPlan(NotebookDocument Notebook, IReadOnlyDictionary<int, string> Refused, IReadOnlyDictionary<int, int> StudentCells,
    IReadOnlyDictionary<int, string> Exercises, IReadOnlyList<IReadOnlyDictionary<string, int>> CheckCells, IReadOnlyList<IReadOnlyDictionary<string, string>> Nonces)
{
    /// <summary>The cell's number in the student's file (or in the graded notebook, for a cell the grader added).</summary>
    public int StudentCellNumber(int gradedCell) => StudentCells.TryGetValue(gradedCell, out var n) ? n : gradedCell;

    public string? ExerciseOf(int gradedCell) => Exercises.GetValueOrDefault(gradedCell);

    /// <summary>True when the graded cell runs after the first check cell (whose inputs the student's code may have kept).</summary>
    public bool AfterFirstCheck(int gradedCell) => CheckCells.SelectMany(c => c.Values).DefaultIfEmpty(int.MaxValue).Min() < gradedCell;

    /// <summary>
    /// The graded notebook, built by the transforms in the order they apply: the instructor's setup cells first
    /// (<see cref="RestoreInstructorCells"/>); then each of the student's cells but setup and check cells, a code cell
    /// judged by <see cref="PolicyCheckCells"/> unless it is the instructor's own; after each exercise cell its check cell,
    /// once per entry of <paramref name="publicOnly"/>, in that order (true: its hidden regions left out), attested
    /// (<see cref="AttestChecks"/>). A check cell whose exercise cell the student deleted is not placed: it would only fail
    /// to compile, showing the hidden checks' code.
    /// </summary>
    /// <remarks>
    /// <paramref name="variantCell"/>: the variant cell the grader wrote for the student (<see cref="VariantKey.Decide"/>), run after the
    /// setup cells; the submission's own variant cell is never run.
    /// </remarks>
    public static GradingPlan Build(NotebookDocument submission, NotebookDocument instructor, CellPolicy.Checker checker, bool[] publicOnly, string? variantCell = null)
    {
        var builder = new Builder(new RestoreInstructorCells(instructor), checker, publicOnly);
        builder.Cells.AddRange(builder.Instructor.SetupCells());
        if (variantCell is not null && builder.Cells.LastOrDefault() is { } lastSetup)
        {
            checker.Trust(variantCell);
            builder.Cells.Add(VariantCell.NewCell(lastSetup, variantCell));
        }

        foreach (var (cell, number) in submission.Cells.Select((c, i) => (c, i + 1)))
        {
            if (cell.Marker?.Kind is not (MarkerKind.Setup or MarkerKind.Check) && !VariantCell.Is(cell))
            {
                builder.AddStudentCell(cell, number);
            }
        }

        return new GradingPlan(submission.WithCells(builder.Cells), builder.Refused, builder.StudentCellNumbers, builder.ExerciseCells, builder.CheckCells, builder.Nonces);
    }

    /// <summary>The plan as it grows, one cell at a time (numbers are 1-based positions in the graded notebook).</summary>
    private sealed class Builder(RestoreInstructorCells instructor, CellPolicy.Checker checker, bool[] publicOnly)
    {
        private readonly HashSet<string> _placed = new(StringComparer.Ordinal);

        public RestoreInstructorCells Instructor => instructor;

        public List<NotebookCell> Cells { get; } = [];

        public Dictionary<int, string> Refused { get; } = [];

        public Dictionary<int, int> StudentCellNumbers { get; } = [];

        public Dictionary<int, string> ExerciseCells { get; } = [];

        public Dictionary<string, int>[] CheckCells { get; } = [.. publicOnly.Select(_ => new Dictionary<string, int>(StringComparer.Ordinal))];

        public Dictionary<string, string>[] Nonces { get; } = [.. publicOnly.Select(_ => new Dictionary<string, string>(StringComparer.Ordinal))];

        public void AddStudentCell(NotebookCell cell, int number)
        {
            var copy = cell.Copy();
            Cells.Add(copy);
            StudentCellNumbers[Cells.Count] = number;
            if (!cell.IsCode)
            {
                return;
            }

            if (cell.Marker is { Kind: MarkerKind.Exercise } exercise)
            {
                ExerciseCells[Cells.Count] = exercise.Id;
            }

            if (instructor.IsInstructors(cell))
            {
                checker.Trust(cell.Source);
            }
            else if (PolicyCheckCells.Refusal(checker, cell) is { } reason)
            {
                Refused[Cells.Count] = reason;
                PolicyCheckCells.StandIn(copy, reason);
            }

            if (cell.Marker is { Kind: MarkerKind.Exercise } placedAfter)
            {
                PlaceCheck(placedAfter.Id);
            }
        }

        private void PlaceCheck(string id)
        {
            if (_placed.Contains(id))
            {
                return;
            }

            for (var mode = 0; mode < publicOnly.Length; mode++)
            {
                if (instructor.CheckCell(id, publicOnly[mode]) is not { } cell)
                {
                    return;
                }

                var nonce = AttestChecks.NewNonce();
                Nonces[mode][id] = nonce;
                checker.Trust(cell.Source);
                cell.Source = AttestChecks.Apply(cell.Source, nonce, id);
                Cells.Add(cell);
                CheckCells[mode][id] = Cells.Count;
            }

            _placed.Add(id);
        }
    }
}
