namespace Backprop.Course;

/// <summary>Thrown for input the tool cannot use: a malformed notebook, a missing file, a bad option.</summary>
internal sealed class CourseException(string message) : Exception(message)
{
    public override string ToString() => Message;
}
