using Backprop.Coursework;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Notebooks.Tests;

/// <summary>Check messages count entries from 1, as the lessons count units j = 1 … M, and say how many entries differ.</summary>
public sealed class CheckTests
{
    [Fact]
    public void A_differing_vector_entry_is_named_counting_from_1()
    {
        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.1", "deltas", () =>
            Check.Close("δ", Vector<double>.Build.Dense([1.0, 2.0, 3.0]), Vector<double>.Build.Dense([1.0, 2.0, 4.0]))));

        Assert.Contains("(1 of 3 entries differs; the largest at entry 3, index [2]: expected 3, got 4)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void When_every_entry_differs_the_message_says_so_and_names_the_largest_difference()
    {
        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.5", "update", () =>
            Check.Close("w", Vector<double>.Build.Dense([1.0, -2.0, 0.5]), Vector<double>.Build.Dense([-1.0, 3.0, -0.5]))));

        Assert.Contains("3 of 3 entries differ; the largest at entry 2, index [1]: expected -2, got 3", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_NaN_entry_counts_as_the_largest_difference()
    {
        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.5", "update", () =>
            Check.Close("w", Vector<double>.Build.Dense([1.0, 5.0, 0.5]), Vector<double>.Build.Dense([1.0, 9.0, double.NaN]))));

        Assert.Contains("2 of 3 entries differ; the largest at entry 3, index [2]: expected 0.5, got NaN", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_differing_matrix_entry_is_named_by_row_and_column_counting_from_1()
    {
        var expected = Matrix<double>.Build.Dense(2, 3);
        var actual = expected.Clone();
        actual[0, 1] = 1;

        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.3", "gradient", () => Check.Close("∂L/∂W(1)", expected, actual)));

        Assert.Contains("∂L/∂W(1) at row 1, column 2 (index [0, 1]) — expected 0, got 1 (1 of 6 entries differs; this one differs most)", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_matrix_names_the_entry_that_differs_most_and_how_many_differ()
    {
        var expected = Matrix<double>.Build.Dense(2, 3, (r, c) => r + c);
        var actual = expected.Clone();
        actual[0, 0] = 0.5;
        actual[1, 2] = 30;

        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.3", "gradient", () => Check.Close("∂L/∂W(2)", expected, actual)));

        Assert.Contains("∂L/∂W(2) at row 2, column 3 (index [1, 2]) — expected 3, got 30 (2 of 6 entries differ; this one differs most)", error.Message, StringComparison.Ordinal);
    }
}
