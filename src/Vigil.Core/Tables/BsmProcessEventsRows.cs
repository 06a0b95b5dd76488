using System.Text;
using Vigil.Bsm;
using P = Vigil.Tables.ProcessEventsTable;

namespace Vigil.Tables;

/// <summary>
/// process_events rows from a BSM trail's exec records (execve, posix_spawn and their variants), with osquery's
/// Darwin meanings: ids from the subject, the executable's path and attributes from the last path and attribute
/// tokens, the parent from the trail's forks, <c>status</c> the return token's error number; failed execs are rows
/// too, as in osquery. The README lists where Vigil differs from osquery's Darwin table.
/// </summary>
public sealed class BsmProcessEventsRows(IUptimeSource uptime)
{
    private readonly BsmProcessMap _processes = new();

    /// <summary>Fills <paramref name="row"/> from the BSM record <paramref name="body"/> when it is an exec; other records only update what the trail tells of its processes.</summary>
    public bool TryBuildRow(ReadOnlySpan<byte> body, Span<ColumnValue> row)
    {
        var eventType = BsmRecord.EventTypeOf(body);
        var kind = BsmEvents.Kind(eventType);
        if (kind is not (BsmEventKind.Exec or BsmEventKind.Fork or BsmEventKind.Exit) || !BsmRecord.TryRead(body, out var record))
        {
            return false;
        }

        _processes.Observe(record, kind);
        if (kind != BsmEventKind.Exec)
        {
            return false;
        }

        var subject = record.Subject;
        var attributes = record.Attributes;
        var cmdline = BsmRecord.JoinStrings(record.ExecArgs);
        var env = BsmRecord.JoinStrings(record.ExecEnv);
        row[P.Pid] = Id(subject.Present, subject.Pid);
        row[P.Path] = ColumnValue.Of(Encoding.UTF8.GetString(record.Path));
        row[P.Mode] = attributes.Present ? ColumnValue.Of("0" + Convert.ToString(attributes.Mode, 8)) : ColumnValue.Null;
        row[P.Cmdline] = ColumnValue.Of(cmdline);
        row[P.CmdlineSize] = ColumnValue.Of(Encoding.UTF8.GetByteCount(cmdline));
        row[P.Env] = ColumnValue.Of(env);
        row[P.EnvCount] = ColumnValue.Of(record.ExecEnvCount);
        row[P.EnvSize] = ColumnValue.Of(Encoding.UTF8.GetByteCount(env));
        row[P.Cwd] = ColumnValue.Of(string.Empty);
        row[P.Auid] = Id(subject.Present, subject.Auid);
        row[P.Uid] = Id(subject.Present, subject.Ruid);
        row[P.Euid] = Id(subject.Present, subject.Euid);
        row[P.Gid] = Id(subject.Present, subject.Rgid);
        row[P.Egid] = Id(subject.Present, subject.Egid);
        row[P.OwnerUid] = Id(attributes.Present, attributes.Uid);
        row[P.OwnerGid] = Id(attributes.Present, attributes.Gid);

        // The file's times would be the reading host's, not the trail's: a trail carries none.
        row[P.Atime] = ColumnValue.Null;
        row[P.Mtime] = ColumnValue.Null;
        row[P.Ctime] = ColumnValue.Null;
        row[P.Btime] = ColumnValue.Null;
        row[P.Overflows] = ColumnValue.Of(string.Empty);
        row[P.Parent] = ColumnValue.Of(_processes.Parent(subject.Pid));
        row[P.Time] = ColumnValue.Of(record.Seconds);
        row[P.Uptime] = ColumnValue.Of(uptime.GetUptimeSeconds());
        row[P.Eid] = ColumnValue.Of(string.Empty);
        row[P.Status] = record.ReturnError is { } error ? ColumnValue.Of(error) : ColumnValue.Null;
        row[P.Fsuid] = ColumnValue.Null;
        row[P.Suid] = ColumnValue.Null;
        row[P.Fsgid] = ColumnValue.Null;
        row[P.Sgid] = ColumnValue.Null;
        row[P.Syscall] = ColumnValue.Of(BsmEvents.Syscall(eventType));
        P.Context.WriteUnknown(row);
        row[P.ExeSha256] = ColumnValue.Of(string.Empty);
        return true;
    }

    private static ColumnValue Id(bool present, uint id) => present ? ColumnValue.Of(id) : ColumnValue.Null;
}
