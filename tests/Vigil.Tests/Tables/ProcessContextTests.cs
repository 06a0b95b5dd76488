using System.Text;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>
/// The process tree behind the context columns: what it knows from the events, what it may read from (fake) /proc,
/// and what it must then refuse to say.
/// </summary>
public sealed class ProcessContextTests
{
    private const long Second = 1000;
    private const long Start = 1_800_000_000 * Second;

    private readonly FakeProcesses _proc = new();
    private long _now = Start;

    [Fact]
    public void A_recorded_scripts_children_have_it_as_parent_and_forks_and_kills_give_osquerys_rows()
    {
        var table = new ProcessEventsTable(new ProcessEventsOptions { AllowFork = true, AllowKill = true }, ProcessContext.ForLogFiles(), new FixedUptime(1), new FakeFileTimes(new() { ["/usr/bin/bash"] = (1, 2, 3) }));
        const string script = "/bin/bash /work/wt/i14-context/tests/Vigil.Tests/Fixtures/tables/workload/context.sh";
        const string python = "/usr/bin/python3 /work/wt/i14-context/tests/Vigil.Tests/Fixtures/tables/workload/context.py vigil-context-python";

        // A log cannot tell a clone3 thread from a clone3 process (its flags are behind a pointer): neither gives a row.
        // Rows without a PATH record have the executable's permissions (stat fails here for python3.11) as osquery's.
        Assert.Equal<IEnumerable<string>>(
            [
                $"execve|20221|20197|{script}|||0|0100755",
                $"clone|20222|20221|NULL|/usr/bin/bash|{script}|0|0755",
                $"execve|20222|20221|/bin/true vigil-context-child|/usr/bin/bash|{script}|0|0100755",
                $"clone|20223|20221|NULL|/usr/bin/bash|{script}|0|0755",
                $"kill|20221|20197|NULL|||NULL|0755",
                $"clone|20224|20221|NULL|/usr/bin/bash|{script}|0|0755",
                $"execve|20224|20221|dirname /work/wt/i14-context/tests/Vigil.Tests/Fixtures/tables/workload/context.sh|/usr/bin/bash|{script}|0|0100755",
                $"clone|20225|20221|NULL|/usr/bin/bash|{script}|0|0755",
                $"execve|20225|20221|{python}|/usr/bin/bash|{script}|0|0100755",
                $"clone|20230|20225|NULL|/usr/bin/python3.11|{python}|0|NULL",
                $"execve|20231|20225|/bin/true vigil-context-spawn|/usr/bin/python3.11|{python}|0|0100755",
            ],
            TableFixture.Rows(table, "context.log").Select(row => row.Values("syscall", "pid", "parent", "cmdline", "parent_path", "parent_cmdline", "owner_uid", "mode")));
    }

    [Fact]
    public void Without_the_flags_forks_and_kills_give_no_rows_but_still_teach_the_tree()
    {
        var rows = TableFixture.Rows(new ProcessEventsTable(new FixedUptime(1), new FakeFileTimes([])), "context.log");

        Assert.All(rows, row => Assert.StartsWith("execve", row.Text("syscall"), StringComparison.Ordinal));
        Assert.Equal(5, rows.Count);
    }

    [Fact]
    public void A_socket_events_table_alone_learns_the_parents_from_the_execs()
    {
        var row = Assert.Single(TableFixture.Rows(new SocketEventsTable(new SocketEventsOptions()), "context.log"));

        Assert.Equal(
            "connect|20225|/usr/bin/bash|/bin/bash /work/wt/i14-context/tests/Vigil.Tests/Fixtures/tables/workload/context.sh|4294967295|(none)||",
            row.Values("action", "pid", "parent_path", "parent_cmdline", "session_id", "tty", "cgroup", "container_id"));
    }

