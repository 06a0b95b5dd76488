using System.Text;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>mounts</c> on Linux (osquery/filesystem/linux/mounts.cpp): each line of /proc/mounts as getmntent(3)
/// reads it, with statfs(2) of its path (skipped for autofs, whose statfs would mount it; zeros when it fails).
/// </summary>
/// <remarks>
/// Two departures from osquery, both where osquery's answer depends on chance: the block and inode counts are 64-bit
/// (osquery casts them to 32 bits, so a filesystem past 2^32 blocks wraps), and only a device that is an absolute path
/// is canonicalized (osquery resolves names like "proc" against its working directory too).
/// </remarks>
public sealed class MountsTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Device = Columns.Add("device", ColumnType.Text, "Mounted device");
    private static readonly int DeviceAlias = Columns.Add("device_alias", ColumnType.Text, "Mounted device alias");
    private static readonly int MountPath = Columns.Add("path", ColumnType.Text, "Mounted device path");
    private static readonly int Type = Columns.Add("type", ColumnType.Text, "Mounted device type");
    private static readonly int BlocksSize = Columns.Add("blocks_size", ColumnType.BigInt, "Block size in bytes");
    private static readonly int Blocks = Columns.Add("blocks", ColumnType.BigInt, "Mounted device used blocks");
    private static readonly int BlocksFree = Columns.Add("blocks_free", ColumnType.BigInt, "Mounted device blocks available to root users, a superset of blocks_available");
    private static readonly int BlocksAvailable = Columns.Add("blocks_available", ColumnType.BigInt, "Mounted device blocks available to non-root users");
    private static readonly int Inodes = Columns.Add("inodes", ColumnType.BigInt, "Mounted device used inodes");
    private static readonly int InodesFree = Columns.Add("inodes_free", ColumnType.BigInt, "Mounted device free inodes");
    private static readonly int Flags = Columns.Add("flags", ColumnType.Text, "Mounted device flags");

    /// <summary>specs/posix/mounts.table.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("mounts", "System mounted devices and filesystems (not process specific).", isEventTable: false);

    private readonly string _mounts;

    /// <summary>The table over /proc/mounts.</summary>
    public MountsTable()
        : this("/proc/mounts")
    {
    }

    /// <summary>The table over the mount list <paramref name="mounts"/>.</summary>
    internal MountsTable(string mounts)
    {
        _mounts = mounts;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        foreach (var line in (HostFacts.ReadText(_mounts) ?? string.Empty).Split('\n'))
        {
            var fields = line.Split([' ', '\t'], StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length == 0 || fields[0].StartsWith('#'))
            {
                continue;
            }

            var device = Unescape(fields[0]);
            var path = fields.Length > 1 ? Unescape(fields[1]) : string.Empty;
            var type = fields.Length > 2 ? Unescape(fields[2]) : string.Empty;
            var row = OsqueryRow.Empty(Schema);
            row[Device] = ColumnValue.Of(device);
            row[DeviceAlias] = ColumnValue.Of(AliasOf(device));
            row[MountPath] = ColumnValue.Of(path);
            row[Type] = ColumnValue.Of(type);
            Libc.StatFs stats = default;
            var known = type != "autofs" && Libc.statfs(path, out stats) == 0;
            row[BlocksSize] = ColumnValue.Of(known ? stats.f_bsize : 0);
            row[Blocks] = ColumnValue.Of(known ? (long)stats.f_blocks : 0);
            row[BlocksFree] = ColumnValue.Of(known ? (long)stats.f_bfree : 0);
            row[BlocksAvailable] = ColumnValue.Of(known ? (long)stats.f_bavail : 0);
            row[Inodes] = ColumnValue.Of(known ? (long)stats.f_files : 0);
            row[InodesFree] = ColumnValue.Of(known ? (long)stats.f_ffree : 0);
            row[Flags] = ColumnValue.Of(fields.Length > 3 ? Unescape(fields[3]) : string.Empty);
            yield return row;
        }
    }

    /// <summary>getmntent's decoding of a field: \040 space, \011 tab, \012 newline, \134 and \\ a backslash.</summary>
    internal static string Unescape(string field)
    {
        if (!field.Contains('\\', StringComparison.Ordinal))
        {
            return field;
        }

        var text = new StringBuilder(field.Length);
        for (var i = 0; i < field.Length; i++)
        {
            var rest = field.AsSpan(i);
            var (decoded, length) = rest switch
            {
                _ when rest.StartsWith(@"\040") => (' ', 4),
                _ when rest.StartsWith(@"\011") => ('\t', 4),
                _ when rest.StartsWith(@"\012") => ('\n', 4),
                _ when rest.StartsWith(@"\134") => ('\\', 4),
                _ when rest.StartsWith(@"\\") => ('\\', 2),
                _ => (field[i], 1),
            };
            text.Append(decoded);
            i += length - 1;
        }

        return text.ToString();
    }

    /// <summary>canonicalize_file_name of an absolute device path; any other device names itself.</summary>
    private static string AliasOf(string device)
    {
        if (!device.StartsWith('/'))
        {
            return device;
        }

        try
        {
            var resolved = new FileInfo(device).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? Path.GetFullPath(device);
            return File.Exists(resolved) || Directory.Exists(resolved) ? resolved : device;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return device;
        }
    }
}
