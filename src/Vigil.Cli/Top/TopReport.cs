using System.Globalization;
using System.Text;
using Vigil.Rules;

namespace Vigil.Cli.Top;

/// <summary>The text <c>vigil top</c> prints: the ranking, then exclusion entries to paste into the config.</summary>
public static class TopReport
{
    /// <summary>How many of the top entries get a suggested exclusion.</summary>
    public const int Suggestions = 3;

    /// <summary>A count/syscall/exe table of the first <paramref name="limit"/> entries and the config entries for the top ones.</summary>
    public static string Render(IReadOnlyList<TopEntry> ranked, int limit)
    {
        var shown = Math.Min(limit, ranked.Count);
        var countWidth = "count".Length;
        var syscallWidth = "syscall".Length;
        for (var i = 0; i < shown; i++)
        {
            countWidth = Math.Max(countWidth, ranked[i].Count.ToString(CultureInfo.InvariantCulture).Length);
            syscallWidth = Math.Max(syscallWidth, ranked[i].Syscall.Length);
        }

        var text = new StringBuilder();
        text.Append("count".PadLeft(countWidth)).Append("  ").Append("syscall".PadRight(syscallWidth)).Append("  exe\n");
        for (var i = 0; i < shown; i++)
        {
            var entry = ranked[i];
            text.Append(entry.Count.ToString(CultureInfo.InvariantCulture).PadLeft(countWidth)).Append("  ")
                .Append(entry.Syscall.PadRight(syscallWidth)).Append("  ").Append(entry.Exe).Append('\n');
        }

        if (shown == 0)
        {
            return text.Append("(no syscall events)\n").ToString();
        }

        var header = "\nTo stop auditing the top ones, add to the config's \"audit\": {\"exclude\": [...]}:\n";
        for (var i = 0; i < Math.Min(Suggestions, shown); i++)
        {
            // A BSM trail's process whose exec the trail does not show has no path to exclude.
            var entry = ranked[i];
            if (entry.Exe.Length == 0)
            {
                continue;
            }

            text.Append(header);
            header = string.Empty;
            text.Append("  ").Append(new AuditExclusion("", entry.Exe, null, null, [entry.Syscall]).ToConfigJson()).Append('\n');
        }

        return text.ToString();
    }
}
