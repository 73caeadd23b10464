using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons;

/// <summary>The lessons layer's argument checks: each message names the argument, what it must be and what it is.</summary>
internal static class Arguments
{
    /// <summary>A number as a message shows it: round-trip digits, "NaN" for NaN.</summary>
    public static string Describe(double value) => double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);

    public static void Positive(double value, string name)
    {
        if (!(value > 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but it is {Describe(value)}.");
        }
    }

    public static void Finite(double value, string name)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number, but it is {Describe(value)}.");
        }
    }

    public static void Finite(Vector<double> v, string name)
    {
        ArgumentNullException.ThrowIfNull(v, name);
        for (int i = 0; i < v.Count; i++)
        {
            if (!double.IsFinite(v[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {Describe(v[i])}; every entry must be a finite number.", name);
            }
        }
    }

    public static void Columns(Matrix<double> m, int columns, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(m, name);
        if (m.ColumnCount != columns)
        {
            throw new ArgumentException($"{name} must have {columns} columns ({what}), but it is {m.RowCount} × {m.ColumnCount}.", name);
        }
    }
}