    [Fact]
    public void A_live_parent_not_seen_is_read_from_proc_only_when_it_started_before_the_event()
    {
        _proc.Add(100, Start - Second, "/usr/sbin/sshd", "sshd: /usr/sbin/sshd -D");
        _proc.Add(200, Start + (10 * Second), "/usr/bin/late", "late");
        var table = LiveTable(out _);

        var rows = TableFixture.RowsOfText(table, Exec(Start + (5 * Second), 1, 101, 100, "/usr/bin/id", "id") + Exec(Start + (5 * Second), 2, 201, 200, "/usr/bin/id", "id"));

        Assert.Equal(["101|/usr/sbin/sshd|sshd: /usr/sbin/sshd -D|7|pts1", "201|||7|pts1"], rows.Select(row => row.Values("pid", "parent_path", "parent_cmdline", "session_id", "tty")));
    }

    [Fact]
    public void A_pid_another_process_took_is_forgotten_at_the_next_sweep()
    {
        var table = LiveTable(out _);
        _proc.Add(300, Start, "/usr/bin/old", "old");
        TableFixture.RowsOfText(table, Exec(Start, 1, 300, 1, "/usr/bin/old", "old"));

        _proc.Add(300, Start + (3 * Second), "/usr/bin/new", "new");
        _now += 5 * Second;
        var row = Assert.Single(TableFixture.RowsOfText(table, Exec(Start + (4 * Second), 2, 301, 300, "/usr/bin/id", "id")));

        Assert.Equal("/usr/bin/new|new", row.Values("parent_path", "parent_cmdline"));
    }

    [Fact]
    public void A_parent_that_exited_is_kept_until_the_events_pass_the_time_it_was_found_gone()
    {
        var table = LiveTable(out var context);
        TableFixture.RowsOfText(table, Exec(Start, 1, 400, 1, "/usr/bin/parent", "parent"));
        _now += 3 * Second;
        TableFixture.RowsOfText(table, Exec(Start + 1, 2, 1, 0, "/sbin/init", "init"));
        _now += 3 * Second;

        var late = Assert.Single(TableFixture.RowsOfText(table, Exec(Start + Second, 3, 401, 400, "/usr/bin/id", "id")));
        _now += 3 * Second;
        var after = Assert.Single(TableFixture.RowsOfText(table, Exec(_now, 4, 402, 400, "/usr/bin/id", "id")));

        Assert.Equal("/usr/bin/parent", late.Text("parent_path"));
        Assert.Equal("", after.Text("parent_path"));
        Assert.True(context.Count <= 3, $"{context.Count} processes remembered");
    }

    [Fact]
    public void A_processs_cgroup_is_read_once_and_names_its_container()
    {
        const string id = "2926429dce9b4c424ea91c5dcfbb113669f1496a3971749bbf4d62efd4be216f";
        _proc.Add(500, Start, "/bin/sh", "sh", $"0::/system.slice/docker-{id}.scope\n");
        var table = LiveTable(out _);

        var rows = TableFixture.RowsOfText(table, Exec(Start, 1, 500, 1, "/bin/sh", "sh") + Exec(Start + 1, 2, 500, 1, "/usr/bin/id", "id"));

        Assert.Equal([$"/system.slice/docker-{id}.scope|{id}", $"/system.slice/docker-{id}.scope|{id}"], rows.Select(row => row.Values("cgroup", "container_id")));
        Assert.Equal(1, _proc.CgroupReads);
    }

    [Fact]
    public void The_cgroup_of_an_old_event_is_read_only_when_its_pid_is_still_its_process()
    {
        _proc.Add(800, Start + (5 * Second), "/usr/bin/later", "later", "0::/later\n");
        _now = Start + (10 * Second);
        var table = LiveTable(out _);

        var row = Assert.Single(TableFixture.RowsOfText(table, Exec(Start, 1, 800, 1, "/usr/bin/id", "id")));

        Assert.Equal("|", row.Values("cgroup", "container_id"));
    }

    [Fact]
    public void A_live_clone3_gives_a_row_for_a_new_process_and_none_for_a_thread()
    {
        _proc.Add(600, Start, "/usr/bin/python3.11", "python3");
        _proc.Add(601, Start, "/usr/bin/python3.11", "python3");
        _proc.Threads.Add((600, 601));
        _proc.Add(602, Start, "/usr/bin/python3.11", "python3");
        var table = LiveTable(out _);

        var rows = TableFixture.RowsOfText(table, Clone3(Start, 1, 600, 601) + Clone3(Start, 2, 600, 602));

        Assert.Equal(["clone3|602|600|/usr/bin/python3.11"], rows.Select(row => row.Values("syscall", "pid", "parent", "parent_path")));
    }

