using System.Diagnostics;
using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Sql;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// Fixtures/tables/workload/fim.py, which the kernel tests run live and fim.log recorded under auditd: its watched
/// and unwatched directories, its config, and the rows it must give.
/// </summary>
internal static class FimWorkload
{
    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tables", "workload", "fim.py");

    /// <summary>The watched directory W and the unwatched U under <paramref name="root"/>, holding what they hold before the workload runs.</summary>
    public static (string Watched, string Unwatched) Prepare(string root)
    {
        var (watched, unwatched) = (Path.Combine(root, "w"), Path.Combine(root, "u"));
        Directory.CreateDirectory(Path.Combine(watched, "skip"));
        Directory.CreateDirectory(unwatched);
        File.WriteAllText(Path.Combine(watched, "existing.txt"), "x");
        File.WriteAllText(Path.Combine(unwatched, "in.txt"), "x");
        return (watched, unwatched);
    }

    /// <summary>file_paths watching all of W, exclude_paths taking out W/skip.</summary>
    public static FilePatterns Patterns(string watched) =>
        FilePatterns.Parse($$"""{"fim": ["{{watched}}/%%"]}""", $$"""{"fim": ["{{watched}}/skip/%%"]}""");

    /// <summary>
    /// operation, path, dest_path and whether the forked child made it, for each row in order, with descriptor
    /// events and directories shown.
    /// </summary>
    public static List<(string Operation, string Path, string DestPath, bool Child)> Rows(string w, string u) =>
    [
        ("open", $"{w}/new.txt", "", false),
        ("write", $"{w}/new.txt", "", false),
        ("close", $"{w}/new.txt", "", false),
        ("open", $"{w}/existing.txt", "", false),
        ("write", $"{w}/existing.txt", "", false),
        ("close", $"{w}/existing.txt", "", false),
        ("truncate", $"{w}/new.txt", "", false),
        ("close", $"{w}/new.txt", "", false),
        ("truncate", $"{w}/existing.txt", "", false),
        ("rename", $"{u}/in.txt", $"{w}/in.txt", false),
        ("rename", $"{w}/in.txt", $"{u}/out.txt", false),
        ("link", $"{w}/new.txt", $"{w}/hard.txt", false),
        ("symlink", $"{w}/new.txt", $"{w}/sym", false),
        ("unlink", $"{w}/hard.txt", "", false),
        ("mkdir", $"{w}/late", "", false),
        ("open", $"{w}/late/file.txt", "", false),
        ("write", $"{w}/late/file.txt", "", false),
        ("close", $"{w}/late/file.txt", "", false),
        ("open", $"{w}/doomed.txt", "", false),
        ("unlink", $"{w}/doomed.txt", "", false),
        ("write", $"{w}/doomed.txt", "", false),
        ("close", $"{w}/doomed.txt", "", false),
        ("open", $"{w}/shared.txt", "", false),
        ("write", $"{w}/shared.txt", "", true),
        ("close", $"{w}/shared.txt", "", false),
        ("open", $"{w}/copied.txt", "", false),
        ("close", $"{w}/copied.txt", "", false),
        ("write", $"{w}/copied.txt", "", false),
        ("close", $"{w}/copied.txt", "", false),
        ("open", $"{w}/ranged.txt", "", false),
        ("open", $"{w}/before.txt", "", false),
        ("rename", $"{w}/before.txt", $"{w}/after.txt", false),
        ("write", $"{w}/after.txt", "", false),
        ("close", $"{w}/after.txt", "", false),
    ];

    /// <summary>
    /// Runs fim.py while <paramref name="collect"/>'s collector runs, after a process that opened W/early.txt before the
    /// collector started has written through it; returns the rows both must give, in order, with descriptor events
    /// and directories shown (<paramref name="partialCwd"/>: the early process's cwd as the source knows it).
    /// </summary>
    public static List<string?[]> RunBesideAnEarlyWriter(string w, string u, Func<IDisposable> collect, Action<string> waitForRow, string partialCwd)
    {
        // A process that opened a watched file before Vigil started, and writes through it once told to.
        using var early = Start("/usr/bin/python3", "-c", $"import os, sys; fd = os.open('{w}/early.txt', os.O_WRONLY | os.O_CREAT, 0o600); print(flush=True); sys.stdin.readline(); os.write(fd, b'x'); sys.stdin.readline()");
        early.StandardOutput.ReadLine();
        int python;
        int child;
        using (collect())
        {
            early.StandardInput.WriteLine("write");
            early.StandardInput.Flush();
            waitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/early.txt'");
            early.StandardInput.Close();
            early.WaitForExit();

            using var workload = Start("/usr/bin/python3", Script, w, u);
            child = int.Parse(workload.StandardOutput.ReadLine()!);
            workload.WaitForExit();
            python = workload.Id;
            waitForRow($"SELECT 1 FROM process_file_events WHERE path = '{w}/after.txt' AND operation = 'close'");
        }

        var expected = new List<string?[]>
        {
            new[] { "write", early.Id.ToString(), Environment.ProcessId.ToString(), "/usr/bin/python3.11", "true", partialCwd, $"{w}/early.txt", "" },
        };
        foreach (var (operation, path, destination, isChild) in Rows(w, u))
        {
            expected.Add([operation, (isChild ? child : python).ToString(), (isChild ? python : Environment.ProcessId).ToString(), "/usr/bin/python3.11", "false", w, path, destination]);
        }

        return expected;
    }

    /// <summary>A process started in / with its standard input and output redirected.</summary>
    public static Process Start(string file, params string[] args)
    {
        var info = new ProcessStartInfo(file) { WorkingDirectory = "/", RedirectStandardInput = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    /// <summary>Runs a process to its end; returns its pid.</summary>
    public static int Run(string file, params string[] args)
    {
        using var process = Start(file, args);
        process.StandardInput.Close();
        process.WaitForExit();
        return process.Id;
    }

    /// <summary>The rows of <paramref name="sql"/> over the event store at <paramref name="database"/>.</summary>
    public static IReadOnlyList<string?[]> Query(string database, string sql)
    {
        using var engine = new SqlEngine(database, IngestOptions.EventTableSpecs, []);
        return engine.Execute(sql)[0].Rows;
    }
}
