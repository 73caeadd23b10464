using System.Reflection;

namespace Backprop.Coursework;

/// <summary>
/// The objects of the student's own code reachable from some starting objects through instance fields: each notebook cell's
/// submission object refers to those of the cells before it, so from the delegates under check every variable a student
/// kept in an earlier cell can be read. Only fields are read (no getter, no student code runs) and only objects whose type
/// is the student's are entered; arrays and collections are not walked.
/// </summary>
internal sealed class StudentObjects(Func<Assembly, bool> isStudentCode)
{
    /// <summary>More objects than a notebook's cells and closures would ever hold: a bound, not a limit a student reaches.</summary>
    private const int MaximumObjects = 100_000;

    private readonly HashSet<object> seen = new(ReferenceEqualityComparer.Instance);
    private readonly Queue<object> pending = new();

    /// <summary>Adds a starting object; null and objects not of the student's code are ignored.</summary>
    public void Add(object? value)
    {
        if (value is not null && !value.GetType().IsArray && isStudentCode(value.GetType().Assembly) && seen.Count < MaximumObjects && seen.Add(value))
        {
            pending.Enqueue(value);
        }
    }

    /// <summary>Every object reachable so far, after following the fields of those added since the last call.</summary>
    public IReadOnlyCollection<object> Reachable()
    {
        while (pending.TryDequeue(out var value))
        {
            for (var type = value.GetType(); type is not null && isStudentCode(type.Assembly); type = type.BaseType)
            {
                const BindingFlags Instance = BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly;
                foreach (var field in type.GetFields(Instance).Where(f => !f.FieldType.IsValueType))
                {
                    var held = field.GetValue(value);
                    Add(held);
                    if (held is Delegate d)
                    {
                        Add(d.Target);
                    }
                }
            }
        }

        return seen;
    }
}
