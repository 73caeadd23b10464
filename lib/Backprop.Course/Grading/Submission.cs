namespace Backprop.Course.Grading;

/// <summary>One submission of a batch: the file, the folder it was found in (or named beside) and the student it belongs to.</summary>
internal sealed record Submission(string Path, string Root, string StudentId)
{
    /// <summary>
    /// The file as <see cref="SubmissionFinder.Find"/> read it, once: what is hashed and graded. Null for a submission made
    /// without reading its file (the gradebook and feedback pages need only the path and the id); grading reads it then.
    /// </summary>
    public SubmittedFile? File { get; init; }

    /// <summary>The notebook as <see cref="File"/> holds it (read now when it was not), or null when it cannot be read or parsed: its problem is in its grade.</summary>
    public Notebooks.NotebookDocument? OpenOrNull()
    {
        try
        {
            return (File ?? SubmittedFile.Read(Path)).Open();
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return null;
        }
    }
}
