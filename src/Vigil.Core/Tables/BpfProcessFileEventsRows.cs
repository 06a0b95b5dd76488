using System.Globalization;
using Vigil.Bpf;
using F = Vigil.Tables.ProcessFileEventsTable;

namespace Vigil.Tables;

/// <summary>
/// process_file_events rows from BPF file records (<c>--event_source=bpf</c>): the operations and their meaning as the
/// audit source gives them. The kernel side keeps each open file's state by its struct file, so a descriptor copied by
/// dup or fork, or renamed while open, needs no bookkeeping here; the paths come as spelled and are normalized here,
/// then matched against file_paths and exclude_paths as the audit rows are.
/// </summary>
public sealed class BpfProcessFileEventsRows(ProcessFileEventsOptions options) : IBpfEventTable
{
    public TableSpec Spec => F.Schema;

    public bool TryBuildRow(in BpfRecord record, BpfClock clock, Span<ColumnValue> row)
    {
        if (record.Kind != BpfEventKind.File || Operation(in record.File) is not { } operation)
        {
            return false;
        }

        ref readonly var file = ref record.File;
        var destination = record.FileDestination.IsEmpty ? string.Empty : Normalized(record.FileDestination);
        var path = file.Op == BpfFileOp.Symlink ? F.LinkTarget(BpfColumns.Text(record.FilePath), destination) : Normalized(record.FilePath);
        var patterns = options.Patterns;
        if (!patterns.IsWatched(path) && !(destination.Length > 0 && patterns.IsWatched(destination)))
        {
            return false;
        }

        ref readonly var header = ref file.Header;
        row[F.Operation] = ColumnValue.Of(operation);
        row[F.Pid] = ColumnValue.Of(header.Pid);
        row[F.Ppid] = ColumnValue.Of(header.Ppid);
        row[F.Time] = ColumnValue.Of(clock.UnixSeconds(header.TimeNs));
        row[F.Executable] = ColumnValue.Of(BpfColumns.Text(record.ExePath));
        row[F.Partial] = ColumnValue.Of((file.State & BpfFileState.Partial) != 0 ? "true" : "false");
        row[F.Cwd] = ColumnValue.Of(BpfColumns.Text(record.Cwd));
        row[F.Path] = ColumnValue.Of(path);
        row[F.DestPath] = ColumnValue.Of(destination);
        row[F.Uid] = Id(header.Uid);
        row[F.Gid] = Id(header.Gid);
        row[F.Auid] = Id(header.Auid);
        row[F.Euid] = Id(header.Euid);
        row[F.Egid] = Id(header.Egid);
        row[F.Fsuid] = Id(header.Fsuid);
        row[F.Fsgid] = Id(header.Fsgid);
        row[F.Suid] = Id(header.Suid);
        row[F.Sgid] = Id(header.Sgid);
        row[F.Uptime] = ColumnValue.Of(BpfClock.UptimeSeconds(header.TimeNs));
        row[F.Eid] = ColumnValue.Of(string.Empty);
        return true;
    }

    // The audit table's choices: an open is a row when it may write (or accesses are shown), "truncate" when O_TRUNC
    // emptied a file that existed; a close when its file was writable, written or accesses are shown.
    private string? Operation(in BpfFile file)
    {
        var writable = (file.State & BpfFileState.Writable) != 0;
        return file.Op switch
        {
            BpfFileOp.Open when !writable && !options.ShowAccesses => null,
            BpfFileOp.Open => writable && (file.State & (BpfFileState.Truncated | BpfFileState.Created)) == BpfFileState.Truncated ? "truncate" : "open",
            BpfFileOp.Read => options.ShowAccesses ? "read" : null,
            BpfFileOp.Write => "write",
            BpfFileOp.Ftruncate or BpfFileOp.Truncate => "truncate",
            BpfFileOp.Close => writable || (file.State & BpfFileState.Wrote) != 0 || options.ShowAccesses ? "close" : null,
            BpfFileOp.Link => "link",
            BpfFileOp.Symlink => "symlink",
            BpfFileOp.Rename => "rename",
            BpfFileOp.Unlink => "unlink",
            BpfFileOp.Rmdir => options.ShowDirectories ? "rmdir" : null,
            BpfFileOp.Mkdir => options.ShowDirectories ? "mkdir" : null,
            _ => null,
        };
    }

    private static string Normalized(ReadOnlySpan<byte> path) => Path.GetFullPath(BpfColumns.Text(path));

    private static ColumnValue Id(uint id) => id == 0 ? F.RootId : ColumnValue.Of(id.ToString(CultureInfo.InvariantCulture));
}
