using System.Globalization;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop;

/// <summary>Argument checks whose messages name the argument, what was expected and what came.</summary>
internal static class Guard
{
    public static void SameLength(int expected, int actual, string name)
    {
        if (expected != actual)
        {
            throw new ArgumentException($"Expected {expected} entries but {name} has {actual}.", name);
        }
    }

    public static void Length(Vector<double> v, int expected, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(v, name);
        if (v.Count != expected)
        {
            throw new ArgumentException($"{name} must have {expected} entries ({what}), but it has {v.Count}.", name);
        }
    }

    public static void Shape(Matrix<double> m, int rows, int columns, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(m, name);
        if (m.RowCount != rows || m.ColumnCount != columns)
        {
            throw new ArgumentException(
                $"{name} must be {rows} × {columns} ({what}), but it is {m.RowCount} × {m.ColumnCount}.", name);
        }
    }

    public static void Columns(Matrix<double> m, int columns, string name, string what)
    {
        ArgumentNullException.ThrowIfNull(m, name);
        if (m.ColumnCount != columns)
        {
            throw new ArgumentException(
                $"{name} must have {columns} columns ({what}), but it is {m.RowCount} × {m.ColumnCount}.", name);
        }
    }

    public static void Finite(Vector<double> v, string name)
    {
        for (int i = 0; i < v.Count; i++)
        {
            if (!double.IsFinite(v[i]))
            {
                throw new ArgumentException($"{name}[{i}] is {Describe(v[i])}; every entry must be a finite number.", name);
            }
        }
    }

    public static void Finite(Matrix<double> m, string name)
    {
        int index = FirstNonFinite(m);
        if (index >= 0)
        {
            int row = index % m.RowCount;
            int column = index / m.RowCount;
            throw new ArgumentException(
                $"{name}[{row}, {column}] is {Describe(m[row, column])}; every entry must be a finite number.", name);
        }
    }

    /// <summary>The column-major index of the first NaN or infinite entry, or −1.</summary>
    public static int FirstNonFinite(Matrix<double> m)
    {
        double[] values = m.AsColumnMajorArray() ?? m.ToColumnMajorArray();
        for (int i = 0; i < values.Length; i++)
        {
            if (!double.IsFinite(values[i]))
            {
                return i;
            }
        }

        return -1;
    }

    public static void Positive(double value, string name)
    {
        if (!(value > 0.0 && double.IsFinite(value)))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be a finite number > 0, but it was {Describe(value)}.");
        }
    }

    /// <summary>Throws unless value is one of the enum's named values (a cast such as (FiniteDifference)42 is not).</summary>
    public static void Defined<T>(T value, string name)
        where T : struct, Enum
    {
        if (!Enum.IsDefined(value))
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be one of {string.Join(", ", Enum.GetNames<T>())}, but it is {value}.");
        }
    }

    public static string Describe(double value) => double.IsNaN(value) ? "NaN" : value.ToString("R", CultureInfo.InvariantCulture);
}
