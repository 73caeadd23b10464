using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Coursework;

/// <summary>
/// The check API that check cells call. A check cell wraps its comparisons in
/// <see cref="Exercise(string, string, Action)"/>: when every comparison holds it prints a one-line
/// confirmation; otherwise it throws an <see cref="ExerciseCheckException"/> naming the exercise,
/// what was expected, what came back and a hint. A stub that still throws
/// <see cref="NotImplementedException"/> is reported as "not attempted yet".
/// </summary>
/// <example>
/// <code>
/// // CHECK 01.2
/// Kit::Check.Exercise("01.2", "a_j of one hidden unit", () =>
///     Kit::Check.Close("HiddenActivation(w, x, 0)", 0.35, HiddenActivation(w, x, 0),
///         hint: "start the sum at i = 0, where x_0 = 1 multiplies the bias w_j0"));
/// </code>
/// </example>
public static class Check
{
    /// <summary>The tolerance <see cref="Close(string, double, double, string, double)"/> uses unless told otherwise.</summary>
    public const double DefaultTolerance = 1e-9;

    /// <summary>Text of the stub the student release puts in place of a solution.</summary>
    public const string NotAttemptedMessage = WireContract.NotAttempted;

    /// <summary>How an attestation line (see <see cref="Attest"/>) starts.</summary>
    public const string AttestationPrefix = WireContract.AttestationPrefix;

    /// <summary>The exercise whose comparisons all held in the last <see cref="Exercise"/> call, until <see cref="Attest"/> reads it.</summary>
    private static volatile string? s_passed;

    /// <summary>The answer <see cref="Recorded"/> kept, until a later comparison judges it (the grader's hidden checks).</summary>
    private static string? s_recorded;

    /// <summary>
    /// For the grader, which appends a call to every check cell it runs: when the last <see cref="Exercise"/> call
    /// was for <paramref name="id"/> and passed, prints one line with the grader's secret <paramref name="nonce"/>, the id
    /// and the module version id of the Backprop.Coursework assembly that ran the check, so the grader can tell
    /// the kit's own check (the one it hashed) from anything a student cell prints. Student cells may not call the check API.
    /// </summary>
    /// <param name="nonce">A secret the grader makes for this one check cell.</param>
    /// <param name="id">The exercise id the check cell is for.</param>
    public static void Attest(string nonce, string id)
    {
        var passed = s_passed;
        s_passed = null;
        if (passed == id)
        {
            Console.WriteLine($"{AttestationPrefix}{nonce} {id} {typeof(Check).Assembly.ManifestModule.ModuleVersionId:D}");
        }
    }

