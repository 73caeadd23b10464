using Backprop.Coursework;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Notebooks.Tests;

/// <summary>Check messages count entries from 1, as the lessons count units j = 1 … M.</summary>
public sealed class CheckTests
{
    [Fact]
    public void A_differing_vector_entry_is_named_counting_from_1()
    {
        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.1", "deltas", () =>
            Check.Close("δ", Vector<double>.Build.Dense([1.0, 2.0, 3.0]), Vector<double>.Build.Dense([1.0, 2.0, 4.0]))));

        Assert.Contains("entry 3 of 3 differs, index [2]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_differing_matrix_entry_is_named_by_row_and_column_counting_from_1()
    {
        var expected = Matrix<double>.Build.Dense(2, 3);
        var actual = expected.Clone();
        actual[0, 1] = 1;

        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("02.3", "gradient", () => Check.Close("∂L/∂W(1)", expected, actual)));

        Assert.Contains("∂L/∂W(1) at row 1, column 2 (index [0, 1])", error.Message, StringComparison.Ordinal);
    }
}
