using System.Text;
using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Store;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class RedactionTests
{
    private const string Secret = "hunter2-s3cr3t";

    private static readonly string ExecWithSecret = string.Join('\n',
        "type=SYSCALL msg=audit(1795268023.232:888): arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid=8142 pid=8143 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=3 comm=\"mysql\" exe=\"/usr/bin/mysql\" key=\"fixture\"",
        $"type=EXECVE msg=audit(1795268023.232:888): argc=5 a0=\"mysql\" a1=\"-u\" a2=\"root\" a3=\"--password={Secret}\" a4=\"--token\"",
        "type=CWD msg=audit(1795268023.232:888): cwd=\"/root\"",
        "type=PATH msg=audit(1795268023.232:888): item=0 name=\"/usr/bin/mysql\" inode=1 dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 cap_frootid=0",
        "type=PROCTITLE msg=audit(1795268023.232:888): proctitle=6D7973716C",
        "");

    // A child of that mysql connecting: its row's parent_cmdline is mysql's command line.
    private static readonly string ChildConnect = string.Join('\n',
        "type=SYSCALL msg=audit(1795268024.232:889): arch=c000003e syscall=42 success=yes exit=0 a0=3 a1=7ffd a2=10 a3=0 items=0 ppid=8143 pid=8144 auid=1000 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ses=3 comm=\"curl\" exe=\"/usr/bin/curl\" key=\"fixture\"",
        "type=SOCKADDR msg=audit(1795268024.232:889): saddr=02000050C0A80001000000000000000000",
        "type=EOE msg=audit(1795268024.232:889): ",
        "");

    [Theory]
    [InlineData(new[] { @"--password[= ]\S+" }, "mysql -u root *** --token")]
    [InlineData(new[] { @"--password[= ](\S+)" }, "mysql -u root --password=*** --token")]
    [InlineData(new[] { @"(-u) (\S+)" }, "mysql *** *** --password=hunter2-s3cr3t --token")]
    [InlineData(new[] { @"--password=(\S+)", "-u (root)" }, "mysql -u *** --password=*** --token")]
    [InlineData(new[] { "nomatch" }, "mysql -u root --password=hunter2-s3cr3t --token")]
    public void Masks_exactly_what_the_patterns_match(string[] patterns, string expected)
    {
        var redaction = RedactionPatterns.Create(patterns)!;

        Assert.Equal(expected, redaction.Redact("mysql -u root --password=hunter2-s3cr3t --token"));
    }

    [Fact]
    public void Patterns_apply_to_every_match_in_order()
    {
        var redaction = RedactionPatterns.Create([@"key=(\w+)", @"\*\*\*,"])!;

        Assert.Equal("a key=*** b key=*** c", redaction.Redact("a key=one b key=two c"));
        Assert.Equal("***x", RedactionPatterns.Create([@"\*\*\*,"])!.Redact("***,x"));
    }

    [Fact]
    public void A_pattern_that_times_out_masks_the_whole_command_line()
    {
        var redaction = RedactionPatterns.Create([@"^(a+)+$"])!;

        Assert.Equal(RedactionPatterns.Mask, redaction.Redact(new string('a', 40) + "!"));
    }

    [Fact]
    public void Off_by_default()
    {
        var options = IngestOptions.FromFlags(FlagParser.ForVigil().Parse([]).Values);

        Assert.Null(options.Redaction);
        Assert.IsType<ProcessEventsTable>(options.KernelTables()[0]);
        Assert.Equal($"mysql -u root --password={Secret} --token", CommandLine(options));
    }

    [Fact]
    public void The_flag_redacts_process_events_cmdline_for_kernel_and_log_tables()
    {
        var options = IngestOptions.FromFlags(FlagParser.ForVigil().Parse(
            ["--audit_redact_patterns", @"--password[= ](\S+)", @"--audit_redact_patterns=(--token)", "--audit_allow_sockets=true"]).Values);

        Assert.Equal(
            ["process_events", "socket_events"],
            options.KernelTables().OfType<RedactingEventTable>().Select(table => table.Spec.Name));
        Assert.Equal("mysql -u root --password=*** ***", CommandLine(options));
    }

    [Fact]
    public void An_invalid_pattern_is_a_flag_error_naming_it()
    {
        var flags = FlagParser.ForVigil().Parse(["--audit_redact_patterns=ok", "--audit_redact_patterns=pass(word"]).Values;

        var error = Assert.Throws<FlagException>(() => IngestOptions.FromFlags(flags));

        Assert.StartsWith("invalid --audit_redact_patterns pattern 'pass(word': ", error.Message);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void The_store_file_never_holds_a_redacted_secret(bool redact)
    {
        using var directory = new TempDirectory();
        var log = directory.File("audit.log");
        File.WriteAllText(log, ExecWithSecret + ChildConnect);
        var database = directory.File("vigil.db");
        string[] args = redact ? [@"--audit_redact_patterns=--password=(\S+)"] : [];
        var options = IngestOptions.FromFlags(FlagParser.ForVigil().Parse(args).Values);
        using (var store = EventStore.OpenReadWrite(database, IngestOptions.EventTableSpecs))
        {
            LogFileLoader.Load([log], options, store.Writer);
            Assert.Equal(1, store.Count(ProcessEventsTable.Schema));
            Assert.Equal(1, store.Count(SocketEventsTable.Schema));
        }

        var bytes = Encoding.UTF8.GetString(File.ReadAllBytes(database));
        Assert.False(File.Exists(database + "-wal") && new FileInfo(database + "-wal").Length > 0);
        Assert.Equal(!redact, bytes.Contains(Secret, StringComparison.Ordinal));
        Assert.Equal(redact, bytes.Contains("--password=*** --token", StringComparison.Ordinal));
    }

    [Fact]
    public void Audit_debug_withholds_argument_records_when_redacting()
    {
        var printed = new StringWriter();
        var printer = new RecordPrinter(Replay.ToRows([], new RowCollector()), printed, withholdArguments: true);

        LogFileSource.Read(new MemoryStream(Encoding.UTF8.GetBytes(ExecWithSecret)), printer);

        var lines = printed.ToString().Split('\n');
        Assert.DoesNotContain(Secret, printed.ToString(), StringComparison.Ordinal);
        Assert.Equal("type=EXECVE msg=audit(1795268023.232:888): " + RecordPrinter.Withheld, lines[1]);
        Assert.Equal("type=PROCTITLE msg=audit(1795268023.232:888): " + RecordPrinter.Withheld, lines[4]);
        Assert.Equal("type=CWD msg=audit(1795268023.232:888): cwd=\"/root\"", lines[2]);
    }

    private static string CommandLine(IngestOptions options)
    {
        var collector = new RowCollector();
        var replay = Replay.ToRows(options.LogFileTables(), collector);
        LogFileSource.Read(new MemoryStream(Encoding.UTF8.GetBytes(ExecWithSecret)), replay);
        replay.Flush();
        var row = Assert.Single(collector.Rows);
        return row[ProcessEventsTable.Schema.IndexOf("cmdline")].Text!;
    }

    private sealed class RowCollector : IRowSink
    {
        public List<ColumnValue[]> Rows { get; } = [];

        public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
        {
            if (table.Name == "process_events")
            {
                Rows.Add(row.ToArray());
            }
        }
    }
}
