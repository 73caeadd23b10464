namespace Backprop;

/// <summary>The target functions of PRML Fig. 5.3, fitted by a network with 3 tanh hidden units (lesson 07).</summary>
public enum CurveFunction
{
    /// <summary>t = x².</summary>
    Square,

    /// <summary>t = sin(πx).</summary>
    Sine,

    /// <summary>t = |x|.</summary>
    AbsoluteValue,

    /// <summary>The Heaviside step t = H(x): 1 for x &gt; 0, otherwise 0.</summary>
    Heaviside,
}
