using Plotly.NET;

namespace Backprop.Lessons.Charts;

/// <summary>
/// The one colour each thing has in every chart of every lesson: an activation family, an optimiser, a layer,
/// a sign. A lesson never picks colours of its own, so tanh is orange and quasi-Newton is brown wherever they appear.
/// </summary>
public static class Palette
{
    private static readonly string[] s_layers = ["#0d0887", "#6a00a8", "#b12a90", "#e16462", "#fca636", "#7fbc41", "#35978f", "#543005"];

    /// <summary>Positive values (δ &gt; 0, ∂L/∂w &gt; 0).</summary>
    public static Color Positive { get; } = Color.fromHex("#d62728");

    /// <summary>Negative values (δ &lt; 0, ∂L/∂w &lt; 0).</summary>
    public static Color Negative { get; } = Color.fromHex("#1f77b4");

    /// <summary>Things without a sign or a family: biases, inputs, reference lines.</summary>
    public static Color Neutral { get; } = Color.fromHex("#7f7f7f");

    /// <summary>
    /// An activation family's colour: logistic blue, tanh orange, ReLU green, leaky ReLU red, ELU purple,
    /// identity grey.
    /// </summary>
    /// <param name="activation">The activation.</param>
    public static Color Of(Activation activation)
    {
        ArgumentNullException.ThrowIfNull(activation);

        // A colour is the chart's choice, not a property of the function, so the palette keeps it; a new unit is grey until given one.
        return Color.fromHex(activation.Kind switch
        {
            ActivationKind.Logistic => "#1f77b4",
            ActivationKind.Tanh => "#ff7f0e",
            ActivationKind.ReLU => "#2ca02c",
            ActivationKind.LeakyReLU => "#d62728",
            ActivationKind.Elu => "#9467bd",
            _ => "#7f7f7f",
        });
    }

    /// <summary>
    /// An optimiser's colour, by its <see cref="IOptimizer.Name"/> (a description such as
    /// "online SGD (η = 0.1, …)" is matched by the name it starts with): online SGD teal, mini-batch SGD olive,
    /// batch GD pink, conjugate gradient dark blue, quasi-Newton brown; anything else grey.
    /// </summary>
    /// <param name="optimizer">The optimiser's name or description.</param>
    public static Color OfOptimizer(string optimizer)
    {
        ArgumentNullException.ThrowIfNull(optimizer);
        string name = optimizer.Split(" (")[0];
        return Color.fromHex(name switch
        {
            "online SGD" => "#17becf",
            "mini-batch SGD" => "#bcbd22",
            "batch GD" => "#e377c2",
            "conjugate gradient" => "#393b79",
            "quasi-Newton" => "#8c564b",
            _ => "#7f7f7f",
        });
    }

    /// <summary>A loss's colour: the half sum of squares orange-brown, softmax cross-entropy green; anything else grey.</summary>
    /// <param name="loss">The loss.</param>
    public static Color OfLoss(Loss loss)
    {
        ArgumentNullException.ThrowIfNull(loss);
        return Color.fromHex(ReferenceEquals(loss, Loss.HalfSumOfSquares) ? "#e6550d"
            : ReferenceEquals(loss, Loss.SoftmaxCrossEntropy) ? "#31a354"
            : "#7f7f7f");
    }

    /// <summary>The colour of weight layer <paramref name="layer"/> (1 = nearest the input; the eight colours repeat after layer 8).</summary>
    /// <param name="layer">The layer number, from 1.</param>
    public static Color OfLayer(int layer) => Color.fromHex(s_layers[(Math.Max(layer, 1) - 1) % s_layers.Length]);
}
