namespace Backprop;

/// <summary>The family an <see cref="Activation"/> belongs to.</summary>
public enum ActivationKind
{
    /// <summary>h(a) = a: linear output units (the lecture's y_k = a_k).</summary>
    Identity,

    /// <summary>The logistic sigmoid σ(a) = 1 / (1 + e^(−a)).</summary>
    Logistic,

    /// <summary>The hyperbolic tangent tanh(a) = 2σ(2a) − 1.</summary>
    Tanh,

    /// <summary>The rectified linear unit max(0, a).</summary>
    ReLU,

    /// <summary>Leaky ReLU: a for a &gt; 0, k·a for a ≤ 0.</summary>
    LeakyReLU,

    /// <summary>Exponential linear unit: a for a &gt; 0, k(e^a − 1) for a ≤ 0.</summary>
    Elu,
}
