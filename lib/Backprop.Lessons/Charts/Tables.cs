using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Charts;

/// <summary>One unit's stored values after a forward pass: its activation a_j and output z_j = h(a_j).</summary>
/// <param name="Layer">The layer, 1 for the first hidden layer (w⁽¹⁾), as in the lecture.</param>
/// <param name="Unit">The unit j within the layer, counting from 1 (unit 0 is the bias, z_0 = 1).</param>
/// <param name="Activation">The activation function h of the layer.</param>
/// <param name="A">The unit's activation a_j = Σ_i w_ji z_i.</param>
/// <param name="Z">The unit's output z_j = h(a_j).</param>
public sealed record UnitValues(int Layer, int Unit, string Activation, double A, double Z);

/// <summary>Tables a notebook shows (a list of records is displayed by the engine as an HTML table).</summary>
public static class Tables
{
    /// <summary>
    /// The activations a_j and outputs z_j that a forward pass stores for backpropagation, one row
    /// per unit (lecture: "forward propagate … to compute and store activations"; lesson 01).
    /// </summary>
    /// <param name="network">The network that made the pass (for the activation names).</param>
    /// <param name="pass">The result of <see cref="Mlp.Forward(Vector{double})"/>.</param>
    public static IReadOnlyList<UnitValues> Activations(Mlp network, ForwardPass pass)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(pass);
        if (pass.A.Count != network.Layers.Count || Enumerable.Range(0, pass.A.Count).Any(l => pass.A[l].Count != network.Layers[l].UnitCount))
        {
            throw new ArgumentException(
                $"pass must come from a {string.Join("-", network.LayerSizes)} network, but its layers have {string.Join(", ", pass.A.Select(a => a.Count))} units.", nameof(pass));
        }

        var rows = new List<UnitValues>();
        for (var l = 0; l < pass.A.Count; l++)
        {
            for (var j = 0; j < pass.A[l].Count; j++)
            {
                rows.Add(new UnitValues(l + 1, j + 1, network.Layers[l].Activation.Name, pass.A[l][j], pass.Z[l + 1][j]));
            }
        }

        return rows;
    }
}
