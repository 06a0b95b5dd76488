using System.Diagnostics;
using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>osquery_info</c> (osquery/tables/utility/osquery.cpp genOsqueryInfo), answered by Vigil about itself:
/// its version, process and start time, the hash of the config it runs, no extensions ("inactive", as osquery says
/// when none is connected), no watcher process (-1) and the Linux platform mask (POSIX | LINUX).
/// </summary>
public sealed class OsqueryInfoTable : ILiveTable
{
    /// <summary>osquery's kPlatformType on Linux: TYPE_POSIX (0x01) | TYPE_LINUX (0x08).</summary>
    public const int LinuxPlatformMask = 9;

    private static readonly TableColumns Columns = new();

    private static readonly int Pid = Columns.Add("pid", ColumnType.Integer, "Process (or thread/handle) ID");
    private static readonly int Uuid = Columns.Add("uuid", ColumnType.Text, "Unique ID provided by the system");
    private static readonly int InstanceId = Columns.Add("instance_id", ColumnType.Text, "Unique, long-lived ID per instance of osquery");
    private static readonly int ToolkitVersion = Columns.Add("version", ColumnType.Text, "osquery toolkit version");
    private static readonly int ConfigHash = Columns.Add("config_hash", ColumnType.Text, "Hash of the working configuration state");
    private static readonly int ConfigValid = Columns.Add("config_valid", ColumnType.Integer, "1 if the config was loaded and considered valid, else 0");
    private static readonly int Extensions = Columns.Add("extensions", ColumnType.Text, "osquery extensions status");
    private static readonly int BuildPlatform = Columns.Add("build_platform", ColumnType.Text, "osquery toolkit build platform");
    private static readonly int BuildDistro = Columns.Add("build_distro", ColumnType.Text, "osquery toolkit platform distribution name (os version)");
    private static readonly int StartTime = Columns.Add("start_time", ColumnType.Integer, "UNIX time in seconds when the process started");
    private static readonly int Watcher = Columns.Add("watcher", ColumnType.Integer, "Process (or thread/handle) ID of optional watcher process");
    private static readonly int PlatformMask = Columns.Add("platform_mask", ColumnType.Integer, "The osquery platform bitmask");

    /// <summary>specs/utility/osquery_info.table.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("osquery_info", "Top level information about the running version of osquery.", isEventTable: false, utility: true);

    private readonly string _instanceId;
    private volatile ConfigState _config = new(string.Empty, false);

    /// <summary>A table for the Vigil process whose instance is <paramref name="instanceId"/>.</summary>
    public OsqueryInfoTable(string instanceId)
    {
        _instanceId = instanceId;
    }

    /// <summary>Vigil's version as <c>vigil --version</c> prints it (Directory.Build.props' Version, or package.sh's).</summary>
    public static string Version => BuildVersion.Value;

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <summary>
    /// Records the config now running: <paramref name="hash"/> is osquery's config hash of it (see the schedule's
    /// config loader); an invalid config reports no hash, as osquery's genHash refuses one.
    /// </summary>
    public void SetConfig(string hash, bool valid) => _config = new ConfigState(valid ? hash : string.Empty, valid);

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var config = _config;
        var row = new ColumnValue[Schema.Columns.Count];
        row[Pid] = ColumnValue.Of(Environment.ProcessId);
        row[Uuid] = ColumnValue.Of(HostUuid.Read() ?? string.Empty);
        row[InstanceId] = ColumnValue.Of(_instanceId);
        row[ToolkitVersion] = ColumnValue.Of(Version);
        row[ConfigHash] = ColumnValue.Of(config.Hash);
        row[ConfigValid] = ColumnValue.Of(config.Valid ? 1 : 0);
        row[Extensions] = ColumnValue.Of("inactive");
        row[BuildPlatform] = ColumnValue.Of("linux");
        row[BuildDistro] = ColumnValue.Of(RuntimeInformation.RuntimeIdentifier);
        row[StartTime] = ColumnValue.Of(ProcessStart.Time);
        row[Watcher] = ColumnValue.Of(-1);
        row[PlatformMask] = ColumnValue.Of(LinuxPlatformMask);
        return [row];
    }

    private sealed record ConfigState(string Hash, bool Valid);

    // Read at the first query of the table, not when the shell registers it: reading /proc/self/stat through Process
    // was a hundredth of every `vigil shell` start.
    private static class ProcessStart
    {
        public static readonly long Time = StartTimeOfThisProcess();

        private static long StartTimeOfThisProcess()
        {
            using var self = Process.GetCurrentProcess();
            return new DateTimeOffset(self.StartTime).ToUnixTimeSeconds();
        }
    }
}