    [Fact]
    public void The_tree_stays_within_its_bound()
    {
        var context = ProcessContext.ForLogFiles();
        var log = new StringBuilder();
        for (var pid = 1; pid <= ProcessContext.MaxProcesses + 10; pid++)
        {
            log.Append(Exec(Start + pid, (uint)pid, 100_000 + pid, 1, "/usr/bin/id", "id"));
        }

        TableFixture.RowsOfText(new ProcessEventsTable(new ProcessEventsOptions(), context, new FixedUptime(1), new FakeFileTimes([])), log.ToString());

        Assert.InRange(context.Count, 1, ProcessContext.MaxProcesses);
    }

    [Fact]
    public void A_redacted_command_line_is_redacted_as_a_parents_too()
    {
        var table = new RedactingEventTable(new ProcessEventsTable(new FixedUptime(1), new FakeFileTimes([])), RedactionPatterns.Create([@"--password=(\S+)"])!);

        var rows = TableFixture.RowsOfText(table, Exec(Start, 1, 700, 1, "/usr/bin/mysql", "mysql --password=hunter2") + Exec(Start, 2, 701, 700, "/usr/bin/id", "id"));

        Assert.Equal("mysql --password=***", rows[1].Text("parent_cmdline"));
    }

    private ProcessEventsTable LiveTable(out ProcessContext context)
    {
        context = new ProcessContext(_proc, () => _now);
        return new ProcessEventsTable(new ProcessEventsOptions { AllowFork = true }, context, new FixedUptime(1), new FakeFileTimes([]));
    }

    private static string Header(long milliseconds, uint serial) => $"msg=audit({milliseconds / Second}.{milliseconds % Second:000}:{serial}):";

    private static string Exec(long milliseconds, uint serial, int pid, int ppid, string exe, string commandLine) =>
        $"type=SYSCALL {Header(milliseconds, serial)} arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid={ppid} pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=7 comm=\"x\" exe=\"{exe}\" key=\"k\"\n"
        + $"type=EXECVE {Header(milliseconds, serial)} argc=1 a0={Convert.ToHexString(Encoding.UTF8.GetBytes(commandLine))}\n";

    private static string Clone3(long milliseconds, uint serial, int pid, int child) =>
        $"type=SYSCALL {Header(milliseconds, serial)} arch=c000003e syscall=435 success=yes exit={child} a0=7ffc67809e10 a1=58 a2=0 a3=0 items=0 ppid=1 pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts1 ses=7 comm=\"python3\" exe=\"/usr/bin/python3.11\" key=\"k\"\n";

    private sealed class FakeProcesses : IProcessSource
    {
        private readonly Dictionary<int, (long Start, string Path, string CommandLine, string Cgroup)> _alive = [];

        public HashSet<(int Pid, int Task)> Threads { get; } = [];

        public int CgroupReads { get; private set; }

        public void Add(int pid, long start, string path, string commandLine, string cgroup = "0::/\n") =>
            _alive[pid] = (start, path, commandLine, cgroup);

        public IEnumerable<int> Pids() => _alive.Keys;

        public bool TryGetStart(int pid, out long startMilliseconds)
        {
            var alive = _alive.TryGetValue(pid, out var process);
            startMilliseconds = process.Start;
            return alive;
        }

        public bool TryGetImage(int pid, out string path, out string commandLine)
        {
            var alive = _alive.TryGetValue(pid, out var process);
            (path, commandLine) = alive ? (process.Path, process.CommandLine) : ("", "");
            return alive;
        }

        public string? ReadCgroup(int pid)
        {
            CgroupReads++;
            return _alive.TryGetValue(pid, out var process) ? process.Cgroup : null;
        }

        public bool IsThreadOf(int pid, int task) => Threads.Contains((pid, task));
    }
}
