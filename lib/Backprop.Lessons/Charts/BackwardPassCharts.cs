using System.Globalization;
using MathNet.Numerics.LinearAlgebra;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Plotly.NET.TraceObjects;
using Chart = Plotly.NET.CSharp.Chart;
using GenericChartExtensions = Plotly.NET.CSharp.GenericChartExtensions;

namespace Backprop.Lessons.Charts;

/// <summary>Charts of the backward pass and of gradient descent (lesson 02).</summary>
public static partial class Charts
{
    private const int MaxUnitsDrawn = 16;

    /// <summary>How many moments of training <see cref="FitDuringTraining"/> can tell apart by colour (the colours of
    /// <see cref="Palette.OfLayer"/>, an ordered sequence, used here for an ordered time τ).</summary>
    private const int MaxMoments = 8;

    /// <summary>
    /// The backward pass of one sample drawn on the network: a node per unit, an edge per weight.
    /// Each unit that has an error carries its δ (δ_k = ∂L_n/∂a_k at the outputs, δ_j = h'(a_j) Σ_k w_kj δ_k
    /// in the hidden layers; steps 2–3 of the lecture's learning algorithm), each edge w_ji its gradient
    /// ∂L_n/∂w_ji = δ_j z_i (step 4): red for positive, blue for negative, node size and edge width
    /// proportional to the magnitude. The bias nodes x_0 = z_0 = 1 and the inputs are grey (they have no δ).
    /// Hover over an edge or node for its value (lesson 02).
    /// </summary>
    /// <param name="network">The network (at most 16 units per layer, so the picture stays readable).</param>
    /// <param name="pass">The stored forward pass of the sample, from <see cref="Mlp.Forward(Vector{double})"/>.</param>
    /// <param name="gradients">The backward pass of the same sample, from <see cref="Mlp.Backward(ForwardPass, Vector{double}, Loss)"/>.</param>
    /// <exception cref="ArgumentException">The pass or the gradients do not belong to a network of this shape, or a layer is too wide to draw.</exception>
    public static GenericChart BackwardPass(Mlp network, ForwardPass pass, Gradients gradients)
    {
        ArgumentNullException.ThrowIfNull(network);
        ArgumentNullException.ThrowIfNull(pass);
        ArgumentNullException.ThrowIfNull(gradients);
        var picture = new NetworkPicture(network.LayerSizes);
        picture.RequireDrawable(pass, gradients);
        double maxGradient = Math.Max(Enumerable.Range(1, gradients.LayerCount).Max(l => gradients.WeightGradient(l).Enumerate().Max(Math.Abs)), double.Epsilon);
        var charts = picture.Edges(gradients, maxGradient);
        charts.Add(picture.PlainNodes(pass));
        charts.AddRange(picture.DeltaNodes(gradients));
        var chart = picture.WithAxes(Chart.Combine(charts));
        chart = WithLegendBelow(chart, -0.18);
        chart = chart.WithLessonSize(900, 540);
        return chart.WithTitle(string.Create(CultureInfo.InvariantCulture,
            $"Backward pass of one sample<br><sub>node: δ of the unit · edge: ∂L/∂w of the weight · largest |∂L/∂w| = {maxGradient:G3}</sub>"));
    }

    /// <summary>
    /// Where <see cref="BackwardPass"/> puts each node: column c holds the inputs (c = 0), the hidden layers, and the
    /// outputs (c = layers); every column but the last starts with its bias node (index 0: x_0 = 1 or z_0 = 1).
    /// </summary>
    private sealed class NetworkPicture(IReadOnlyList<int> sizes)
    {
        private readonly int _layers = sizes.Count - 1;

        private int NodeCount(int c) => c == _layers ? sizes[c] : sizes[c] + 1;

        private double NodeY(int c, int index) => ((NodeCount(c) - 1) / 2.0) - index;

        /// <summary>The node index of unit j = 1 … of column c (the output column has no bias node).</summary>
        private int UnitIndex(int c, int j) => c == _layers ? j - 1 : j;

