using Backprop.Coursework;
using MathNet.Numerics.LinearAlgebra;
using Numeric = Backprop.GradientChecker;
using static Backprop.Activation;

namespace Backprop.Notebooks.Tests;

/// <summary>
/// <see cref="Check.OwnWork"/> finds a listed kit member however the student's code reaches it — directly, through an
/// alias or <c>using static</c>, an extension method, a lambda, a local function, a helper of another class, an async
/// method, an object called through its interface, or a delegate made from the member and kept in a field — and lets
/// code through that calls only members not on the list.
/// </summary>
public sealed class OwnWorkTests
{
    private static readonly string[] Sigmoid = ["Backprop.Activation.Logistic"];
    private static readonly string[] Gradients = ["Backprop.GradientChecker"];
    private static readonly string[] Backward = ["Backprop.Mlp.Backward", "Backprop.Mlp.LossAndGradient"];

    private static string Refused(string[] notAllowed, params Delegate[] code) =>
        Assert.Throws<ExerciseCheckException>(() => Check.OwnWork("99.1", notAllowed, code)).Message;

    private static double Direct(double a) => Activation.Logistic.Value(a);

    [Fact]
    public void A_direct_call_is_refused_and_the_message_names_the_exercise_the_function_and_the_member()
    {
        var message = Refused(Sigmoid, Direct);

        Assert.Equal("✘ Exercise 99.1 is your own work: Direct calls Activation.Logistic, which is not allowed here — compute it yourself.", message);
    }

    private static double ThroughUsingStatic(double a) => Logistic.Value(a);

    private static Vector<double> ThroughAlias(Func<Vector<double>, double> loss, Vector<double> w) => Numeric.NumericalGradient(loss, w, 1e-5);

    [Fact]
    public void An_alias_or_using_static_is_the_same_call()
    {
        Assert.Contains("calls Activation.Logistic", Refused(Sigmoid, ThroughUsingStatic), StringComparison.Ordinal);
        Assert.Contains("ThroughAlias calls GradientChecker.NumericalGradient", Refused(Gradients, ThroughAlias), StringComparison.Ordinal);
    }

    private static double ThroughAKitExtension(Mlp net, Dataset data) =>
        new BatchGradientDescent { Epochs = 1 }.Train(net, data, Loss.HalfSumOfSquares).Entries.Count;

    private static Gradients ThroughOwnExtension(Mlp net, ForwardPass pass, Vector<double> t) => net.Back(pass, t);

    [Fact]
    public void An_extension_call_is_the_same_call_whether_the_extension_is_the_kits_or_the_students()
    {
        Assert.Contains("calls OptimizerExtensions.Train", Refused(["Backprop.OptimizerExtensions.Train"], ThroughAKitExtension), StringComparison.Ordinal);
        Assert.Contains("ThroughOwnExtension calls Mlp.Backward (through Back)", Refused(Backward, ThroughOwnExtension), StringComparison.Ordinal);
    }

    private static double ThroughALambda(double a)
    {
        Func<double, double> sigma = x => Activation.Logistic.Value(x);
        return sigma(a);
    }

    private static double ThroughALocalFunction(double a)
    {
        return Sigma(a);

        static double Sigma(double x) => Activation.Logistic.Value(x);
    }

    private static double ThroughAHelperOfAnotherClass(double a) => StudentHelpers.Squash(a) * 1.0;

    [Fact]
    public void A_lambda_a_local_function_or_a_helper_of_another_class_is_followed()
    {
        Assert.Contains("ThroughALambda calls Activation.Logistic (through a lambda in ThroughALambda)", Refused(Sigmoid, ThroughALambda), StringComparison.Ordinal);
        Assert.Contains("ThroughALocalFunction calls Activation.Logistic (through Sigma)", Refused(Sigmoid, ThroughALocalFunction), StringComparison.Ordinal);
        Assert.Contains("ThroughAHelperOfAnotherClass calls Activation.Logistic (through Squash)", Refused(Sigmoid, ThroughAHelperOfAnotherClass), StringComparison.Ordinal);
    }

    private static async Task<double> AnAsyncMethod(Func<Vector<double>, double> loss, Vector<double> w)
    {
        await Task.Yield();
        return GradientChecker.Derivative(loss, w, 0, 1e-5);
    }

