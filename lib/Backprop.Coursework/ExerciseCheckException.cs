namespace Backprop.Coursework;

/// <summary>
/// Thrown by a check cell when an exercise is not right yet. The notebook engine prints an
/// exception's <see cref="ToString"/>, so this prints only its message: which exercise, what was
/// expected, what came back and a hint — never a stack trace.
/// </summary>
public sealed class ExerciseCheckException : Exception
{
    /// <summary>Creates the exception for exercise <paramref name="exerciseId"/>.</summary>
    /// <param name="exerciseId">The exercise id, as in the exercise cell's marker (e.g. "01.2").</param>
    /// <param name="message">The whole message a student reads.</param>
    /// <param name="notAttempted">True when the exercise still holds the stub that throws "not attempted yet".</param>
    public ExerciseCheckException(string exerciseId, string message, bool notAttempted = false)
        : base(message)
    {
        ExerciseId = exerciseId;
        NotAttempted = notAttempted;
    }

    /// <summary>The exercise id, as in the exercise cell's marker (e.g. "01.2").</summary>
    public string ExerciseId { get; }

    /// <summary>True when the exercise still holds the stub that throws "not attempted yet".</summary>
    public bool NotAttempted { get; }

    /// <summary>Only the message: a check failure is feedback, not a crash.</summary>
    public override string ToString() => Message;
}