        public void RequireDrawable(ForwardPass pass, Gradients gradients)
        {
            if (sizes.Max() > MaxUnitsDrawn)
            {
                throw new ArgumentException($"network has a layer of {sizes.Max()} units; the picture draws at most {MaxUnitsDrawn} per layer.", "network");
            }

            if (pass.Input.Count != sizes[0] || pass.LayerCount != _layers || Enumerable.Range(0, _layers).Any(l => pass.A(l + 1).Count != sizes[l + 1]))
            {
                throw new ArgumentException(
                    $"pass must come from a {string.Join("-", sizes)} network, but it has {pass.Input.Count} inputs and layers of {string.Join(", ", Enumerable.Range(1, pass.LayerCount).Select(l => pass.A(l).Count))} units.", nameof(pass));
            }

            if (gradients.LayerCount != _layers || Enumerable.Range(0, _layers).Any(l =>
                gradients.Delta(l + 1).Count != sizes[l + 1] || gradients.WeightGradient(l + 1).RowCount != sizes[l + 1] || gradients.WeightGradient(l + 1).ColumnCount != sizes[l] + 1))
            {
                throw new ArgumentException($"gradients must come from a {string.Join("-", sizes)} network, but they have deltas of sizes {string.Join(", ", Enumerable.Range(1, gradients.LayerCount).Select(l => gradients.Delta(l).Count))}.", nameof(gradients));
            }
        }

        /// <summary>One line per weight w_ji, coloured by the sign of ∂L/∂w_ji, its width by the magnitude.</summary>
        public List<GenericChart> Edges(Gradients gradients, double maxGradient)
        {
            var charts = new List<GenericChart>();
            bool positiveShown = false, negativeShown = false;
            for (int l = 0; l < _layers; l++)
            {
                var g = gradients.WeightGradient(l + 1);
                for (int j = 1; j <= g.RowCount; j++)
                {
                    for (int i = 0; i < g.ColumnCount; i++)
                    {
                        double value = g[j - 1, i];
                        bool positive = value >= 0;
                        bool legend = positive ? !positiveShown : !negativeShown;
                        positiveShown |= positive;
                        negativeShown |= !positive;
                        string label = string.Create(CultureInfo.InvariantCulture, $"∂L/∂{ChartFit.Weight(l + 1, j, i)} = {value:G4}");
                        charts.Add(Chart.Line<double, double, string>(
                            x: [l, l + 1],
                            y: [NodeY(l, i), NodeY(l + 1, UnitIndex(l + 1, j))],
                            Name: positive ? "∂L/∂w > 0 (width ∝ |∂L/∂w|)" : "∂L/∂w < 0 (width ∝ |∂L/∂w|)",
                            ShowLegend: legend,
                            MultiText: new[] { label, label },
                            LineColor: positive ? Palette.Positive : Palette.Negative,
                            LineWidth: 0.5 + (11.5 * Math.Abs(value) / maxGradient),
                            Opacity: 0.75));
                    }
                }
            }

            return charts;
        }

        /// <summary>The nodes without a δ: the bias nodes and the inputs.</summary>
        public GenericChart PlainNodes(ForwardPass pass)
        {
            var x = new List<double>();
            var y = new List<double>();
            var text = new List<string>();
            for (int c = 0; c < _layers; c++)
            {
                x.Add(c);
                y.Add(NodeY(c, 0));
                text.Add(c == 0 ? "x₀ = 1" : "z₀ = 1");
            }

            for (int i = 1; i <= sizes[0]; i++)
            {
                x.Add(0);
                y.Add(NodeY(0, i));
                text.Add(string.Create(CultureInfo.InvariantCulture, $"x{Subscript(i)} = {pass.Input[i - 1]:G4}"));
            }

            return Nodes(x, y, text, [.. x.Select(_ => 16)], Palette.Neutral, "inputs and biases (no δ)");
        }

        /// <summary>The units with a δ, one trace per sign, each node's size growing with |δ|.</summary>
        public IEnumerable<GenericChart> DeltaNodes(Gradients gradients)
        {
            double maxDelta = Math.Max(Enumerable.Range(1, gradients.LayerCount).Max(l => gradients.Delta(l).AbsoluteMaximum()), double.Epsilon);
            foreach (bool positive in new[] { true, false })
            {
                var x = new List<double>();
                var y = new List<double>();
                var text = new List<string>();
                var size = new List<int>();
                for (int l = 0; l < _layers; l++)
                {
                    for (int j = 1; j <= sizes[l + 1]; j++)
                    {
                        double delta = gradients.Delta(l + 1)[j - 1];
                        if ((delta >= 0) != positive)
                        {
                            continue;
                        }

                        string unit = (l == _layers - 1 ? "y" : "z") + Subscript(j);
                        x.Add(l + 1);
                        y.Add(NodeY(l + 1, UnitIndex(l + 1, j)));
                        text.Add(string.Create(CultureInfo.InvariantCulture, $"{unit}: δ = {delta:G4}"));
                        size.Add(12 + (int)Math.Round(28 * Math.Abs(delta) / maxDelta));
                    }
                }

                if (x.Count > 0)
                {
                    yield return Nodes(x, y, text, size, positive ? Palette.Positive : Palette.Negative, positive ? "δ > 0 (size ∝ |δ|)" : "δ < 0 (size ∝ |δ|)");
                }
            }
        }

