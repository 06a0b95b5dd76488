using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Logging;
using Vigil.Pipeline;
using Vigil.Schedule;
using Vigil.Store;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// A temporary directory for a <see cref="VigilDaemon"/> started in the test process with audit off and driven tick by
/// tick: its store, config path and logs, and rows put in the store beforehand.
/// </summary>
internal sealed class TickedDaemonDirectory : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-ticked-").FullName;

    public string DatabasePath => Path.Combine(_dir, "db", "vigil.db");

    public string LogPath => Path.Combine(_dir, "log");

    public static VigilDaemon Start(DaemonSettings settings, IStatusLog status, string config = """{"schedule": {}}""")
    {
        var check = ConfigLoader.Parse(config, settings.ConfigPath, null);
        Assert.True(check.Ok);
        return VigilDaemon.Start(settings, check.Config!, _ => check, status);
    }

    public DaemonSettings Settings(params string[] flags)
    {
        string[] args = [$"--database_path={DatabasePath}", $"--config_path={Path.Combine(_dir, "vigil.conf")}", $"--logger_path={LogPath}", "--disable_audit=true", .. flags];
        return DaemonSettings.FromFlags(FlagParser.ForVigil().Parse(args).Values);
    }

    public GlogStatusLog StatusLog() => new(new FilesystemLoggerOptions { LoggerPath = LogPath });

    /// <summary>Commits rows with only <c>path</c> and <c>time</c> set to <paramref name="table"/>.</summary>
    public void Store(TableSpec table, params (string Path, long Time)[] rows)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using var store = EventStore.OpenReadWrite(DatabasePath, IngestOptions.EventTableSpecs);
        foreach (var (path, time) in rows)
        {
            var row = new ColumnValue[table.Columns.Count];
            Array.Fill(row, ColumnValue.Null);
            row[table.IndexOf("time")] = ColumnValue.Of(time);
            row[table.IndexOf("path")] = ColumnValue.Of(path);
            store.Writer.Append(table, row);
        }

        store.Writer.Commit();
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
