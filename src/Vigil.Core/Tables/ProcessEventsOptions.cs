namespace Vigil.Tables;

/// <summary>Which process events besides execs become rows, from osquery's flags, with osquery's defaults.</summary>
public sealed record ProcessEventsOptions
{
    /// <summary>fork, vfork, clone and clone3 (audit_allow_fork_process_events, default false).</summary>
    public bool AllowFork { get; init; }

    /// <summary>kill, tkill and tgkill (audit_allow_kill_process_events, default false).</summary>
    public bool AllowKill { get; init; }

    /// <summary>
    /// Leave exe_sha256 NULL for <see cref="ExecutableHashes"/> where the row's path is the executed file
    /// (audit_hash_executables, default false; live only).
    /// </summary>
    public bool HashExecutables { get; init; }
}
