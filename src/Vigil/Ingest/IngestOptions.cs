using Vigil.Flags;
using Vigil.Netlink;
using Vigil.Netlink.Rules;
using Vigil.Tables;

namespace Vigil.Ingest;

/// <summary>What the audit flags ask of the ingest path: kernel configuration and which tables get rows.</summary>
public sealed class IngestOptions
{
    /// <summary>Every event table Vigil has, in the order <c>.tables</c> shows them; registered whether enabled or not.</summary>
    public static IReadOnlyList<TableSpec> EventTableSpecs { get; } =
        [ProcessEventsTable.Schema, SocketEventsTable.Schema, UserEventsTable.Schema];

    public required KernelAuditOptions Kernel { get; init; }

    public required SocketEventsOptions Sockets { get; init; }

    public bool ProcessEvents { get; init; }

    public bool SocketEvents { get; init; }

    public bool UserEvents { get; init; }

    public bool Debug { get; init; }

    /// <summary>The <c>--audit_redact_patterns</c> applied to process_events.cmdline, or null when redaction is off.</summary>
    public RedactionPatterns? Redaction { get; init; }

    /// <summary>The configured exclusions (config <c>audit.exclude</c> and <c>--audit_exclude_exe</c>).</summary>
    public IReadOnlyList<AuditExclusion> Exclusions { get; init; } = [];

    /// <summary>The exclusions of <c>--audit_exclude_exe</c> alone, which a config reload keeps.</summary>
    public IReadOnlyList<AuditExclusion> FlagExclusions { get; init; } = [];

    /// <summary>
    /// Reads the flags, and the exclusions of <paramref name="auditConfig"/> (the config's raw <c>audit</c> JSON); the
    /// exclusions become the kernel options' never rules now, so exe wildcards are expanded at load.
    /// </summary>
    /// <exception cref="AuditExclusionException">An exclusion entry is invalid; the message names it.</exception>
    public static IngestOptions FromFlags(FlagValues flags, string? auditConfig = null)
    {
        var flagExclusions = new List<AuditExclusion>();
        foreach (var exe in flags.Get(VigilFlags.AuditExcludeExe))
        {
            flagExclusions.Add(AuditExclusionParser.ForExe(exe));
        }

        var exclusions = new List<AuditExclusion>(AuditExclusionParser.ParseConfig(auditConfig));
        exclusions.AddRange(flagExclusions);

        var sockets = flags.Get(VigilFlags.AuditAllowSockets);
        var processes = flags.Get(VigilFlags.AuditAllowProcessEvents);
        var accept = flags.Get(VigilFlags.AuditAllowAcceptSocketEvents);
        var kernel = new KernelAuditOptions
        {
            AllowConfig = flags.Get(VigilFlags.AuditAllowConfig),
            SocketType = flags.Get(VigilFlags.AuditSocketType) switch
            {
                "unicast" => AuditSocketType.Unicast,
                "multicast" => AuditSocketType.Multicast,
                _ => AuditSocketType.Auto,
            },
            ProcessEvents = processes,
            Sockets = sockets,
            AcceptSockets = sockets && accept,
            BacklogLimit = checked((uint)flags.Get(VigilFlags.AuditBacklogLimit)),
            BacklogWaitTime = checked((uint)flags.Get(VigilFlags.AuditBacklogWaitTime)),
            CustomRules = CustomRules(flags.Get(VigilFlags.AuditRulesFile)),
        };
        kernel.ExclusionRules = AuditExclusionRules.Build(exclusions, kernel.Syscalls());
        return new IngestOptions
        {
            Kernel = kernel,
            Exclusions = exclusions,
            FlagExclusions = flagExclusions,
            Sockets = new SocketEventsOptions
            {
                AllowUnix = flags.Get(VigilFlags.AuditAllowUnix),
                AllowFailed = flags.Get(VigilFlags.AuditAllowFailedSocketEvents),
                AllowAccept = accept,
            },
            ProcessEvents = processes,
            SocketEvents = sockets,
            UserEvents = flags.Get(VigilFlags.AuditAllowUserEvents),
            Debug = flags.Get(VigilFlags.AuditDebug),
            Redaction = RedactionPatterns.Create(flags.Get(VigilFlags.AuditRedactPatterns)),
        };
    }

    /// <summary>
    /// The never rules for the exclusions of <paramref name="auditConfig"/> (a reloaded config's raw <c>audit</c> JSON)
    /// and of <c>--audit_exclude_exe</c>, with exe wildcards expanded again now.
    /// </summary>
    /// <exception cref="AuditExclusionException">An exclusion entry is invalid; the message names it.</exception>
    public List<AuditRule> ExclusionRulesFor(string? auditConfig)
    {
        var exclusions = new List<AuditExclusion>(AuditExclusionParser.ParseConfig(auditConfig));
        exclusions.AddRange(FlagExclusions);
        return AuditExclusionRules.Build(exclusions, Kernel.Syscalls());
    }

    private static IReadOnlyList<AuditRule> CustomRules(string path)
    {
        if (path.Length == 0)
        {
            return [];
        }

        try
        {
            return AuditRulesFile.Read(path, AuditctlParser.ForSystem());
        }
        catch (FormatException error)
        {
            throw new FlagException($"--audit_rules_file: {error.Message}");
        }
    }

    /// <summary>The row builders for the tables the kernel is asked to feed.</summary>
    public IReadOnlyList<IEventTable> KernelTables()
    {
        var tables = new List<IEventTable>(3);
        if (ProcessEvents)
        {
            tables.Add(ProcessEventsRows());
        }

        if (SocketEvents)
        {
            tables.Add(new SocketEventsTable(Sockets));
        }

        if (UserEvents)
        {
            tables.Add(new UserEventsTable());
        }

        return tables;
    }

    /// <summary>
    /// The row builders for log files: every table, because the allow flags choose what to ask the kernel for and a
    /// log file already holds what it holds. The socket filters (unix, failed, accept) still apply.
    /// </summary>
    public IReadOnlyList<IEventTable> LogFileTables() =>
        [ProcessEventsRows(), new SocketEventsTable(Sockets), new UserEventsTable()];

    private IEventTable ProcessEventsRows() =>
        Redaction is null ? new ProcessEventsTable() : new RedactingEventTable(new ProcessEventsTable(), Redaction);
}
