using Vigil.Flags;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Rules;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>What the audit flags ask of the ingest path: kernel configuration and which tables get rows.</summary>
public sealed class IngestOptions
{
    /// <summary>Every event table Vigil has, in the order <c>.tables</c> shows them; registered whether enabled or not.</summary>
    public static IReadOnlyList<TableSpec> EventTableSpecs { get; } =
        [ProcessEventsTable.Schema, SocketEventsTable.Schema, UserEventsTable.Schema, ProcessFileEventsTable.Schema, BpfProcessEventsTable.Schema, BpfSocketEventsTable.Schema];

    public required KernelAuditOptions Kernel { get; init; }

    public required SocketEventsOptions Sockets { get; init; }

    /// <summary>Which process events besides execs become rows (fork, kill).</summary>
    public ProcessEventsOptions Processes { get; init; } = new();

    public bool ProcessEvents { get; init; }

    public bool SocketEvents { get; init; }

    public bool UserEvents { get; init; }

    /// <summary>Whether process_file_events gets rows (<c>--audit_allow_fim_events</c>; the rows are of the config's <c>file_paths</c>).</summary>
    public bool FileEvents { get; init; }

    /// <summary>The watched paths and the FIM flags.</summary>
    public ProcessFileEventsOptions Files { get; init; } = new();

    public bool Debug { get; init; }

    /// <summary>The store queue's capacity and what it does when the database's file system runs short.</summary>
    public StoreQueueOptions Store { get; init; } = new();

    /// <summary>The <c>--audit_redact_patterns</c> applied to process_events.cmdline, or null when redaction is off.</summary>
    public RedactionPatterns? Redaction { get; init; }

    /// <summary>The configured exclusions (config <c>audit.exclude</c> and <c>--audit_exclude_exe</c>).</summary>
    public IReadOnlyList<AuditExclusion> Exclusions { get; init; } = [];

    /// <summary>The exclusions of <c>--audit_exclude_exe</c> alone, which a config reload keeps.</summary>
    public IReadOnlyList<AuditExclusion> FlagExclusions { get; init; } = [];

