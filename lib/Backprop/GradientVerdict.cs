namespace Backprop;

/// <summary>What a relative error between analytical and numerical gradients means.</summary>
public enum GradientVerdict
{
    /// <summary>≤ 1e-7: what a correct backward pass of a smooth network gives.</summary>
    Good,

    /// <summary>≤ 1e-4: typical of kinks (ReLU at a = 0) — look closer if the network is smooth.</summary>
    Acceptable,

    /// <summary>≤ 1e-2: probably a bug, or a kink hit squarely.</summary>
    Suspicious,

    /// <summary>&gt; 1e-2: the analytical gradient is wrong.</summary>
    Wrong,
}

/// <summary>The thresholds behind <see cref="GradientVerdict"/>, in one place for a block's verdict and the report's.</summary>
internal static class GradientThresholds
{
    public static GradientVerdict Judge(double relativeError) => relativeError switch
    {
        <= 1e-7 => GradientVerdict.Good,
        <= 1e-4 => GradientVerdict.Acceptable,
        <= 1e-2 => GradientVerdict.Suspicious,
        _ => GradientVerdict.Wrong,
    };
}
