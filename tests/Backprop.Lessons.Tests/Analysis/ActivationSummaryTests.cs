namespace Backprop.Lessons.Tests;

public sealed class ActivationSummaryTests
{
    [Fact]
    public void The_lecture_table_has_the_five_hidden_activations_in_order_with_the_library_numbers()
    {
        IReadOnlyList<ActivationSummaryRow> rows = ActivationSummary.Rows(ActivationSummary.LectureActivations);

        Assert.Equal(["logistic", "tanh", "ReLU", "leaky ReLU (k = 0.01)", "ELU (k = 1)"], rows.Select(r => r.Name));
        Assert.Equal(ActivationSummary.LectureActivations.Select(h => h.MaxDerivative), rows.Select(r => r.MaxDerivative));
        Assert.Equal(0.25, rows[0].MaxDerivative);
        Assert.Equal(1.0, rows[1].MaxDerivative);
        Assert.Contains("vanishing gradients", rows[0].Problem);
        Assert.Contains("dead neurons", rows[2].Problem);
        Assert.Equal(string.Empty, rows[3].Problem);
        Assert.Contains("always learning", rows[3].Advantage);
    }

    [Fact]
    public void The_parameter_k_is_written_into_the_formulas()
    {
        ActivationSummaryRow leaky = ActivationSummary.For(Activation.LeakyReLU(0.3));
        Assert.Contains("0.3·a", leaky.Function);
        Assert.Contains("0.3 if a ≤ 0", leaky.Derivative);
        ActivationSummaryRow elu = ActivationSummary.For(Activation.Elu(2.0));
        Assert.Contains("2(e^a − 1)", elu.Function);
        Assert.Contains("y(a) + 2", elu.Derivative);
        Assert.Contains("max |h'| = 1", ActivationSummary.For(Activation.Identity).ToString());
        Assert.Contains("problem: —", ActivationSummary.For(Activation.Identity).ToString());
    }

    [Fact]
    public void Rows_keeps_the_order_and_rejects_null()
    {
        Assert.Equal(["tanh", "logistic"], ActivationSummary.Rows([Activation.Tanh, Activation.Logistic]).Select(r => r.Name));
        Assert.Throws<ArgumentNullException>(() => ActivationSummary.Rows(null!));
        Assert.Throws<ArgumentNullException>(() => ActivationSummary.Rows([Activation.Tanh, null!]));
    }
}
