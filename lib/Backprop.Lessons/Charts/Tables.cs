using System.Globalization;
using System.Net;
using System.Text;
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
        if (pass.LayerCount != network.Layers.Count || Enumerable.Range(0, pass.LayerCount).Any(l => pass.A(l + 1).Count != network.Layers[l].UnitCount))
        {
            throw new ArgumentException(
                $"pass must come from a {string.Join("-", network.LayerSizes)} network, but its layers have {string.Join(", ", Enumerable.Range(1, pass.LayerCount).Select(l => pass.A(l).Count))} units.", nameof(pass));
        }

        var rows = new List<UnitValues>();
        for (var l = 0; l < pass.LayerCount; l++)
        {
            for (var j = 0; j < pass.A(l + 1).Count; j++)
            {
                rows.Add(new UnitValues(l + 1, j + 1, network.Layers[l].Activation.Name, pass.A(l + 1)[j], pass.Z(l + 1)[j]));
            }
        }

        return rows;
    }

    /// <summary>
    /// The lecture's "Activation Functions — Summary" slide as an HTML table: name, a small plot of h(a) (solid) and
    /// h'(a) (dashed) over −4 ≤ a ≤ 4 in the activation's colour (an inline SVG, so it needs no script), h(a) and h'(a)
    /// typeset with HTML (italics, superscripts, cases), max |h'| and the lecture's problem and advantage. Display it
    /// in a notebook with <c>HTML(Tables.ActivationSummary(…))</c>. Lesson 11.
    /// </summary>
    /// <param name="activations">The activations, e.g. <see cref="ActivationSummary.LectureActivations"/>.</param>
    public static string ActivationSummary(IReadOnlyList<Activation> activations)
    {
        ArgumentNullException.ThrowIfNull(activations);
        if (activations.Count == 0)
        {
            throw new ArgumentException("activations must hold at least one activation, but it is empty.", nameof(activations));
        }

        var html = new StringBuilder();
        html.Append("<table style=\"border-collapse:collapse;font-size:14px;max-width:900px\">");
        html.Append("<caption style=\"font-weight:bold;padding:4px\">Activation functions — summary (generated from the library)</caption><thead><tr>");
        foreach (string h in (string[])["name", "plot: <i>h</i> solid, <i>h</i>′ dashed", "<i>h</i>(<i>a</i>)", "<i>h</i>′(<i>a</i>)", "max |<i>h</i>′|", "problem", "advantage"])
        {
            html.Append("<th style=\"border-bottom:2px solid #444;padding:4px 8px;text-align:left\">").Append(h).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (Activation a in activations)
        {
            ActivationSummaryRow row = Lessons.ActivationSummary.For(a);
            var (function, derivative) = Formulas(a);
            html.Append("<tr>");
            foreach (string cell in (string[])[WebUtility.HtmlEncode(row.Name), Sparkline(a), function, derivative,
                row.MaxDerivative.ToString("G4", CultureInfo.InvariantCulture), Text(row.Problem), Text(row.Advantage)])
            {
                html.Append("<td style=\"border-bottom:1px solid #ccc;padding:4px 8px;vertical-align:middle\">").Append(cell).Append("</td>");
            }

            html.Append("</tr>");
        }

        return html.Append("</tbody></table>").ToString();
    }

    private static string Text(string s) => s.Length == 0 ? "—" : WebUtility.HtmlEncode(s);

    private static string Cases(string positive, string negative) =>
        "<span style=\"display:inline-flex;align-items:center\"><span style=\"font-size:1.9em;font-weight:200\">{</span>"
        + "<span style=\"display:inline-flex;flex-direction:column;margin-left:2px\">"
        + $"<span style=\"white-space:nowrap\">{positive}, &nbsp;<i>a</i> &gt; 0</span><span style=\"white-space:nowrap\">{negative}, &nbsp;<i>a</i> ≤ 0</span></span></span>";

    /// <summary>k written as a factor: nothing for k = 1.</summary>
    private static string Factor(string k, string times = "") => k == "1" ? string.Empty : k + times;

    /// <summary>
    /// h and h' typeset in HTML (fractions, cases, italics) for the lecture's units; the typesetting is presentation, so it
    /// stays here. Any other unit shows its own plain <see cref="Activation.Formula"/> and <see cref="Activation.DerivativeFormula"/>.
    /// </summary>
    private static (string Function, string Derivative) Formulas(Activation activation)
    {
        string k = activation.K is double value ? value.ToString("G", CultureInfo.InvariantCulture) : "<i>k</i>";
        string frac = "<span style=\"display:inline-flex;flex-direction:column;text-align:center;vertical-align:middle\">"
            + "<span style=\"border-bottom:1px solid\">1</span><span>1 + <i>e</i><sup>−<i>a</i></sup></span></span>";
        return activation.Kind switch
        {
            ActivationKind.Logistic => ($"σ(<i>a</i>) = {frac}", "<i>y</i>(1 − <i>y</i>), &nbsp;<i>y</i> = σ(<i>a</i>)"),
            ActivationKind.Tanh => ("tanh(<i>a</i>) = 2σ(2<i>a</i>) − 1", "1 − <i>y</i><sup>2</sup>, &nbsp;<i>y</i> = tanh(<i>a</i>)"),
            ActivationKind.ReLU => (Cases("<i>a</i>", "0"), Cases("1", "0")),
            ActivationKind.LeakyReLU => (Cases("<i>a</i>", $"{k}·<i>a</i>"), Cases("1", k)),
            ActivationKind.Elu => (Cases("<i>a</i>", $"{Factor(k)}(<i>e</i><sup><i>a</i></sup> − 1)"), Cases("1", $"<i>y</i> + {k} = {Factor(k, "·")}<i>e</i><sup><i>a</i></sup>")),
            ActivationKind.Identity => ("<i>a</i>", "1"),
            _ => (WebUtility.HtmlEncode(activation.Formula), WebUtility.HtmlEncode(activation.DerivativeFormula)),
        };
    }

    /// <summary>An inline SVG of h (solid) and h' (dashed) over −4 ≤ a ≤ 4 with the axes a = 0 and h = 0.</summary>
    private static string Sparkline(Activation activation)
    {
        const int width = 120, height = 56, points = 81;
        const double from = -4, to = 4, low = -1.2, high = 2.2;   // y range: tanh and ELU reach −1, the LU family is clipped at 2.2
        string colour = Palette.Of(activation).Value is Plotly.NET.ARGB c ? $"#{c.R:x2}{c.G:x2}{c.B:x2}" : "#000";   // Plotly keeps the hex as ARGB
        string Px(double a) => ((a - from) / (to - from) * width).ToString("F1", CultureInfo.InvariantCulture);
        string Py(double y) => ((high - Math.Clamp(y, low, high)) / (high - low) * height).ToString("F1", CultureInfo.InvariantCulture);
        string Path(Func<double, double> f) => string.Join(" ", Enumerable.Range(0, points).Select(i =>
        {
            double a = from + ((to - from) * i / (points - 1));
            return $"{(i == 0 ? "M" : "L")}{Px(a)},{Py(f(a))}";
        }));
        return $"<svg width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{WebUtility.HtmlEncode(activation.Name)}\">"
            + $"<line x1=\"0\" y1=\"{Py(0)}\" x2=\"{width}\" y2=\"{Py(0)}\" stroke=\"#bbb\" stroke-width=\"1\"/>"
            + $"<line x1=\"{Px(0)}\" y1=\"0\" x2=\"{Px(0)}\" y2=\"{height}\" stroke=\"#bbb\" stroke-width=\"1\"/>"
            + $"<path d=\"{Path(activation.Value)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\"/>"
            + $"<path d=\"{Path(activation.Derivative)}\" fill=\"none\" stroke=\"{colour}\" stroke-width=\"1.5\" stroke-dasharray=\"4 3\"/></svg>";
    }
}
