namespace Vigil.Rules;

/// <summary>What one auditctl rule-file line asks for.</summary>
public enum AuditctlCommandKind
{
    /// <summary><c>-a</c>, <c>-A</c> or <c>-w</c>: add <see cref="AuditctlCommand.Rule"/>.</summary>
    AddRule,

    /// <summary><c>-d</c> or <c>-W</c>: delete <see cref="AuditctlCommand.Rule"/>.</summary>
    DeleteRule,

    /// <summary><c>-D</c>: delete every rule (or every rule with <see cref="AuditctlCommand.Key"/>).</summary>
    DeleteAll,

    /// <summary><c>-b N</c>: backlog_limit.</summary>
    SetBacklogLimit,

    /// <summary><c>--backlog_wait_time N</c>.</summary>
    SetBacklogWaitTime,

    /// <summary><c>-e 0|1|2</c>: the enabled flag (2 locks the configuration until reboot).</summary>
    SetEnabled,

    /// <summary><c>-f 0|1|2</c>: failure mode (silent, printk, panic).</summary>
    SetFailure,

    /// <summary><c>-r N</c>: rate_limit in messages per second.</summary>
    SetRateLimit,

    /// <summary><c>-i</c>: keep loading the file after a failed line.</summary>
    IgnoreErrors,

    /// <summary><c>-c</c>: continue after a failed line, but still report failure.</summary>
    ContinueOnError,

    /// <summary><c>--loginuid-immutable</c>: loginuid can be set once per process and never changed.</summary>
    LoginUidImmutable,
}