    /// <summary>
    /// Runs the comparisons of one exercise. Prints "✔ Exercise {id} passed: {title}" when they
    /// hold; throws an <see cref="ExerciseCheckException"/> otherwise.
    /// </summary>
    /// <param name="id">The exercise id of the exercise cell's marker, e.g. "01.2".</param>
    /// <param name="title">What the exercise asks for, in a few words.</param>
    /// <param name="comparisons">Calls to <see cref="Close(string, double, double, string, double)"/>, <see cref="Equal{T}"/> or <see cref="That"/>.</param>
    public static void Exercise(string id, string title, Action comparisons)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(comparisons);
        s_passed = null;
        s_recorded = null;
        try
        {
            comparisons();
        }
        catch (ComparisonFailedException failure)
        {
            throw new ExerciseCheckException(id,
                $"✘ Exercise {id} ({title}): {failure.What} — expected {failure.Expected}, got {failure.Actual}." +
                (string.IsNullOrWhiteSpace(failure.Hint) ? "" : $" Hint: {failure.Hint}"));
        }
        catch (NotImplementedException)
        {
            throw new ExerciseCheckException(id,
                $"✘ Exercise {id} ({title}): {NotAttemptedMessage} — replace the line that throws NotImplementedException with your solution, run that cell, then run this check again.",
                notAttempted: true);
        }
        catch (ExerciseCheckException)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new ExerciseCheckException(id,
                $"✘ Exercise {id} ({title}): {WireContract.CodeThrew}{e.GetType().Name}: {e.Message}");
        }

        s_passed = id;
        var recorded = s_recorded;
        s_recorded = null;
        Console.WriteLine(recorded is null ? $"✔ Exercise {id} passed: {title}"
            : $"{WireContract.AnswerRecorded} Exercise {id} ({title}): answer recorded, {recorded}; it is checked when your lecturer grades");
    }

    /// <summary>
    /// Records an answer that a public check cannot judge without giving it away (which of four layers is broken): the
    /// exercise then says "answer recorded; it is checked when your lecturer grades", never "passed" — unless a comparison
    /// follows, as the grader's hidden checks do, which then judges it.
    /// </summary>
    /// <param name="what">The answer, as the student would call it (e.g. "BrokenHiddenLayer()").</param>
    /// <param name="answer">The student's answer, as text.</param>
    public static void Recorded(string what, string answer) => s_recorded = $"{what} = {answer}";

    /// <summary>
    /// Requires the student's functions to be their own work: none of them, nor any code of the student's they reach
    /// (helpers, lambdas, local functions, other cells), calls a kit member that would answer the exercise. Decided on the
    /// compiled code, so an alias, <c>using static</c>, an extension call or a delegate made from the member is the same call.
    /// Call it first inside <see cref="Exercise"/>'s comparisons.
    /// </summary>
    /// <param name="id">The exercise id, as in the exercise cell's marker.</param>
    /// <param name="notAllowed">Full names of kit members (every overload), e.g. "Backprop.Mlp.Backward", or of kit types (every member), e.g. "Backprop.GradientChecker".</param>
    /// <param name="studentCode">The student's functions of the exercise.</param>
    /// <exception cref="ArgumentException">An entry of <paramref name="notAllowed"/> names no loaded kit type or member.</exception>
    /// <exception cref="ExerciseCheckException">A student function calls a listed member.</exception>
    public static void OwnWork(string id, string[] notAllowed, params Delegate[] studentCode)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        ArgumentNullException.ThrowIfNull(notAllowed);
        ArgumentNullException.ThrowIfNull(studentCode);
        foreach (var entry in notAllowed)
        {
            KitMembers.RequireKnown(entry);
        }

        var finder = new KitCallFinder(notAllowed, studentCode.Select(d => d.Method.Module.Assembly), studentCode.Select(d => d.Target));
        var calls = studentCode.SelectMany(function => finder.FindAll(function.Method).Select(call => (function, call))).ToList();
        if (calls.Count > 0)
        {
            var described = calls.Select(c =>
            {
                var (name, caller) = (KitMembers.Describe(c.function.Method), KitMembers.Describe(c.call.Caller));
                return $"{name} calls {c.call.Member}" + (caller == name ? "" : $" (through {caller})");
            });
            throw new ExerciseCheckException(id,
                $"✘ Exercise {id} is your own work: {string.Join("; ", described)}, which {(calls.Count == 1 ? "is" : "are")} not allowed here — compute it yourself.");
        }
    }

    /// <summary>Requires |expected − actual| ≤ tolerance·max(1, |expected|).</summary>
    /// <param name="what">The quantity compared, as the student would call it (e.g. "a_1").</param>
    /// <param name="expected">The right value.</param>
    /// <param name="actual">The value the student's code returned.</param>
    /// <param name="hint">What to look at when the values differ.</param>
    /// <param name="tolerance">Relative tolerance (absolute for values below 1).</param>
    public static void Close(string what, double expected, double actual, string hint = "", double tolerance = DefaultTolerance)
    {
        if (!IsClose(expected, actual, tolerance))
        {
            throw new ComparisonFailedException(what, Format(expected), Format(actual), hint);
        }

        s_recorded = null;
    }

    /// <summary>
    /// Requires two vectors of the same length whose entries agree as in <see cref="Close(string, double, double, string, double)"/>.
    /// A failure counts the differing entries and names the one that differs most, counting from 1 as the lessons count units, and its C# index.
    /// </summary>
    /// <param name="what">The quantity compared (e.g. "y(x)").</param>
    /// <param name="expected">The right vector.</param>
    /// <param name="actual">The vector the student's code returned.</param>
    /// <param name="hint">What to look at when the vectors differ.</param>
    /// <param name="tolerance">Relative tolerance per entry.</param>
    public static void Close(string what, Vector<double> expected, Vector<double>? actual, string hint = "", double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null)
        {
            throw new ComparisonFailedException(what, Format(expected), "null", hint);
        }

        if (actual.Count != expected.Count)
        {
            throw new ComparisonFailedException(what, $"{expected.Count} entries {Format(expected)}", $"{actual.Count} entries {Format(actual)}", hint);
        }

        var (differing, worst) = Differences(expected.Count, i => (expected[i], actual[i]), tolerance);
        if (differing > 0)
        {
            throw new ComparisonFailedException(what, Format(expected),
                $"{Format(actual)} ({Count(differing, expected.Count)}; the largest at entry {worst + 1}, index [{worst}]: expected {Format(expected[worst])}, got {Format(actual[worst])})", hint);
        }

        s_recorded = null;
    }

    /// <summary>
    /// Requires two matrices of the same shape whose entries agree as in <see cref="Close(string, double, double, string, double)"/>.
    /// A failure counts the differing entries and names the one that differs most by row and column counting from 1, and its C# index.
    /// </summary>
    /// <param name="what">The quantity compared (e.g. "W(1)").</param>
    /// <param name="expected">The right matrix.</param>
    /// <param name="actual">The matrix the student's code returned.</param>
    /// <param name="hint">What to look at when the matrices differ.</param>
    /// <param name="tolerance">Relative tolerance per entry.</param>
    public static void Close(string what, Matrix<double> expected, Matrix<double>? actual, string hint = "", double tolerance = DefaultTolerance)
    {
        ArgumentNullException.ThrowIfNull(expected);
        if (actual is null)
        {
            throw new ComparisonFailedException(what, $"a {expected.RowCount}×{expected.ColumnCount} matrix", "null", hint);
        }

        if (actual.RowCount != expected.RowCount || actual.ColumnCount != expected.ColumnCount)
        {
            throw new ComparisonFailedException(what, $"a {expected.RowCount}×{expected.ColumnCount} matrix", $"a {actual.RowCount}×{actual.ColumnCount} matrix", hint);
        }

        var columns = expected.ColumnCount;
        var (differing, worst) = Differences(expected.RowCount * columns, k => (expected[k / columns, k % columns], actual[k / columns, k % columns]), tolerance);
        if (differing > 0)
        {
            var (r, c) = (worst / columns, worst % columns);
            throw new ComparisonFailedException($"{what} at row {r + 1}, column {c + 1} (index [{r}, {c}])", Format(expected[r, c]),
                $"{Format(actual[r, c])} ({Count(differing, expected.RowCount * columns)}; this one differs most)", hint);
        }

        s_recorded = null;
    }

    /// <summary>Requires <paramref name="actual"/> to equal <paramref name="expected"/>.</summary>
    /// <typeparam name="T">The type compared.</typeparam>
    /// <param name="what">The quantity compared.</param>
    /// <param name="expected">The right value.</param>
    /// <param name="actual">The value the student's code returned.</param>
    /// <param name="hint">What to look at when the values differ.</param>
    public static void Equal<T>(string what, T expected, T actual, string hint = "")
    {
        if (!EqualityComparer<T>.Default.Equals(expected, actual))
        {
            throw new ComparisonFailedException(what, Describe(expected), Describe(actual), hint);
        }

        s_recorded = null;
    }

    /// <summary>Requires <paramref name="condition"/>; the message says what was expected and what came back.</summary>
    /// <param name="condition">The property that must hold.</param>
    /// <param name="what">The quantity looked at.</param>
    /// <param name="expected">What should hold, in words.</param>
    /// <param name="actual">What came back, in words.</param>
    /// <param name="hint">What to look at when it does not hold.</param>
    public static void That(bool condition, string what, string expected, string actual, string hint = "")
    {
        if (!condition)
        {
            throw new ComparisonFailedException(what, expected, actual, hint);
        }

        s_recorded = null;
    }

    /// <summary>
    /// How many of <paramref name="count"/> entries differ, and which differs most relative to the tolerance's scale (a NaN most
    /// of all): a student whose every entry is wrong learns that, not only where the first wrong one is.
    /// </summary>
    private static (int Differing, int Worst) Differences(int count, Func<int, (double Expected, double Actual)> entry, double tolerance)
    {
        var (differing, worst, largest) = (0, -1, -1.0);
        for (var k = 0; k < count; k++)
        {
            var (e, a) = entry(k);
            if (IsClose(e, a, tolerance))
            {
                continue;
            }

            differing++;
            var size = double.IsNaN(a) ? double.PositiveInfinity : Math.Abs(e - a) / Math.Max(1.0, Math.Abs(e));
            if (size > largest)
            {
                (worst, largest) = (k, size);
            }
        }

        return (differing, worst);
    }

    private static string Count(int differing, int count) =>
        differing == 1 ? $"1 of {count} entries differs" : $"{differing} of {count} entries differ";

    private static bool IsClose(double expected, double actual, double tolerance) =>
        !double.IsNaN(actual) && Math.Abs(expected - actual) <= tolerance * Math.Max(1.0, Math.Abs(expected));

    private static string Describe<T>(T value) => value switch
    {
        null => "null",
        double d => Format(d),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "null",
    };

    private static string Format(double value) => value.ToString("G6", CultureInfo.InvariantCulture);

    private static string Format(Vector<double> vector)
    {
        const int Shown = 6;
        var entries = vector.Take(Shown).Select(Format);
        return "[" + string.Join(", ", entries) + (vector.Count > Shown ? ", …" : "") + "]";
    }

    /// <summary>One failed comparison, turned into an <see cref="ExerciseCheckException"/> by <see cref="Exercise"/>.</summary>
    private sealed class ComparisonFailedException(string what, string expected, string actual, string hint) : Exception(what)
    {
        public string What { get; } = what;

        public string Expected { get; } = expected;

        public string Actual { get; } = actual;

        public string Hint { get; } = hint;
    }
}
