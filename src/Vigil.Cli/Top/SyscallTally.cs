using System.Globalization;
using Vigil.Bsm;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Pipeline;
using Vigil.Records;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Cli.Top;

/// <summary>
/// Counts syscall events by executable and syscall name: every reassembled event with a SYSCALL record counts once
/// under that record's <c>exe</c> and syscall (named for its <c>arch</c>). Other events (CONFIG_CHANGE, user messages)
/// are not counted, even when they carry an exe. A BSM trail's records count every one under its event's call
/// (<see cref="BsmEvents.Syscall"/>) and the path its process executed earlier in the trail, "" when the trail does
/// not show it.
/// </summary>
public sealed class SyscallTally : IAuditEventSink
{
    private readonly Dictionary<(string Exe, string Syscall), long> _counts = [];
    private readonly BsmProcessMap _bsmProcesses = new();

    /// <summary>Counts the events of auditd log files, read in order.</summary>
    public static SyscallTally FromLogFiles(IReadOnlyList<string> paths)
    {
        var tally = new SyscallTally();
        new Replay(tally).ReadLogFiles(paths);
        return tally;
    }

    /// <summary>
    /// Counts the rows of a store's process_events (by path and syscall) and socket_events (by path and action) with
    /// <c>time</c> at or after <paramref name="sinceUnixTime"/>.
    /// </summary>
    public static SyscallTally FromStore(string databasePath, long sinceUnixTime)
    {
        var tally = new SyscallTally();
        using var sql = new SqlEngine(databasePath, IngestOptions.EventTableSpecs, []);
        var since = sinceUnixTime.ToString(CultureInfo.InvariantCulture);
        foreach (var query in (ReadOnlySpan<string>)[
            $"SELECT path, syscall, count(*) FROM process_events WHERE time >= {since} GROUP BY path, syscall",
            $"SELECT path, action, count(*) FROM socket_events WHERE time >= {since} GROUP BY path, action"])
        {
            foreach (var row in sql.Execute(query)[0].Rows)
            {
                tally.Add(row[0] ?? "", row[1] ?? "", long.Parse(row[2]!, CultureInfo.InvariantCulture));
            }
        }

        return tally;
    }

    /// <inheritdoc/>
    public void OnEvent(AuditEvent auditEvent)
    {
        if (auditEvent.FirstType == RecordType.Bsm)
        {
            AddBsm(auditEvent.GetBody(0));
            return;
        }

        if (!auditEvent.TryGetRecord(RecordType.Syscall, out var body)
            || !AuditFields.TryGet(body, "exe"u8, out var rawExe)
            || !AuditFields.TryGetInt64(body, "syscall"u8, out var number))
        {
            return;
        }

        var arch = AuditFields.TryGetHex(body, "arch"u8, out var archValue) ? (uint)archValue : 0;
        var syscall = SyscallTable.GetName(arch, (int)number) ?? number.ToString(CultureInfo.InvariantCulture);
        Add(AuditValue.DecodeText(rawExe), syscall, 1);
    }

    private void AddBsm(ReadOnlySpan<byte> body)
    {
        if (!BsmRecord.TryRead(body, out var record))
        {
            return;
        }

        // An exec counts under the path it executed, as a Linux exec under its new exe; an exit under the path it leaves.
        var kind = BsmEvents.Kind(record.EventType);
        var exe = record.Subject.Present ? _bsmProcesses.Path(record.Subject.Pid) : string.Empty;
        _bsmProcesses.Observe(record, kind);
        if (kind == BsmEventKind.Exec && record.Subject.Present)
        {
            exe = _bsmProcesses.Path(record.Subject.Pid);
        }

        Add(exe, BsmEvents.Syscall(record.EventType), 1);
    }

    /// <summary>Adds <paramref name="count"/> events of <paramref name="exe"/> through <paramref name="syscall"/>.</summary>
    public void Add(string exe, string syscall, long count)
    {
        _counts[(exe, syscall)] = _counts.GetValueOrDefault((exe, syscall)) + count;
    }

    /// <summary>The (exe, syscall) pairs, most events first; ties by exe then syscall.</summary>
    public List<TopEntry> Ranked()
    {
        var entries = new List<TopEntry>(_counts.Count);
        foreach (var ((exe, syscall), count) in _counts)
        {
            entries.Add(new TopEntry(count, syscall, exe));
        }

        entries.Sort(static (a, b) => a.Count != b.Count
            ? b.Count.CompareTo(a.Count)
            : string.CompareOrdinal(a.Exe, b.Exe) is var byExe and not 0 ? byExe : string.CompareOrdinal(a.Syscall, b.Syscall));
        return entries;
    }

    /// <summary>Events per executable over all syscalls (what <c>aureport -x --summary</c> counts for syscall events).</summary>
    public Dictionary<string, long> ExeTotals()
    {
        var totals = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var ((exe, _), count) in _counts)
        {
            totals[exe] = totals.GetValueOrDefault(exe) + count;
        }

        return totals;
    }
}
