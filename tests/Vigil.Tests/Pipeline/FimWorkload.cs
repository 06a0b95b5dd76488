using Vigil.Rules;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// Fixtures/tables/workload/fim.py, which the kernel tests run live and fim.log recorded under auditd: its watched
/// and unwatched directories, its config, and the rows it must give.
/// </summary>
internal static class FimWorkload
{
    public static string Script { get; } = Path.Combine(AppContext.BaseDirectory, "Fixtures", "tables", "workload", "fim.py");

    /// <summary>What W and U hold before the workload runs.</summary>
    public static void Prepare(string watched, string unwatched)
    {
        Directory.CreateDirectory(Path.Combine(watched, "skip"));
        Directory.CreateDirectory(unwatched);
        File.WriteAllText(Path.Combine(watched, "existing.txt"), "x");
        File.WriteAllText(Path.Combine(unwatched, "in.txt"), "x");
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
}
