namespace Vigil.Pipeline;

/// <summary>
/// <c>--database_space_left_action</c>: what the store queue does while the database's file system has less free space
/// than <c>--database_space_left</c>, after auditd's <c>space_left_action</c>.
/// </summary>
public enum SpaceLeftAction
{
    /// <summary><c>warn</c>: storing goes on; the daemon warns once a minute.</summary>
    Warn,

    /// <summary>
    /// <c>keep_in_memory</c>: nothing is committed, so the space left stays for the daemon's own state and results; the
    /// newest events wait in the queue, the oldest dropped when it is full. Storing resumes when space returns.
    /// </summary>
    KeepInMemory,

    /// <summary>
    /// <c>expire_oldest</c>: each batch deletes as many of the oldest stored events of its tables as it stores, so the
    /// database reuses their pages instead of growing, and the newest events are kept.
    /// </summary>
    ExpireOldest,
}
