namespace Backprop;

/// <summary>A named block of consecutive parameters: one layer's weight matrix, stored row by row.</summary>
/// <param name="Name">The block's name, e.g. "w(1)".</param>
/// <param name="Offset">Index of its first entry in the parameter vector.</param>
/// <param name="Rows">Rows of the matrix (units).</param>
/// <param name="Columns">Columns of the matrix (inputs + 1; column 0 is the bias).</param>
public sealed record ParameterBlock(string Name, int Offset, int Rows, int Columns)
{
    /// <summary>The number of parameters in the block.</summary>
    public int Count => Rows * Columns;

    /// <summary>The (row, column) of the parameter at a global index inside this block.</summary>
    public (int Row, int Column) Position(int index) => (Math.DivRem(index - Offset, Columns).Quotient, (index - Offset) % Columns);
}
