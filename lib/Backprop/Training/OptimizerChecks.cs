namespace Backprop;

/// <summary>Hyper-parameter checks shared by the optimisers: ArgumentOutOfRangeException naming the property.</summary>
internal static class OptimizerChecks
{
    public static double Positive(double value, string name)
    {
        if (!(value > 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but it is {Guard.Describe(value)}.");
        }

        return value;
    }

    public static double NonNegative(double value, string name)
    {
        if (!(value >= 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number ≥ 0, but it is {Guard.Describe(value)}.");
        }

        return value;
    }

    public static double Momentum(double value)
    {
        if (!(value >= 0.0 && value < 1.0))
        {
            throw new ArgumentOutOfRangeException(nameof(Momentum), value, $"Momentum must lie in [0, 1), but it is {Guard.Describe(value)}.");
        }

        return value;
    }

    public static int AtLeastOne(int value, string name)
    {
        if (value < 1)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1, but it is {value}.");
        }

        return value;
    }

    public static T Defined<T>(T value, string name)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<T>())}, but it is {value} (not a {typeof(T).Name}).");
        }

        return value;
    }
}
