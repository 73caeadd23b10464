using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Backprop.Course.Notebooks;

namespace Backprop.Course.Grading;

/// <summary>
/// What <c>grade --resume</c> matches besides a submission's own SHA-256: a hash of everything else that decides its grade —
/// the course tool (its module id: a rebuilt tool with other rules), the kit (every file of the verified image), the code
/// cells of the submission's lesson (its setup and check cells, hidden checks included, and the cells it trusts), and the roster and secret of graded variants. A result
/// graded with anything else is graded again. The time limits are not part of it: a batch resumed with another
/// --timeout keeps what it graded (a lecturer who wants the timed-out ones graded again removes them from the report).
/// </summary>
internal sealed class GradingKey
{
    private readonly string _common;
    private readonly Dictionary<string, string> _lessons = new(StringComparer.Ordinal);
    private readonly string _allLessons;

    /// <param name="lessonsFolder">The lessons the grader grades against (its <c>--lessons</c> folder, else notebooks/), read as the grader reads them.</param>
    /// <param name="kit">The kit image every submission gets a copy of.</param>
    /// <param name="variants">The roster and secret's fingerprint (<see cref="Transforms.VariantKey.Fingerprint"/>) when variants are graded, else null.</param>
    public GradingKey(string lessonsFolder, KitImage kit, string? variants = null)
    {
        _common = string.Create(CultureInfo.InvariantCulture, $"tool {typeof(GradingKey).Assembly.ManifestModule.ModuleVersionId:D}\nkit {kit.Sha256}\n")
            + (variants is null ? "" : $"variants {variants}\n");
        foreach (var path in Directory.GetFiles(lessonsFolder, "*.ipynb").Order(StringComparer.Ordinal))
        {
            var notebook = NotebookDocument.Load(path);
            if (Grader.LessonOf(notebook) is { } lesson)
            {
                var code = new StringBuilder();
                foreach (var cell in notebook.Cells.Where(c => c.IsCode))
                {
                    code.Append(cell.KernelName).Append('\n').Append(cell.Source).Append('\0');
                }

                _lessons[lesson] = Hash(code.ToString());
            }
        }

        _allLessons = Hash(string.Join("\n", _lessons.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key} {l.Value}")));
    }

    /// <summary>The key of a result of lesson <paramref name="lesson"/> (null or not a lesson of the course: every lesson counts, a new one could make it gradable).</summary>
    public string For(string? lesson) => Hash(_common + (lesson is not null && _lessons.TryGetValue(lesson, out var code) ? $"lesson {lesson} {code}" : $"lessons {_allLessons}"));

    private static string Hash(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));
}
