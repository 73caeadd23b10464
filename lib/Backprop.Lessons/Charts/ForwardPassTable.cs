using System.Globalization;
using System.Net;
using System.Text;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Charts;

/// <summary>
/// The values a forward pass stores, as an HTML table a notebook displays (<c>HTML(ForwardPassTable.Html(net, pass))</c>):
/// one row per unit with its layer, its activation function, a_j = Σ_i w_ji z_i and z_j = h(a_j), numbers rounded to a
/// fixed number of decimals (lecture: "forward propagate … to compute and store activations"; lesson 01).
/// </summary>
public static class ForwardPassTable
{
    /// <summary>The table as an HTML fragment.</summary>
    /// <param name="network">The network that made the pass (for the layer names and activation functions).</param>
    /// <param name="pass">The result of <see cref="Mlp.Forward(Vector{double})"/> of that network.</param>
    /// <param name="decimals">Decimals shown for a_j and z_j (0 … 10).</param>
    /// <exception cref="ArgumentException">The pass does not come from a network of this shape, or decimals is out of range.</exception>
    public static string Html(Mlp network, ForwardPass pass, int decimals = 4)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(pass);
        if (decimals is < 0 or > 10)
        {
            throw new ArgumentException($"decimals must lie in 0 … 10, but it is {decimals}.", nameof(decimals));
        }

        if (pass.LayerCount != network.Layers.Count || Enumerable.Range(0, pass.LayerCount).Any(l => pass.A(l + 1).Count != network.Layers[l].UnitCount))
        {
            throw new ArgumentException(
                $"pass must come from a {string.Join("-", network.LayerSizes)} network, but its layers have {string.Join(", ", Enumerable.Range(1, pass.LayerCount).Select(l => pass.A(l).Count))} units.", nameof(pass));
        }

        string format = "F" + decimals.ToString(CultureInfo.InvariantCulture);
        string Number(double v) => v.ToString(format, CultureInfo.InvariantCulture).Replace("-", "−", StringComparison.Ordinal);
        var html = new StringBuilder();
        html.Append("<table style=\"border-collapse: collapse; font-variant-numeric: tabular-nums\">");
        html.Append("<thead><tr>");
        foreach (string head in (string[])["layer", "unit", "h", "activation a<sub>j</sub>", "output z<sub>j</sub> = h(a<sub>j</sub>)"])
        {
            html.Append("<th style=\"padding: 2px 12px; border-bottom: 1px solid #999; text-align: right\">").Append(head).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        for (int l = 0; l < pass.LayerCount; l++)
        {
            bool output = l == pass.LayerCount - 1;
            string layer = output ? $"output (w<sup>({l + 1})</sup>)" : $"hidden {l + 1} (w<sup>({l + 1})</sup>)";
            for (int j = 0; j < pass.A(l + 1).Count; j++)
            {
                string unit = (output ? "y" : "z") + "<sub>" + (j + 1).ToString(CultureInfo.InvariantCulture) + "</sub>";
                html.Append("<tr>");
                foreach (string cell in (string[])[layer, unit, WebUtility.HtmlEncode(network.Layers[l].Activation.Name), Number(pass.A(l + 1)[j]), Number(pass.Z(l + 1)[j])])
                {
                    html.Append("<td style=\"padding: 2px 12px; text-align: right\">").Append(cell).Append("</td>");
                }

                html.Append("</tr>");
            }
        }

        html.Append("</tbody></table>");
        return html.ToString();
    }
}
