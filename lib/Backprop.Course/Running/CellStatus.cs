namespace Backprop.Course.Running;

/// <summary>How a code cell ended: passed, failed (an exception or a compile error), stopped at its time limit, or not run after a time-out.</summary>
internal enum CellStatus
{
    Succeeded,
    Failed,
    TimedOut,
    /// <summary>The kernel process exited while the cell ran.</summary>
    Crashed,
    NotRun,
}
