namespace Backprop.Lessons.Tests;

/// <summary>The concept check's cell (ConceptCheck.Answers) shows every question with the answer written for it, and holds no key.</summary>
[Collection("console")]
public sealed class ConceptCheckTests
{
    private static string Shown(string when, string answers)
    {
        var output = new StringWriter();
        var previous = Console.Out;
        Console.SetOut(output);
        try
        {
            ConceptCheck.Answers(when, answers);
        }
        finally
        {
            Console.SetOut(previous);
        }

        return output.ToString();
    }

    [Fact]
    public void Every_question_is_shown_with_its_choices_and_the_answer_written_for_it()
    {
        var text = Shown("before", "1: c\n2: ?\n3:\n4: b\n");

        Assert.InRange(ConceptCheck.Questions.Count, 8, 12);
        Assert.All(ConceptCheck.Questions.Select((q, i) => $"{i + 1}. {q.Text}"), line => Assert.Contains(line, text, StringComparison.Ordinal));
        Assert.Equal(2, text.Split('\n').Count(l => l.Trim().StartsWith("Your answer: ", StringComparison.Ordinal) && !l.Contains("not answered", StringComparison.Ordinal)));
        Assert.Contains($"Answered: 2 of {ConceptCheck.Questions.Count}.", text, StringComparison.Ordinal);
        Assert.Contains("   c) ", text, StringComparison.Ordinal);
    }

    [Fact]
    public void The_kit_holds_the_questions_but_not_the_key_and_refuses_an_unknown_time()
    {
        using var stream = typeof(ConceptCheck).Assembly.GetManifestResourceStream("Backprop.Lessons.concept-check.json")!;
        var bank = new StreamReader(stream).ReadToEnd();

        Assert.DoesNotContain("\"answers\"", bank, StringComparison.Ordinal);
        Assert.DoesNotContain("\"answer\"", bank, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ConceptCheck.Answers("during", ""));
    }
}
