using System.Globalization;
using System.Text;
using Vigil.Pipeline;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>
/// <c>process-tree-memory COUNT</c>: the managed memory the process tree holds after COUNT distinct processes each
/// exec once, for the bound in bench/RESULTS.md. The execs are read from a written audit log, so the tree learns no
/// exit and no /proc: its worst case, where only its own bounds (<see cref="ProcessContext.MaxProcesses"/>,
/// <see cref="ProcessContext.MaxTextChars"/>) keep it from growing. Each exec has a 40-character path and an
/// 80-character command line, longer than most.
/// </summary>
internal static class ProcessTreeMemory
{
    public static int Run(int count)
    {
        var log = Path.GetTempFileName();
        try
        {
            WriteLog(log, count);
            var before = GC.GetTotalMemory(forceFullCollection: true);
            var context = ProcessContext.ForLogFiles();
            var replay = Replay.ToRows([new ProcessEventsTable(new ProcessEventsOptions(), context)], new NoRows());
            var report = new StringBuilder();
            for (var part = 0; part < 10; part++)
            {
                replay.ReadLogFiles([PartOf(log, part)]);
                var held = GC.GetTotalMemory(forceFullCollection: true) - before;
                report.Append(CultureInfo.InvariantCulture, $"| {(part + 1) * (count / 10)} | {context.Count} | {held / 1048576.0:F1} |\n");
            }

            Console.Write("| Processes exec'd | Processes in the tree | Managed memory held (MB) |\n|---:|---:|---:|\n" + report);
            GC.KeepAlive(context);
            return 0;
        }
        finally
        {
            File.Delete(log);
            for (var part = 0; part < 10; part++)
            {
                File.Delete(PartOf(log, part));
            }
        }
    }

    private static string PartOf(string log, int part) => $"{log}.{part}";

    // Ten files of a tenth of the execs each, pids from 100,000 up, so that the tree is measured after each tenth.
    private static void WriteLog(string log, int count)
    {
        for (var part = 0; part < 10; part++)
        {
            using var output = new StreamWriter(PartOf(log, part));
            for (var i = part * (count / 10); i < (part + 1) * (count / 10); i++)
            {
                var pid = 100_000 + i;
                var header = $"msg=audit(1795268023.{i % 1000:000}:{i + 1})";
                var tool = $"/usr/lib/vigil-bench/tools/tool-{i:0000000}";
                output.Write($"type=SYSCALL {header}: arch=c000003e syscall=59 success=yes exit=0 a0=1 a1=2 a2=3 a3=4 items=1 ppid={pid - 1} pid={pid} auid=1000 uid=1000 gid=1000 euid=1000 suid=1000 fsuid=1000 egid=1000 sgid=1000 fsgid=1000 tty=pts0 ses=3 comm=\"tool\" exe=\"{tool}\" key=\"bench\"\n");
                output.Write($"type=EXECVE {header}: argc=4 a0=\"{tool}\" a1=\"--run\" a2=\"job-{i:0000000}\" a3=\"--output=/var/tmp/out\"\n");
                output.Write($"type=CWD {header}: cwd=\"/\"\n");
                output.Write($"type=PATH {header}: item=0 name=\"{tool}\" inode={i + 1} dev=fe:00 mode=0100755 ouid=0 ogid=0 rdev=00:00 nametype=NORMAL\n");
                output.Write($"type=EOE {header}: \n");
            }
        }
    }

    private sealed class NoRows : IRowSink
    {
        public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
        {
        }
    }
}
