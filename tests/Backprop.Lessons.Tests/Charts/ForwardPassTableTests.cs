using System.Globalization;
using System.Text.RegularExpressions;
using MathNet.Numerics.LinearAlgebra;

namespace Backprop.Lessons.Charts.Tests;

public sealed class ForwardPassTableTests
{
    [Fact]
    public void One_row_per_unit_with_a_and_z_rounded_to_the_decimals_asked_for()
    {
        var net = new Mlp([2, 3, 2], Activation.Tanh, Activation.Identity, seed: 4);
        ForwardPass pass = net.Forward(Vector<double>.Build.Dense([0.3, -0.8]));

        string html = ForwardPassTable.Html(net, pass, decimals: 3);

        var rows = Regex.Matches(html, "<tr>(.*?)</tr>").Select(m => Regex.Matches(m.Groups[1].Value, "<td[^>]*>(.*?)</td>").Select(c => c.Groups[1].Value).ToArray())
            .Where(cells => cells.Length > 0).ToList();
        Assert.Equal(5, rows.Count);
        Assert.Equal(["z<sub>1</sub>", "z<sub>2</sub>", "z<sub>3</sub>", "y<sub>1</sub>", "y<sub>2</sub>"], rows.Select(r => r[1]));
        Assert.Equal(["tanh", "tanh", "tanh", "identity", "identity"], rows.Select(r => r[2]));
        for (int row = 0; row < 5; row++)
        {
            int l = row < 3 ? 0 : 1, j = row < 3 ? row : row - 3;
            Assert.Equal(pass.A(l + 1)[j].ToString("F3", CultureInfo.InvariantCulture).Replace("-", "−", StringComparison.Ordinal), rows[row][3]);
            Assert.Equal(pass.Z(l + 1)[j].ToString("F3", CultureInfo.InvariantCulture).Replace("-", "−", StringComparison.Ordinal), rows[row][4]);
        }

        Assert.DoesNotContain("E-", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_pass_of_another_network_or_bad_decimals_are_rejected()
    {
        var net = new Mlp([2, 3, 2], Activation.Tanh, Activation.Identity, seed: 4);
        var other = new Mlp([2, 4, 2], Activation.Tanh, Activation.Identity, seed: 4);
        ForwardPass pass = other.Forward(Vector<double>.Build.Dense([0.3, -0.8]));
        Assert.Equal("pass", Assert.Throws<ArgumentException>(() => ForwardPassTable.Html(net, pass)).ParamName);
        Assert.Equal("decimals", Assert.Throws<ArgumentException>(() => ForwardPassTable.Html(other, pass, 11)).ParamName);
        Assert.Throws<ArgumentNullException>(() => ForwardPassTable.Html(null!, pass));
    }
}
