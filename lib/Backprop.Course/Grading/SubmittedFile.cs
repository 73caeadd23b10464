using Backprop.Course.Notebooks;

namespace Backprop.Course.Grading;

/// <summary>
/// A submitted notebook file as read once: the bytes that are hashed and the bytes that are graded are the same bytes, so
/// a file changed on disk after it was read changes neither its SHA-256 nor its grade. A file that could not be read (a
/// pipe, a device, too large, no permission) keeps why, and <see cref="Open"/> throws it where the grader turns it into a
/// problem of that submission.
/// </summary>
internal sealed class SubmittedFile
{
    private readonly byte[]? _bytes;
    private readonly Exception? _unreadable;

    private SubmittedFile(string path, byte[]? bytes, Exception? unreadable)
    {
        Path = path;
        _bytes = bytes;
        _unreadable = unreadable;
        Sha256 = bytes is null ? null : KitImage.Hash(bytes);
    }

    /// <summary>The file's path as given (the grade's <c>notebook</c>).</summary>
    public string Path { get; }

    /// <summary>The SHA-256 of the bytes read (the key <c>grade --resume</c> matches on); null when the file could not be read.</summary>
    public string? Sha256 { get; }

    /// <summary>Reads the file once, as the grader reads a notebook (a regular file only, at most <see cref="NotebookDocument.MaxFileBytes"/>); never throws for what the file is.</summary>
    public static SubmittedFile Read(string path)
    {
        try
        {
            return new(path, NotebookFile.Read(path, NotebookDocument.MaxFileBytes), null);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new(path, null, e);
        }
    }

    /// <summary>The notebook parsed from the bytes read; throws what reading or parsing them threw (a <see cref="CourseException"/> names the file and the problem).</summary>
    public NotebookDocument Open() => _bytes is null ? throw _unreadable! : NotebookDocument.FromBytes(_bytes, System.IO.Path.GetFileName(Path));
}