    private static IEnumerable<double> AnIterator(Func<Vector<double>, double> loss, Vector<double> w)
    {
        for (int i = 0; i < w.Count; i++)
        {
            yield return GradientChecker.Derivative(loss, w, i, 1e-5);
        }
    }

    [Fact]
    public void The_body_of_an_async_method_or_an_iterator_is_followed_into_its_state_machine()
    {
        Assert.Contains("AnAsyncMethod calls GradientChecker.Derivative", Refused(Gradients, AnAsyncMethod), StringComparison.Ordinal);
        Assert.Contains("AnIterator calls GradientChecker.Derivative", Refused(Gradients, AnIterator), StringComparison.Ordinal);
    }

    private static Vector<double> ThroughAStoredDelegate(Func<Vector<double>, double> loss, Vector<double> w) => StudentHelpers.Stored(loss, w, 1e-5, FiniteDifference.Central);

    private static Vector<double> MadeInPlace(Func<Vector<double>, double> loss, Vector<double> w)
    {
        Func<Func<Vector<double>, double>, Vector<double>, double, FiniteDifference, Vector<double>> numeric = GradientChecker.NumericalGradient;
        return numeric(loss, w, 1e-5, FiniteDifference.Central);
    }

    private static double ThroughAnInterface(double a) => ((ISquash)new KitSquash()).Squash(a);

    private static double ThroughAStruct(double a) => Squashed(default(StructSquash), a);

    private static double Squashed<T>(T squash, double a)
        where T : ISquash => squash.Squash(a);

    [Fact]
    public void A_delegate_made_from_the_member_and_a_call_through_an_interface_are_found()
    {
        Assert.Contains("calls GradientChecker.NumericalGradient", Refused(Gradients, ThroughAStoredDelegate), StringComparison.Ordinal);
        Assert.Contains("calls Activation.Logistic", Refused(Sigmoid, ThroughAnInterface), StringComparison.Ordinal);
        Assert.Contains("ThroughAStruct calls Activation.Logistic (through Squash)", Refused(Sigmoid, ThroughAStruct), StringComparison.Ordinal);
        Assert.Contains("MadeInPlace calls GradientChecker.NumericalGradient", Refused(Gradients, MadeInPlace), StringComparison.Ordinal);
    }

    [Fact]
    public void A_delegate_kept_in_a_variable_of_another_cell_is_followed_to_what_it_calls()
    {
        // Each notebook cell is an object that refers to the cells before it; the exercise reads the earlier cell's variable.
        var earlier = new EarlierCell();
        var exercise = new ExerciseCell(earlier);

        Assert.Contains("SigmaFromAVariable calls Activation.Logistic (through a lambda in the constructor of EarlierCell)", Refused(Sigmoid, exercise.SigmaFromAVariable), StringComparison.Ordinal);
        Assert.Contains("SigmaFromAMethodGroup calls Activation.Logistic (through the constructor of EarlierCell)", Refused(Sigmoid, exercise.SigmaFromAMethodGroup), StringComparison.Ordinal);
        Assert.Contains("GradientFromAVariable calls GradientChecker.NumericalGradient", Refused(Gradients, exercise.GradientFromAVariable), StringComparison.Ordinal);

        // A variable holding the student's own function is followed too, and lets the exercise through.
        Check.OwnWork("99.1", Sigmoid, exercise.SigmaOfItsOwn);
    }

    private static Gradients TwoShortcuts(Mlp net, Vector<double> x, Vector<double> t)
    {
        _ = GradientChecker.NumericalGradient(w => 0.0, net.GetParameters(), 1e-5);
        return StudentHelpers.Back(net, net.Forward(x), t);
    }

    [Fact]
    public void Every_listed_call_is_named_at_once_so_a_student_does_not_fix_them_one_run_at_a_time()
    {
        var message = Refused([.. Backward, .. Gradients], TwoShortcuts);

        Assert.Equal("✘ Exercise 99.1 is your own work: TwoShortcuts calls GradientChecker.NumericalGradient; TwoShortcuts calls Mlp.Backward (through Back), which are not allowed here — compute it yourself.", message);
    }

    private static double OwnSigma(double a) => 1.0 / (1.0 + Math.Exp(-a));

    private static Gradients OwnWorkUsingTheKit(Mlp net, Vector<double> x, Vector<double> t) =>
        net.Backward(net.Forward(x), t, Loss.HalfSumOfSquares);

