namespace Backprop;

/// <summary>Which finite difference approximates a derivative.</summary>
public enum FiniteDifference
{
    /// <summary>(L(w + ε) − L(w − ε)) / 2ε, error O(ε²): the lecture's choice.</summary>
    Central,

    /// <summary>(L(w + ε) − L(w)) / ε, error O(ε): shown for comparison in lesson 06.</summary>
    Forward,
}
