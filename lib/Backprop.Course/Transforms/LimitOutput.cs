using System.Text.RegularExpressions;

namespace Backprop.Course.Transforms;

/// <summary>Transform (grade): what graded feedback shows of a failed check whose cell holds hidden checks.</summary>
internal static partial class LimitOutput
{
    /// <summary>
    /// A check's "your code threw T: message" without the message: with hidden checks the message is the student's own text,
    /// which could carry what a hidden check passed in. The type stays; validate (public checks only) shows the whole message.
    /// </summary>
    public static string WithoutThrownMessage(string message) => ThrownMessage().Replace(message, m =>
        $"{WireContract.CodeThrew}{m.Groups["type"].Value} (the exception's message is not shown in graded feedback, since it could hold a hidden check's input: run the check yourself to see it)", 1);

    [GeneratedRegex(WireContract.CodeThrew + @"(?<type>[A-Za-z0-9_.`]+): .*\z", RegexOptions.Singleline)]
    private static partial Regex ThrownMessage();
}
