using System.Globalization;

namespace Backprop;

/// <summary>
/// The lecture's names for the numbers of a network (Bishop's notation), as the kit prints them: layers counted
/// l = 1 … L from the input, units j and inputs i counted from 1, the bias i = 0. The weight w⁽ˡ⁾ⱼᵢ from input i into
/// unit j of layer l is <c>net.Layers[l − 1].Weights[j − 1, i]</c> in C# (<see cref="Mlp.Layers"/> is a 0-based list;
/// column 0 of a weight matrix is the bias, so the column is i itself).
/// </summary>
public static class Notation
{
    private const string SuperscriptDigits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
    private const string SubscriptDigits = "₀₁₂₃₄₅₆₇₈₉";

    /// <summary>The lecture's name of a weight, e.g. <c>Weight(2, 1, 2)</c> = "w⁽²⁾₁₂": layer l, unit j, input i (0 = bias).</summary>
    /// <param name="l">The layer, from 1.</param>
    /// <param name="j">The unit of layer l, from 1.</param>
    /// <param name="i">The input of the unit, from 1; 0 is the bias.</param>
    public static string Weight(int l, int j, int i) => "w" + Layer(l) + Subscripts(j, i);

    /// <summary>
    /// The lecture's name of a weight followed by the C# expression that reads it, e.g. "w⁽²⁾₁₂ (Layers[1].Weights[0, 2])".
    /// </summary>
    public static string WeightWithIndex(int l, int j, int i) =>
        string.Create(CultureInfo.InvariantCulture, $"{Weight(l, j, i)} (Layers[{l - 1}].Weights[{j - 1}, {i}])");

    /// <summary>A layer number as the lecture writes it above a symbol: 2 → "⁽²⁾" (as in w⁽²⁾, a⁽²⁾, δ⁽²⁾).</summary>
    public static string Layer(int l) => "⁽" + Digits(l, SuperscriptDigits) + "⁾";

    /// <summary>Lower indices: (1, 2) → "₁₂"; with a comma between when one has two digits or more: (10, 3) → "₁₀,₃".</summary>
    public static string Subscripts(params int[] indices)
    {
        ArgumentNullException.ThrowIfNull(indices);
        string separator = indices.Any(n => n > 9) ? "," : "";
        return string.Join(separator, indices.Select(n => Digits(n, SubscriptDigits)));
    }

    /// <summary>Checks a lecture layer number l against first … last and returns it; otherwise says how the lecture numbers layers.</summary>
    /// <param name="l">The layer number a caller passed.</param>
    /// <param name="first">The smallest valid l (1, or 0 where z⁽⁰⁾ = x is allowed).</param>
    /// <param name="last">L, the number of weight layers.</param>
    /// <param name="member">The member called, e.g. "A(l)".</param>
    /// <param name="meaning">What the member returns for layer l, e.g. "the activations a⁽ˡ⁾ of layer l".</param>
    internal static int CheckLayer(int l, int first, int last, string member, string meaning)
    {
        if (l < first || l > last)
        {
            string zero = first == 0 ? "; l = 0 is the input, z⁽⁰⁾ = x" : "; the input x is layer 0 and has none";
            throw new ArgumentOutOfRangeException(
                nameof(l),
                l,
                string.Create(
                    CultureInfo.InvariantCulture,
                    $"{member} takes l = {first} … {last}: it returns {meaning}, and layers are numbered as in the lecture, l = 1 for the first layer of weights w⁽¹⁾ (Layers[0]) up to L = {last} for the outputs{zero}."));
        }

        return l;
    }

    private static string Digits(int n, string digits)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(n);
        return string.Concat(n.ToString(CultureInfo.InvariantCulture).Select(c => digits[c - '0']));
    }
}
