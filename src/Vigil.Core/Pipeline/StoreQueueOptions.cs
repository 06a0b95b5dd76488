using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>How the store queue batches, how many rows it holds, and what it does when the disk runs short.</summary>
public sealed record StoreQueueOptions
{
    /// <summary>
    /// The most rows waiting in memory for the store, those being written included: the rows the reader can put aside
    /// while the store cannot write, before it drops the oldest. bench/RESULTS.md measures what they hold.
    /// </summary>
    public const int DefaultCapacity = 65536;

    /// <summary>How long a row waits for its batch's commit (zero: commit whenever the queue is empty).</summary>
    public TimeSpan CommitWindow { get; init; } = TimeSpan.FromMilliseconds(100);

    /// <summary>The most rows waiting in memory; more than one batch (<see cref="StoreQueue.CommitRows"/>).</summary>
    public int Capacity { get; init; } = DefaultCapacity;

    /// <summary><c>--database_space_left</c> in bytes: free space below which <see cref="SpaceLeftAction"/> applies; 0: never.</summary>
    public long SpaceLeftBytes { get; init; }

    /// <summary><c>--database_space_left_action</c>.</summary>
    public SpaceLeftAction SpaceLeftAction { get; init; } = SpaceLeftAction.ExpireOldest;

    /// <summary>What finishes each row on the writer thread before it is stored (exe_sha256), or null.</summary>
    public IRowCompletion? Completion { get; init; }
}
