using System.Globalization;

namespace Backprop;

/// <summary>A named block of consecutive parameters: one layer's weight matrix, stored row by row.</summary>
/// <param name="Name">The block's name, e.g. "w⁽¹⁾".</param>
/// <param name="Offset">Index of its first entry in the parameter vector.</param>
/// <param name="Rows">Rows of the matrix (units).</param>
/// <param name="Columns">Columns of the matrix (inputs + 1; column 0 is the bias).</param>
/// <param name="Layer">The lecture's layer number l (1 … L) when the block holds a network's weights w⁽ˡ⁾ (as in
/// <see cref="Mlp.ParameterLayout"/>); 0 for any other block.</param>
public sealed record ParameterBlock(string Name, int Offset, int Rows, int Columns, int Layer = 0)
{
    /// <summary>The number of parameters in the block.</summary>
    public int Count => Rows * Columns;

    /// <summary>The (row, column) of the parameter at a global index inside this block.</summary>
    public (int Row, int Column) Position(int index) => (Math.DivRem(index - Offset, Columns).Quotient, (index - Offset) % Columns);

    /// <summary>
    /// The name of the parameter at a global index: for a layer of a network the lecture's w⁽ˡ⁾ⱼᵢ and its C# index
    /// ("w⁽²⁾₁₂ (Layers[1].Weights[0, 2])": unit j = row + 1, input i = column, the bias i = 0); otherwise Name[row, column].
    /// </summary>
    public string NameOf(int index)
    {
        (int row, int column) = Position(index);
        return Layer > 0
            ? Notation.WeightWithIndex(Layer, row + 1, column)
            : string.Create(CultureInfo.InvariantCulture, $"{Name}[{row}, {column}]");
    }
}
