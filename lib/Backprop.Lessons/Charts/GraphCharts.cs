using System.Globalization;
using Microsoft.FSharp.Core;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Backprop.Lessons.Graphs;
using Chart = Plotly.NET.CSharp.Chart;

namespace Backprop.Lessons.Charts;

/// <summary>The picture of a small computation graph after its backward pass (lesson 03).</summary>
public static partial class Charts
{
    /// <summary>How many nodes a graph picture draws at most, so every label stays readable.</summary>
    private const int MaxGraphNodes = 24;

    /// <summary>How many nodes one row of a graph picture holds at most (a row is as wide as a phone's screen).</summary>
    private const int MaxGraphRow = 2;

    /// <summary>The distance between two nodes of a row, in the picture's x units (a node's label is about one unit wide at 390 px).</summary>
    private const double RowSpacing = 1.2;

    /// <summary>
    /// Half the width of the x axis: the nodes sit within ±0.6, and a label beside an outer node (about 100 px) must fit in the
    /// rest of a 275 px plot (a 390 px phone screen), so (LabelRoom − 0.6) / (2 LabelRoom) ≥ 100 / 275.
    /// </summary>
    private const double LabelRoom = 2.3;

    /// <summary>
    /// A small computation graph drawn from the top (the leaves: inputs and weights) down to the loss, after
    /// <see cref="ComputationGraph.Backward"/>: each node shows its forward value and its gradient ∂L/∂node (red if
    /// positive, blue if negative, grey if zero; squares are leaves), each edge its local gradient ∂node/∂input as "× local".
    /// Read it upwards for the backward pass: a node's gradient is the sum, over the edges leaving it downwards, of the
    /// gradient below times the edge's local gradient (lesson 03: upstream × local, added at a fork).
    /// </summary>
    /// <param name="graph">The graph, after a backward pass; at most 24 nodes and 2 on any row of the picture.</param>
    /// <param name="title">The chart's title, e.g. "L = ½ (tanh(w·x + b) − t)²".</param>
    /// <exception cref="ArgumentException">The graph is empty, too large to draw, or has not been through a backward pass.</exception>
    public static GenericChart ComputationGraph(ComputationGraph graph, string title)
    {
        ArgumentNullException.ThrowIfNull(graph);
        ArgumentException.ThrowIfNullOrWhiteSpace(title);
        if (graph.Nodes.Count == 0 || graph.Nodes.Count > MaxGraphNodes)
        {
            throw new ArgumentException($"graph has {graph.Nodes.Count} nodes; the picture draws 1 to {MaxGraphNodes}.", nameof(graph));
        }

        if (graph.Nodes.Any(n => double.IsNaN(n.Gradient)))
        {
            throw new ArgumentException("graph has no gradients yet: call graph.Backward(L) before drawing it.", nameof(graph));
        }

        var (x, y) = GraphLayout(graph);
        var charts = new List<GenericChart>();
        foreach (Node node in graph.Nodes)
        {
            foreach (Edge edge in node.Inputs.DistinctBy(e => e.From.Index))
            {
                charts.Add(Chart.Line<double, double, string>(x: [x[edge.From.Index], x[node.Index]], y: [y[edge.From.Index], y[node.Index]],
                    ShowLegend: false, LineColor: Palette.Neutral, LineWidth: 1.5));
            }
        }

        charts.Add(EdgeLabels(graph, x, y));
        foreach (int sign in new[] { 1, -1, 0 })
        {
            var nodes = graph.Nodes.Where(n => Math.Sign(n.Gradient) == sign).OrderBy(n => n.IsLeaf).ToList();   // a circle first: the legend shows it
            if (nodes.Count > 0)
            {
                charts.Add(GraphNodes(nodes, x, y, sign, LabelPositions(graph, x, y)));
            }
        }

        int rows = (int)Math.Round(-y.Min()) + 1;
        var chart = Chart.Combine(charts);
        chart = Plotly.NET.Chart.withXAxis(HiddenAxis(-LabelRoom, LabelRoom), FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
        chart = Plotly.NET.Chart.withYAxis(HiddenAxis(y.Min() - 0.6, 0.35), FSharpOption<StyleParam.SubPlotId>.None).Invoke(chart);
        chart = WithLegendBelow(chart, -0.02);
        chart = chart.WithLessonSize(900, 170 + (78 * rows));
        return chart.WithTitle($"{title}<br><sub>each node: its value and ∂L/∂node<br>each edge: its local gradient</sub>");
    }

    /// <summary>
    /// Rows from the top: a node's row is one below its lowest input; a leaf sits one row above the first node that uses it.
    /// In a row the nodes sit side by side, centred, ordered so that edges cross as little as they can (each node moves
    /// towards the mean position of its neighbours, a few sweeps).
    /// </summary>
    private static (double[] X, double[] Y) GraphLayout(ComputationGraph graph)
    {
        var nodes = graph.Nodes;
        var row = new int[nodes.Count];
        foreach (Node node in nodes)
        {
            row[node.Index] = node.IsLeaf ? 0 : node.Inputs.Max(e => row[e.From.Index]) + 1;
        }

        var users = nodes.Select(n => nodes.Where(u => u.Inputs.Any(e => e.From == n)).ToList()).ToList();
        foreach (Node leaf in nodes.Where(n => n.IsLeaf && users[n.Index].Count > 0))
        {
            row[leaf.Index] = Math.Max(0, users[leaf.Index].Min(u => row[u.Index]) - 1);
        }

        var rows = nodes.GroupBy(n => row[n.Index]).OrderBy(g => g.Key).Select(g => g.ToList()).ToList();
        var tooWide = rows.FirstOrDefault(r => r.Count > MaxGraphRow);
        if (tooWide is not null)
        {
            throw new ArgumentException($"a row of the picture would hold {tooWide.Count} nodes ({string.Join(", ", tooWide.Select(n => n.Name))}); it draws at most {MaxGraphRow} side by side.", nameof(graph));
        }

        var x = new double[nodes.Count];
        var y = new double[nodes.Count];
        for (int sweep = 0; sweep < 4; sweep++)
        {
            foreach (var members in rows)
            {
                if (sweep > 0)
                {
                    members.Sort((p, q) => Neighbours(p).CompareTo(Neighbours(q)));
                }

                for (int m = 0; m < members.Count; m++)
                {
                    x[members[m].Index] = RowSpacing * (m - ((members.Count - 1) / 2.0));
                    y[members[m].Index] = -row[members[m].Index];
                }
            }
        }

        return (x, y);

        double Neighbours(Node n) => n.Inputs.Select(e => x[e.From.Index]).Concat(users[n.Index].Select(u => x[u.Index])).DefaultIfEmpty(x[n.Index]).Average();
    }

    /// <summary>The nodes of one gradient sign: value and gradient as text beside each, squares for leaves.</summary>
    private static GenericChart GraphNodes(IReadOnlyList<Node> nodes, double[] x, double[] y, int sign, string[] positions)
    {
        var text = nodes.Select(n => string.Create(CultureInfo.InvariantCulture, $"{n.Name} = {n.Value:0.###}<br>∂L/∂{n.Name} = {n.Gradient:0.###}")).ToArray();
        var marker = MarkerOfSizes([.. nodes.Select(_ => 16)]);
        marker.SetProperty("symbol", nodes.Select(n => n.IsLeaf ? "square" : "circle").ToArray());
        var chart = Chart.Point<double, double, string>(
            x: nodes.Select(n => x[n.Index]),
            y: nodes.Select(n => y[n.Index]),
            Name: sign > 0 ? "∂L/∂node > 0" : sign < 0 ? "∂L/∂node < 0" : "∂L/∂node = 0",
            ShowLegend: true,
            MultiText: text,
            TextPosition: StyleParam.TextPosition.MiddleRight,
            MarkerColor: sign > 0 ? Palette.Positive : sign < 0 ? Palette.Negative : Palette.Neutral,
            Marker: marker);
        return GenericChart.mapTrace(FuncConvert.FromFunc((Trace trace) =>
        {
            trace.SetProperty("textposition", nodes.Select(n => positions[n.Index]).ToArray());
            trace.SetProperty("cliponaxis", false);   // a label may reach into the margin rather than be cut
            return trace;
        }), chart);
    }

    /// <summary>
    /// Where each node's label goes: of right, left, below right, below left, above right and above left (beside the node
    /// preferred, above only when nothing else is free), the side farthest from every edge at the node, so no edge runs through a label.
    /// </summary>
    private static string[] LabelPositions(ComputationGraph graph, double[] x, double[] y)
    {
        const double Aspect = 1.5;   // one x unit is drawn about 1.5 times as long as one row is tall
        (string Position, double Angle, double Bonus)[] sides =
            [("middle right", 0, 30), ("middle left", 180, 30), ("bottom right", -45, 20), ("bottom left", -135, 20), ("top right", 45, -100), ("top left", 135, -100)];
        var neighbours = graph.Nodes.Select(n => n.Inputs.Select(e => e.From.Index).ToList()).ToList();
        foreach (Node node in graph.Nodes)
        {
            foreach (Edge edge in node.Inputs)
            {
                neighbours[edge.From.Index].Add(node.Index);
            }
        }

        return [.. graph.Nodes.Select(n =>
        {
            var angles = neighbours[n.Index].Select(m => Math.Atan2(y[m] - y[n.Index], Aspect * (x[m] - x[n.Index])) * 180 / Math.PI).ToList();
            return sides.OrderByDescending(side => side.Bonus + angles.Select(a => Apart(a, side.Angle)).DefaultIfEmpty(180).Min()).First().Position;
        })];

        static double Apart(double a, double b) => Math.Abs(((a - b + 540) % 360) - 180);
    }

    /// <summary>
    /// The local gradient of every edge as "×local" on the edge, a little above the node it enters (an input used twice: one
    /// label, "×u + ×u"). The label sits on the outer side: of the edges into one node the leftmost gets its label on the left,
    /// the rightmost on the right; a node's only edge gets it on the side the edge runs to (left when it runs straight down).
    /// </summary>
    private static GenericChart EdgeLabels(ComputationGraph graph, double[] x, double[] y)
    {
        const double FromNode = 0.35;   // how far back along the edge the label sits
        var labels = graph.Nodes.SelectMany(n =>
        {
            var sources = n.Inputs.Select(e => e.From.Index).Distinct().ToList();
            return n.Inputs.GroupBy(e => e.From.Index).Select(uses =>
            {
                var others = sources.Where(m => m != uses.Key).Select(m => x[m]).ToList();
                bool right = others.Count == 0 ? x[n.Index] > x[uses.Key]
                    : x[uses.Key] > others.Max() || (x[uses.Key] >= others.Min() && x[uses.Key] > others.Average());
                return (X: x[n.Index] + (FromNode * (x[uses.Key] - x[n.Index])), Y: y[n.Index] + (FromNode * (y[uses.Key] - y[n.Index])), Right: right,
                    Text: string.Join(" + ", uses.Select(e => string.Create(CultureInfo.InvariantCulture, $"×{e.Local:0.###}"))));
            });
        }).ToList();
        var chart = Chart.Point<double, double, string>(
            x: labels.Select(l => l.X), y: labels.Select(l => l.Y), ShowLegend: false,
            MultiText: labels.Select(l => l.Text).ToArray(), MarkerColor: Palette.Neutral,
            Marker: MarkerOfSizes([.. labels.Select(_ => 4)]));
        return GenericChart.mapTrace(FuncConvert.FromFunc((Trace trace) =>
        {
            trace.SetProperty("mode", "markers+text");
            trace.SetProperty("textposition", labels.Select(l => l.Right ? "middle right" : "middle left").ToArray());
            trace.SetProperty("hoverinfo", "text");
            return trace;
        }), chart);
    }

    private static LinearAxis HiddenAxis(double from, double to)
    {
        var axis = new LinearAxis();
        axis.SetProperty("showticklabels", false);
        axis.SetProperty("showgrid", false);
        axis.SetProperty("zeroline", false);
        axis.SetProperty("range", new[] { from, to });
        return axis;
    }
}
