using System.Globalization;
using System.Text.RegularExpressions;
using Vigil.Pipeline;
using Vigil.Store;
using Vigil.Tables;
using Vigil.Tests.Cli;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon</c>, the built executable, started on a damaged database: it recovers and runs, or leaves a file that is not its own alone.</summary>
public sealed partial class DaemonDamagedDatabaseTests
{
    private const int Rows = 3000;

    [Fact]
    public void DamagedDatabase_IsMovedAside_TheReadableEventsAreQueryable_AndTheDaemonRuns()
    {
        using var harness = new DaemonHarness("""{"schedule": {"procs": {"query": "SELECT count(*) FROM process_events", "interval": 3600}}}""") { Audit = false };
        Fill(harness.DatabasePath);
        DamagedStoreTests.Overwrite(harness.DatabasePath, firstPage: 30, pages: 3);

        var daemon = harness.Start();

        var line = Assert.Single(File.ReadAllLines(harness.InfoLog), l => l.Contains("was damaged", StringComparison.Ordinal));
        var match = RecoveredLine().Match(line);
        Assert.True(match.Success, line);
        Assert.Equal(harness.DatabasePath, match.Groups["path"].Value);
        Assert.True(File.Exists(match.Groups["aside"].Value));
        var events = long.Parse(match.Groups["events"].Value, CultureInfo.InvariantCulture);
        Assert.InRange(events, Rows - (3 * DamagedStoreTests.PageSize / 64), Rows - 1);
        Assert.Equal((0, $"n\n{events}\n", ""), VigilProcess.Run("", "shell", $"--database_path={harness.DatabasePath}", "--csv", "SELECT count(*) AS n FROM process_events WHERE cmdline LIKE '/bin/recovered %'"));
        DaemonHarness.Stop(daemon);
    }

    // What a crash while the file was being created leaves: SQLite makes an empty file a new database.
    [Fact]
    public void EmptyFile_BecomesTheDatabase_WithoutARecovery()
    {
        using var harness = new DaemonHarness("{}") { Audit = false };
        Directory.CreateDirectory(Path.GetDirectoryName(harness.DatabasePath)!);
        File.WriteAllBytes(harness.DatabasePath, []);

        DaemonHarness.Stop(harness.Start());

        Assert.Equal(0, harness.InfoLines("was damaged"));
        Assert.Equal((0, "n\n0\n", ""), VigilProcess.Run("", "shell", $"--database_path={harness.DatabasePath}", "--csv", "SELECT count(*) AS n FROM process_events"));
        Assert.Empty(Directory.GetFiles(Path.GetDirectoryName(harness.DatabasePath)!, "*damaged*"));
    }

    [Fact]
    public void DamagedFile_ThatIsNotVigils_IsLeftAsItIs_WithOneClearLine()
    {
        using var harness = new DaemonHarness("{}") { Audit = false };
        Directory.CreateDirectory(Path.GetDirectoryName(harness.DatabasePath)!);
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={harness.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "CREATE TABLE notes(id INTEGER PRIMARY KEY, text TEXT); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000) INSERT INTO notes SELECT i, printf('note %d of many', i) FROM n";
            command.ExecuteNonQuery();
        }

        DamagedStoreTests.Overwrite(harness.DatabasePath, firstPage: 20, pages: 2);
        var bytes = File.ReadAllBytes(harness.DatabasePath);

        var (code, output, errors) = VigilProcess.Run("", "daemon", $"--config_path={harness.ConfigPath}", $"--database_path={harness.DatabasePath}",
            $"--logger_path={harness.LogPath}", "--disable_audit=true");

        Assert.Equal((1, ""), (code, output));
        var last = errors.TrimEnd('\n').Split('\n')[^1];
        Assert.StartsWith($"vigil: cannot open --database_path={harness.DatabasePath}: {harness.DatabasePath} is damaged (", last);
        Assert.EndsWith(") and is not a Vigil database (it has no vigil_meta table); it is left as it is", last);
        Assert.Equal(bytes, File.ReadAllBytes(harness.DatabasePath));
        Assert.Single(Directory.GetFiles(Path.GetDirectoryName(harness.DatabasePath)!));
    }

    private static void Fill(string path)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var spec = ProcessEventsTable.Schema;
        // Recent events: the daemon expires those older than --events_expiry.
        var start = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - Rows;
        using var store = EventStore.OpenReadWrite(path, IngestOptions.EventTableSpecs);
        for (var i = 1; i <= Rows; i++)
        {
            var row = new ColumnValue[spec.Columns.Count];
            Array.Fill(row, ColumnValue.Null);
            row[spec.IndexOf("pid")] = ColumnValue.Of(10_000 + i);
            row[spec.IndexOf("path")] = ColumnValue.Of("/bin/recovered");
            row[spec.IndexOf("cmdline")] = ColumnValue.Of($"/bin/recovered {i:D5}");
            row[spec.IndexOf("time")] = ColumnValue.Of(start + i);
            store.Writer.Append(spec, row);
        }

        store.Writer.Commit();
    }

    [GeneratedRegex(@"The database (?<path>\S+) was damaged \(.*\); it is kept as (?<aside>\S+\.damaged-\d{8}T\d{6}Z), and (?<events>\d+) events, 0 unsent result lines and the schedule's state were recovered into a new database$")]
    private static partial Regex RecoveredLine();
}