    [Fact]
    public void Code_that_calls_no_listed_member_passes_also_when_it_uses_other_kit_members()
    {
        Check.OwnWork("99.1", Sigmoid, OwnSigma, (double a) => Tanh.Value(a) + StudentHelpers.Helper(a));
        Check.OwnWork("99.1", ["Backprop.Mlp.LossAndGradient", "Backprop.GradientChecker"], OwnWorkUsingTheKit);
    }

    [Fact]
    public void A_kit_member_that_calls_a_listed_one_inside_the_kit_is_not_a_violation_unless_listed_itself()
    {
        // GradientChecker.Check(net, …) calls Mlp.LossAndGradient inside the kit: the list must name Check to forbid it.
        static GradientVerdict Checked(Mlp net, Matrix<double> x, Matrix<double> t) => GradientChecker.Check(net, x, t, Loss.HalfSumOfSquares).Verdict;
        Check.OwnWork("99.1", ["Backprop.Mlp.LossAndGradient"], Checked);
        Assert.Contains("Checked calls GradientChecker.Check", Refused(["Backprop.GradientChecker.Check"], Checked), StringComparison.Ordinal);
    }

    [Fact]
    public void A_list_entry_that_names_nothing_in_the_kit_is_an_error_not_a_silent_pass()
    {
        var error = Assert.Throws<ArgumentException>(() => Check.OwnWork("99.1", ["Backprop.Mlp.Backwards"], OwnSigma));

        Assert.Contains("'Backprop.Mlp.Backwards' names no public type or member of the kit", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Inside_an_exercise_the_refusal_fails_the_check_with_its_own_message()
    {
        var error = Assert.Throws<ExerciseCheckException>(() => Check.Exercise("00.2", "the logistic sigmoid σ(a)", () =>
        {
            Check.OwnWork("00.2", Sigmoid, Direct);
            Check.Close("Sigma(0)", 0.5, Direct(0.0));
        }));

        Assert.Equal("00.2", error.ExerciseId);
        Assert.False(error.NotAttempted);
        Assert.StartsWith("✘ Exercise 00.2 is your own work: Direct calls Activation.Logistic", error.Message, StringComparison.Ordinal);
    }
}

/// <summary>Student code of "another cell": helpers the walker must follow.</summary>
internal static class StudentHelpers
{
    /// <summary>A delegate made from the kit member once, in the type's initializer, and called later.</summary>
    public static readonly Func<Func<Vector<double>, double>, Vector<double>, double, FiniteDifference, Vector<double>> Stored = GradientChecker.NumericalGradient;

    public static double Squash(double a) => Activation.Logistic.Value(a);

    public static double Helper(double a) => Math.Max(a, 0);

    public static Gradients Back(this Mlp net, ForwardPass pass, Vector<double> t) => net.Backward(pass, t, Loss.HalfSumOfSquares);
}

internal interface ISquash
{
    double Squash(double a);
}

internal sealed class KitSquash : ISquash
{
    public double Squash(double a) => Activation.Logistic.Value(a);
}

internal readonly struct StructSquash : ISquash
{
    public double Squash(double a) => Activation.Logistic.Value(a);
}

/// <summary>A notebook cell that keeps delegates in its variables: one of the kit's made in a lambda, a method group and a static method.</summary>
internal sealed class EarlierCell
{
    public Func<double, double> Squash = a => Activation.Logistic.Value(a);

    public Func<double, double> SquashGroup;

    public Func<Func<Vector<double>, double>, Vector<double>, double, FiniteDifference, Vector<double>> Numeric = GradientChecker.NumericalGradient;

    public Func<double, double> Own = a => 1.0 / (1.0 + Math.Exp(-a));

    public EarlierCell() => SquashGroup = Activation.Logistic.Value;
}

/// <summary>The exercise's cell: its functions call the earlier cell's variables.</summary>
internal sealed class ExerciseCell(EarlierCell earlier)
{
    public double SigmaFromAVariable(double a) => earlier.Squash(a);

    public double SigmaFromAMethodGroup(double a) => earlier.SquashGroup(a);

    public Vector<double> GradientFromAVariable(Func<Vector<double>, double> loss, Vector<double> w) => earlier.Numeric(loss, w, 1e-5, FiniteDifference.Central);

    public double SigmaOfItsOwn(double a) => earlier.Own(a);
}