    /// <summary>
    /// Reads the flags, the exclusions of <paramref name="auditConfig"/> (the config's raw <c>audit</c> JSON) and the
    /// watched paths of <paramref name="filePaths"/> and <paramref name="excludePaths"/> (the config's raw
    /// <c>file_paths</c> and <c>exclude_paths</c>); the exclusions become the kernel options' never rules now, so exe
    /// wildcards are expanded at load, and the watched paths the directories of its file rules.
    /// </summary>
    /// <exception cref="AuditExclusionException">An exclusion or path entry is invalid; the message names it.</exception>
    public static IngestOptions FromFlags(FlagValues flags, string? auditConfig = null, string? filePaths = null, string? excludePaths = null)
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
        var processOptions = new ProcessEventsOptions
        {
            AllowFork = processes && flags.Get(VigilFlags.AuditAllowForkProcessEvents),
            AllowKill = processes && flags.Get(VigilFlags.AuditAllowKillProcessEvents),
            HashExecutables = processes && flags.Get(VigilFlags.AuditHashExecutables),
        };
        var accept = flags.Get(VigilFlags.AuditAllowAcceptSocketEvents);
        var fim = flags.Get(VigilFlags.AuditAllowFimEvents);
        var files = new ProcessFileEventsOptions
        {
            Patterns = fim ? FilePatterns.Parse(filePaths, excludePaths) : FilePatterns.None,
            ShowAccesses = flags.Get(VigilFlags.AuditFimShowAccesses),
            ShowPartial = flags.Get(VigilFlags.AuditShowPartialFimEvents),
            ShowDirectories = flags.Get(VigilFlags.AuditFimShowDirectories),
            ShowDescriptors = flags.Get(VigilFlags.AuditFimFdEvents),
        };
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
            ForkProcessEvents = processOptions.AllowFork,
            KillProcessEvents = processOptions.AllowKill,
            Sockets = sockets,
            AcceptSockets = sockets && accept,
            FileEvents = fim,
            FileRoots = files.Patterns.Roots,
            FileDirectories = files.ShowDirectories,
            FileDescriptors = files.ShowDescriptors,
            FileReads = files.ShowAccesses,
            BacklogLimit = checked((uint)flags.Get(VigilFlags.AuditBacklogLimit)),
            BacklogWaitTime = checked((uint)flags.Get(VigilFlags.AuditBacklogWaitTime)),
            CustomRules = CustomRules(flags.Get(VigilFlags.AuditRulesFile)),
        };
        kernel.ExclusionRules = AuditExclusionRules.Build(exclusions, kernel.ExcludableSyscalls());
        return new IngestOptions
        {
            Kernel = kernel,
            Exclusions = exclusions,
            FlagExclusions = flagExclusions,
            Sockets = new SocketEventsOptions
            {
                AllowUnix = flags.Get(VigilFlags.AuditAllowUnix),
                AllowFailed = flags.Get(VigilFlags.AuditAllowFailedSocketEvents),
                AllowNullAccept = flags.Get(VigilFlags.AuditAllowNullAcceptSocketEvents),
                AllowAccept = accept,
            },
            ProcessEvents = processes,
            Processes = processOptions,
            SocketEvents = sockets,
            UserEvents = flags.Get(VigilFlags.AuditAllowUserEvents),
            FileEvents = fim,
            Files = files,
            Debug = flags.Get(VigilFlags.AuditDebug),
            Redaction = RedactionPatterns.Create(flags.Get(VigilFlags.AuditRedactPatterns)),
            Store = new StoreQueueOptions
            {
                SpaceLeftBytes = Math.Max(0, flags.Get(VigilFlags.DatabaseSpaceLeft)) * 1024 * 1024,
                SpaceLeftAction = flags.Get(VigilFlags.DatabaseSpaceLeftAction) switch
                {
                    "warn" => SpaceLeftAction.Warn,
                    "keep_in_memory" => SpaceLeftAction.KeepInMemory,
                    _ => SpaceLeftAction.ExpireOldest,
                },
                Completion = processOptions.HashExecutables ? new ExecutableHashes() : null,
            },
        };
    }

    /// <summary>
    /// The never rules for the exclusions of <paramref name="auditConfig"/> (a reloaded config's raw <c>audit</c> JSON)
    /// and of <c>--audit_exclude_exe</c>, with exe wildcards expanded again now.
    /// </summary>
    /// <exception cref="AuditExclusionException">An exclusion entry is invalid; the message names it.</exception>
    public List<AuditRule> ExclusionRulesFor(string? auditConfig) => AuditExclusionRules.Build(ExclusionsFor(auditConfig), Kernel.ExcludableSyscalls());

    /// <summary>The exclusions of <paramref name="auditConfig"/> (a reloaded config's raw <c>audit</c> JSON) and of <c>--audit_exclude_exe</c>.</summary>
    /// <exception cref="AuditExclusionException">An exclusion entry is invalid; the message names it.</exception>
    public List<AuditExclusion> ExclusionsFor(string? auditConfig)
    {
        var exclusions = new List<AuditExclusion>(AuditExclusionParser.ParseConfig(auditConfig));
        exclusions.AddRange(FlagExclusions);
        return exclusions;
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

    /// <summary>The row builders for the tables the kernel is asked to feed, sharing a tree of the live host's processes.</summary>
    public IReadOnlyList<IEventTable> KernelTables()
    {
        var tables = new List<IEventTable>(3);
        if (ProcessEvents || SocketEvents)
        {
            var context = ProcessContext.Live();
            if (ProcessEvents)
            {
                tables.Add(ProcessEventsRows(context, Processes));
            }

            if (SocketEvents)
            {
                tables.Add(Redacted(new SocketEventsTable(Sockets, context)));
            }
        }

        if (UserEvents)
        {
            tables.Add(new UserEventsTable());
        }

        if (FileEvents)
        {
            tables.Add(new ProcessFileEventsTable(Files, new OpenFiles(ProcOpenFiles.Instance), BootTimeUptime.Instance));
        }

        return tables;
    }

    /// <summary>
    /// The row builders for log files: every table, because the allow flags choose what to ask the kernel for and a
    /// log file already holds what it holds. The socket filters (unix, failed, accept) and the fork and kill flags still
    /// apply. The bpf tables are empty: a log file holds no BPF records. The process tree and the open descriptors
    /// are the logs' own, and executables are not hashed: /proc and the files are of another time, or another machine.
    /// process_file_events needs the config's file_paths, as live.
    /// </summary>
    public IReadOnlyList<IEventTable> LogFileTables()
    {
        var context = ProcessContext.ForLogFiles();
        return [ProcessEventsRows(context, Processes with { HashExecutables = false }), Redacted(new SocketEventsTable(Sockets, context)), new UserEventsTable(),
            new ProcessFileEventsTable(Files, new OpenFiles(null), BootTimeUptime.Instance),
            new NoEventRows(BpfProcessEventsTable.Schema), new NoEventRows(BpfSocketEventsTable.Schema)];
    }

    private IEventTable ProcessEventsRows(ProcessContext context, ProcessEventsOptions processes) =>
        Redacted(new ProcessEventsTable(processes, context));

    private IEventTable Redacted(IEventTable table) => Redaction is null ? table : new RedactingEventTable(table, Redaction);
}
