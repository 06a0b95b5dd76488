using System.Diagnostics;
using Vigil.Cli.Top;
using Vigil.Cli;
using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Store;
using Xunit;

namespace Vigil.Tests.Cli.Top;

public sealed class TopTests
{
    // Recorded by Fixtures/top/record-top.sh: auditd with execve/connect/bind rules over 30 true, 12 echo, 4+1 sleep,
    // one python3.11 doing 25 connects and 3 binds, and auditctl's own CONFIG_CHANGE events at the end.
    private static readonly string Log = Path.Combine(AppContext.BaseDirectory, "Fixtures", "top", "top.log");

    private static (int Code, string Out, string Err) Run(TimeProvider time, params string[] args)
    {
        var output = new StringWriter();
        var errors = new StringWriter();
        var console = new CliConsole(new StringReader(""), output, errors, false, static () => throw new InvalidOperationException("no terminal"));
        var code = new VigilCli([new TopCommand(time)]).Run(args, console);
        return (code, output.ToString(), errors.ToString());
    }

    [Fact]
    public void A_log_is_ranked_by_events_per_exe_and_syscall()
    {
        Assert.Equal(
            [
                new TopEntry(30, "execve", "/usr/bin/true"),
                new TopEntry(25, "connect", "/usr/bin/python3.11"),
                new TopEntry(12, "execve", "/usr/bin/echo"),
                new TopEntry(5, "execve", "/usr/bin/sleep"),
                new TopEntry(3, "bind", "/usr/bin/python3.11"),
                new TopEntry(3, "execve", "/usr/bin/seq"),
                new TopEntry(3, "sendto", "/usr/sbin/auditctl"),
                new TopEntry(1, "execve", "/usr/bin/python3.11"),
                new TopEntry(1, "execve", "/usr/sbin/auditctl"),
                new TopEntry(1, "sendto", "/usr/sbin/auditd"),
            ],
            SyscallTally.FromLogFiles([Log]).Ranked());
    }

    [Fact]
    public void The_command_prints_the_top_pairs_and_the_exclusions_to_paste()
    {
        var (code, output, errors) = Run(TimeProvider.System, "top", $"--audit_log_file={Log}", "--top_limit=3");

        Assert.Equal("", errors);
        Assert.Equal(0, code);
        Assert.Equal(
            """
            count  syscall  exe
               30  execve   /usr/bin/true
               25  connect  /usr/bin/python3.11
               12  execve   /usr/bin/echo

            To stop auditing the top ones, add to the config's "audit": {"exclude": [...]}:
              {"exe": "/usr/bin/true", "syscalls": ["execve"]}
              {"exe": "/usr/bin/python3.11", "syscalls": ["connect"]}
              {"exe": "/usr/bin/echo", "syscalls": ["execve"]}

            """,
            output);
    }

    // apple.bsm shows no exec, so its processes have no path and nothing is suggested.
    [Fact]
    public void A_bsm_trail_is_ranked_by_event_without_suggestions_for_unknown_paths()
    {
        var trail = Path.Combine(AppContext.BaseDirectory, "Fixtures", "bsm", "apple.bsm");

        var (code, output, errors) = Run(TimeProvider.System, "top", $"--audit_log_file={trail}", "--top_limit=3");

        Assert.Equal((0, ""), (code, errors));
        Assert.Equal(
            "count  syscall            exe\n" +
            "   20  AUE_ssauthorize    \n" +
            "   14  AUE_ssauthmech     \n" +
            "    7  AUE_SESSION_START  \n",
            output);
    }

    [Fact]
    public void Without_a_source_the_command_says_what_it_needs()
    {
        Assert.Equal((1, "", "vigil: top needs --audit_log_file=PATH or --database_path=PATH\n"), Run(TimeProvider.System, "top"));
    }

    [Fact]
    public void A_store_is_counted_by_path_and_syscall_or_action_within_the_window()
    {
        var db = Path.Combine(Path.GetTempPath(), $"vigil-top-{Guid.NewGuid():N}.db");
        try
        {
            using (var store = EventStore.OpenReadWrite(db, IngestOptions.EventTableSpecs))
            {
                LogFileLoader.Load([Log], IngestOptions.FromFlags(FlagValues.Defaults), store.Writer);
            }

            var ranked = SyscallTally.FromStore(db, 0).Ranked();

            Assert.Equal(new TopEntry(30, "execve", "/usr/bin/true"), ranked[0]);
            Assert.Equal(new TopEntry(25, "connect", "/usr/bin/python3.11"), ranked[1]);
            Assert.Contains(new TopEntry(3, "bind", "/usr/bin/python3.11"), ranked);
            Assert.DoesNotContain(ranked, e => e.Syscall == "sendto");
            var (_, output, _) = Run(new FixedTime(DateTimeOffset.UtcNow.AddYears(1)), "top", $"--database_path={db}", "--top_window=60");
            Assert.Equal("count  syscall  exe\n(no syscall events)\n", output);
        }
        finally
        {
            File.Delete(db);
        }
    }

    // aureport -x --summary counts every event that has an exe field, whatever its type. In this log every such event
    // has a SYSCALL record (auditctl's and auditd's CONFIG_CHANGE and DAEMON events come with their sendto SYSCALL),
    // so Vigil's per-exe total over all syscalls is compared with aureport's count for each executable it lists.
    [Fact]
    public void Per_exe_totals_agree_with_aureport_executable_summary()
    {
        if (!File.Exists("/usr/sbin/aureport") && !File.Exists("/sbin/aureport"))
        {
            Assert.NotEqual("true", Environment.GetEnvironmentVariable("CI"));
            return;
        }

        using var aureport = Process.Start(new ProcessStartInfo("aureport", ["-if", Log, "-x", "--summary"]) { RedirectStandardOutput = true })!;
        var report = aureport.StandardOutput.ReadToEnd();
        aureport.WaitForExit();
        var expected = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var line in report.Split('\n'))
        {
            var parts = line.Split(' ', 2, StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[0], out var count))
            {
                expected[parts[1]] = count;
            }
        }

        Assert.Equal(7, expected.Count);
        Assert.Equal(30, expected["/usr/bin/true"]);
        Assert.Equal(expected.OrderBy(p => p.Key, StringComparer.Ordinal), SyscallTally.FromLogFiles([Log]).ExeTotals().OrderBy(p => p.Key, StringComparer.Ordinal));
    }

    private sealed class FixedTime(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
