using System.Text.Json.Nodes;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Transforms;

/// <summary>
/// Transform (grade, validate): each check cell ends by having the kit attest it with a secret of this run, so a check
/// counts only when the verified kit's own check code ran it; the attestation lines are removed from the outputs.
/// </summary>
internal static class AttestChecks
{
    /// <summary>A fresh secret (16 random bytes, hex), one per check cell and run.</summary>
    public static string NewNonce() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The check cell's source with the attestation call of <paramref name="nonce"/> and exercise <paramref name="id"/> as its last line.</summary>
    public static string Apply(string source, string nonce, string id) => source.TrimEnd() + $"\nKit::Check.Attest(\"{nonce}\", \"{id}\");\n";

    /// <summary>
    /// True when the executed check cell printed the attestation line with its secret, its exercise and the verified kit's
    /// module id (<paramref name="courseworkMvid"/>); every attestation line is then removed from the cell's outputs.
    /// </summary>
    public static bool Verify(NotebookCell executed, string nonce, string id, Guid courseworkMvid)
    {
        var expected = $"{WireContract.AttestationPrefix}{nonce} {id} {courseworkMvid:D}";
        var found = false;
        // Read through the typed view; written back into the cell's JSON, which the typed view only reads.
        foreach (var output in executed.Json["outputs"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            if (NotebookOutput.From(output) is not StreamOutput stream)
            {
                continue;
            }

            var lines = stream.Text.Split('\n');
            found |= lines.Any(l => l.Trim() == expected);
            output["text"] = NotebookCell.SourceLines(string.Join('\n', lines.Where(l => !l.StartsWith(WireContract.AttestationPrefix, StringComparison.Ordinal))));
        }

        return found;
    }

    /// <summary>What a passed check said: the last non-empty line it printed ("passed" when none).</summary>
    public static string Confirmation(NotebookCell executed)
    {
        var text = string.Concat(executed.Outputs.OfType<StreamOutput>().Select(s => s.Text));
        return text.Trim().Split('\n').LastOrDefault(l => l.Length > 0)?.Trim() ?? "passed";
    }
}
