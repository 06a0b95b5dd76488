using Vigil.Flags;
using Vigil.Netlink;

namespace Vigil.Tables;

/// <summary>
/// The live tables of one running Vigil, the same for the shell, the daemon and the daemon's config check: the host's
/// (processes, os_version, system_info, interfaces, routes, users, mounts, ...), audit_status, and the tables about
/// Vigil itself, whose state (config, schedule, collection counters) their owner sets as it changes.
/// </summary>
public sealed class HostTables
{
    /// <summary>The logger plugins Vigil has, as osquery_registry lists them.</summary>
    private static readonly string[] LoggerPlugins = ["filesystem", "stdout"];

    /// <summary>Builds the tables of a process run with <paramref name="flags"/>, beside the store's <paramref name="eventTables"/>.</summary>
    /// <param name="flags">The flags the process runs with (osquery_flags, and the active logger plugins).</param>
    /// <param name="eventTables">The event tables the engine registers too, which osquery_registry lists.</param>
    /// <param name="readKernel">How audit_status reads the kernel's status (<see cref="AuditClient.ReadStatus"/> on a host).</param>
    /// <param name="instanceId">osquery_info's instance_id: a daemon's is kept in its store, a shell's is its own.</param>
    public HostTables(FlagValues flags, IReadOnlyList<TableSpec> eventTables, Func<AuditStatus> readKernel, string instanceId)
    {
        AuditStatus = new AuditStatusTable(readKernel);
        BpfStatus = new BpfStatusTable();
        Info = new OsqueryInfoTable(instanceId);
        Schedule = new OsqueryScheduleTable();
        var loggers = flags.Get(VigilFlags.LoggerPlugin).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        ILiveTable[] tables =
        [
            new ProcessesTable(),
            AuditStatus,
            BpfStatus,
            new OsVersionTable(),
            Info,
            new SystemInfoTable(),
            new PlatformInfoTable(),
            new OsqueryFlagsTable(VigilFlags.All, flags),
            Schedule,
            new OsqueryRegistryTable(() => Plugins(eventTables, loggers)),
            new UptimeTable(),
            new InterfaceAddressesTable(),
            new InterfaceDetailsTable(),
            new RoutesTable(),
            new UsersTable(),
            new GroupsTable(),
            new LoggedInUsersTable(),
            new MountsTable(),
            new KernelInfoTable(),
            new TimeTable(),
            new ListeningPortsTable(),
        ];
        All = tables;
    }

    /// <summary>Every live table, to register on an SQL engine.</summary>
    public IReadOnlyList<ILiveTable> All { get; }

    /// <summary>audit_status, whose collection counters are set once a collector runs.</summary>
    public AuditStatusTable AuditStatus { get; }

    /// <summary>bpf_status, whose counters are set once the BPF collector runs.</summary>
    public BpfStatusTable BpfStatus { get; }

    /// <summary>osquery_info, whose config hash is set as a config is loaded.</summary>
    public OsqueryInfoTable Info { get; }

    /// <summary>osquery_schedule, whose scheduler is set by a daemon.</summary>
    public OsqueryScheduleTable Schedule { get; }

    private IEnumerable<RegistryPlugin> Plugins(IReadOnlyList<TableSpec> eventTables, string[] loggers)
    {
        yield return new RegistryPlugin("config", "filesystem", Internal: false, Active: true);
        foreach (var logger in LoggerPlugins)
        {
            yield return new RegistryPlugin("logger", logger, Internal: false, Active: Array.IndexOf(loggers, logger) >= 0);
        }

        foreach (var spec in eventTables)
        {
            yield return new RegistryPlugin("table", spec.Name, spec.Utility, Active: true);
        }

        foreach (var table in All)
        {
            yield return new RegistryPlugin("table", table.Spec.Name, table.Spec.Utility, Active: true);
        }
    }
}
