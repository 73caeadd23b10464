using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Charts.Tests;

public sealed class TablesTests
{
    [Fact]
    public void Activations_lists_every_unit_with_the_stored_a_and_z_counting_from_one()
    {
        var net = new Mlp([2, 3, 2], Activation.Tanh, Activation.Logistic, seed: 4);
        ForwardPass pass = net.Forward(Vector<double>.Build.Dense([0.3, -0.8]));

        IReadOnlyList<UnitValues> rows = Tables.Activations(net, pass);

        Assert.Equal(5, rows.Count);
        Assert.Equal([(1, 1), (1, 2), (1, 3), (2, 1), (2, 2)], rows.Select(r => (r.Layer, r.Unit)));
        Assert.Equal(["tanh", "tanh", "tanh", "logistic", "logistic"], rows.Select(r => r.Activation));
        foreach (UnitValues row in rows)
        {
            Assert.Equal(pass.A(row.Layer)[row.Unit - 1], row.A);
            Assert.Equal(pass.Z(row.Layer)[row.Unit - 1], row.Z);
            Assert.Equal(net.Layers[row.Layer - 1].Activation.Value(row.A), row.Z, 1e-15);
        }
    }

    [Fact]
    public void Activations_rejects_null()
    {
        var net = new Mlp([1, 1], [Activation.Identity], seed: 0);
        Assert.Throws<ArgumentNullException>(() => Tables.Activations(null!, net.Forward(Vector<double>.Build.Dense([1.0]))));
        Assert.Throws<ArgumentNullException>(() => Tables.Activations(net, null!));
    }

    [Fact]
    public void Activations_rejects_a_pass_of_another_network()
    {
        var net = new Mlp([2, 3, 2], Activation.Tanh, Activation.Logistic, seed: 4);
        var deeper = new Mlp([2, 3, 3, 2], Activation.Tanh, Activation.Logistic, seed: 4);
        var wider = new Mlp([2, 4, 2], Activation.Tanh, Activation.Logistic, seed: 4);
        var x = Vector<double>.Build.Dense([0.3, -0.8]);

        var e = Assert.ThrowsAny<ArgumentException>(() => Tables.Activations(net, deeper.Forward(x)));
        Assert.Equal("pass", e.ParamName);
        Assert.Contains("2-3-2", e.Message);
        Assert.Equal("pass", Assert.ThrowsAny<ArgumentException>(() => Tables.Activations(net, wider.Forward(x))).ParamName);
        Assert.Equal("pass", Assert.ThrowsAny<ArgumentException>(() => Tables.Activations(deeper, net.Forward(x))).ParamName);
    }
}