        /// <summary>Columns named by layer on the x axis; no y axis (a node's height only separates the units).</summary>
        public GenericChart WithAxes(GenericChart chart)
        {
            var columnNames = Enumerable.Range(0, _layers + 1).Select(c => c == 0 ? "inputs x_i" : c == _layers ? "outputs y_k" : $"hidden layer {c}: z_j").ToArray();
            var xAxis = new LinearAxis();
            xAxis.SetProperty("tickvals", Enumerable.Range(0, _layers + 1).ToArray());
            xAxis.SetProperty("ticktext", columnNames);
            xAxis.SetProperty("range", new[] { -0.35, _layers + 0.35 });
            xAxis.SetProperty("showgrid", false);
            xAxis.SetProperty("zeroline", false);
            xAxis.SetProperty("title", TitleText("δ runs right to left: δ<sub>k</sub> at the outputs first, then δ<sub>j</sub> = h'(a<sub>j</sub>) Σ<sub>k</sub> w<sub>kj</sub> δ<sub>k</sub>"));
            double top = (Enumerable.Range(0, _layers + 1).Max(NodeCount) - 1) / 2.0;
            var yAxis = new LinearAxis();
            yAxis.SetProperty("showticklabels", false);
            yAxis.SetProperty("showgrid", false);
            yAxis.SetProperty("zeroline", false);
            yAxis.SetProperty("range", new[] { -top - 0.75, top + 0.4 });   // room for the labels below the lowest nodes
            chart = Plotly.NET.Chart.withXAxis(xAxis, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
            return Plotly.NET.Chart.withYAxis(yAxis, FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
        }
    }

    /// <summary>
    /// Gradient descent on a curve (lecture step 5, w ← w − η ∇L), seen two ways side by side: on the
    /// left the training data and the network's fit y(x) at several moments τ of training, on the right
    /// the loss L after each step on a log scale, with the same moments marked in the same colours (lesson 02).
    /// </summary>
    /// <param name="data">The training set: one input column x_n, one target column t_n.</param>
    /// <param name="snapshots">Copies of the network after τ steps (see <see cref="Mlp.Clone"/>), each with its τ.</param>
    /// <param name="loss">The loss L(τ) for τ = 0, 1, …: entry τ is the loss after τ steps.</param>
    /// <param name="lossTitle">Title of the loss axis, e.g. "L = ½ Σ_n (y_n − t_n)²".</param>
    /// <param name="from">Smallest x drawn.</param>
    /// <param name="to">Largest x drawn.</param>
    /// <exception cref="ArgumentException">The data or a network has not one input and one output, a step lies outside the loss curve, or a loss is not positive and finite.</exception>
    public static GenericChart FitDuringTraining(Dataset data, IReadOnlyList<(int Step, Mlp Network)> snapshots, IReadOnlyList<double> loss,
        string lossTitle = "training loss L", double from = -1, double to = 1)
    {
        RequireFitDuringTraining(data, snapshots, loss);
        var xs = Grid(from, to, DefaultPoints);
        var fit = new List<GenericChart>
        {
            Chart.Point<double, double, string>(x: data.Inputs.Column(0), y: data.Targets.Column(0), Name: "training data (x_n, t_n)", ShowLegend: true,
                MarkerColor: Palette.Neutral),
        };
        var lossChart = new List<GenericChart>
        {
            Chart.Line<int, double, string>(x: Enumerable.Range(0, loss.Count), y: loss, Name: "loss L(τ)", ShowLegend: true, LineColor: Palette.Neutral),
        };
        for (int s = 0; s < snapshots.Count; s++)
        {
            var (step, network) = snapshots[s];
            var colour = Palette.OfLayer(s + 1);
            string name = string.Create(CultureInfo.InvariantCulture, $"y(x) after τ = {step} steps");
            var y = xs.Select(v => network.Forward(Vector<double>.Build.Dense([v])).Output[0]);
            fit.Add(Chart.Line<double, double, string>(x: xs, y: y, Name: name, ShowLegend: true, LineColor: colour, LineWidth: 2.5));
            lossChart.Add(Chart.Point<int, double, string>(x: [step], y: [loss[step]], Name: name, ShowLegend: false, MarkerColor: colour,
                Marker: MarkerOfSizes([11])));
        }

        var left = Titled(Chart.Combine(fit), "input x", "t and y(x)");
        var right = GenericChartExtensions.WithXAxisStyle<double, double, string>(Chart.Combine(lossChart), TitleText: "gradient-descent step τ");
        right = GenericChartExtensions.WithYAxisStyle<double, double, string>(right, TitleText: lossTitle);
        var (lowest, highest) = ChartFit.PositiveRange(loss);
        right = ChartFit.LogY(right, lowest, highest);   // powers of ten, or 1-2-5 steps over less than two decades
        var grid = Chart.Grid([left, right], 1, 2, XGap: 0.3);   // a gap wide enough for the right panel's y-axis title
        grid = WithLegendBelow(grid, -0.22);
        grid = grid.WithLessonSize(900, 500);
        return grid.WithTitle("The fit at several moments of training (left), beside the falling loss (right)");
    }

    /// <summary>The checks of <see cref="FitDuringTraining"/>: one input and one output, steps on the loss curve, a loss the log axis can draw.</summary>
    private static void RequireFitDuringTraining(Dataset data, IReadOnlyList<(int Step, Mlp Network)> snapshots, IReadOnlyList<double> loss)
    {
        ArgumentNullException.ThrowIfNull(data);
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(loss);
        if (data.Inputs.ColumnCount != 1 || data.Targets.ColumnCount != 1)
        {
            throw new ArgumentException($"data must have one input and one target column, but it has {data.Inputs.ColumnCount} and {data.Targets.ColumnCount}.", nameof(data));
        }

        if (snapshots.Count is 0 || snapshots.Count > MaxMoments)
        {
            throw new ArgumentException($"snapshots must hold 1 to {MaxMoments} networks, but it holds {snapshots.Count}.", nameof(snapshots));
        }

        foreach (var (step, network) in snapshots)
        {
            if (network is null || network.InputCount != 1 || network.OutputCount != 1)
            {
                throw new ArgumentException($"the network of step {step} must have one input and one output.", nameof(snapshots));
            }

            if (step < 0 || step >= loss.Count)
            {
                throw new ArgumentException($"snapshot step {step} must lie in 0 … {loss.Count - 1} (the loss curve has {loss.Count} entries).", nameof(snapshots));
            }
        }

        var bad = loss.Select((v, i) => (v, i)).FirstOrDefault(p => !(p.v > 0) || double.IsInfinity(p.v));
        if (bad != default || (loss.Count > 0 && !(loss[0] > 0)))
        {
            throw new ArgumentException($"every loss must be positive and finite for the log axis, but loss[{bad.i}] = {bad.v}.", nameof(loss));
        }
    }

    private static GenericChart Nodes(IReadOnlyList<double> x, IReadOnlyList<double> y, IReadOnlyList<string> text, IReadOnlyList<int> sizes, Color colour, string name) =>
        Chart.Point<double, double, string>(
            x: x,
            y: y,
            Name: name,
            ShowLegend: true,
            MultiText: text.ToArray(),
            TextPosition: StyleParam.TextPosition.BottomCenter,
            MarkerColor: colour,
            Marker: MarkerOfSizes(sizes));

    private static string Subscript(int number) =>
        string.Concat(number.ToString(CultureInfo.InvariantCulture).Select(c => (char)('₀' + (c - '0'))));

    /// <summary>A horizontal legend under the plot area (at <paramref name="y"/> in paper coordinates), so the plot keeps the full width.</summary>
    private static GenericChart WithLegendBelow(GenericChart chart, double y)
    {
        var legend = new Legend();
        legend.SetProperty("orientation", "h");
        legend.SetProperty("x", 0.0);
        legend.SetProperty("xanchor", "left");
        legend.SetProperty("y", y);
        legend.SetProperty("yanchor", "top");
        return Plotly.NET.Chart.withLegend(legend, FSharpOption<int>.None).Invoke(chart);
    }

    private static Marker MarkerOfSizes(IReadOnlyList<int> sizes)
    {
        var marker = new Marker();
        marker.SetProperty("size", sizes.ToArray());
        return marker;
    }

    private static Title TitleText(string text)
    {
        var title = new Title();
        title.SetProperty("text", text);
        return title;
    }
}
