using System.Text.RegularExpressions;

namespace Vigil.Tests.Pipeline;

/// <summary>Events in auditd-format lines counted without the reassembler: one per distinct (node, serial).</summary>
internal static partial class RecordSerials
{
    public static int DistinctEvents(IEnumerable<string> lines) =>
        lines.Select(line => SerialPattern().Match(line))
            .Where(match => match.Success)
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value))
            .Distinct()
            .Count();

    [GeneratedRegex(@"^(?:node=(\S+) )?type=\S+ msg=audit\(\d+\.\d+:(\d+)\)")]
    private static partial Regex SerialPattern();
}
