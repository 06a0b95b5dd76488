namespace Vigil.Tables;

/// <summary>
/// osquery's <c>groups</c> on Linux (osquery/tables/system/linux/groups.cpp): each gid once, its first entry winning.
/// osquery enumerates getgrent(3), which asks every NSS source; Vigil reads the local /etc/group, the files source,
/// without the process-wide enumeration state of getgrent.
/// </summary>
public sealed class GroupsTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Gid = Columns.Add("gid", ColumnType.BigInt, "Unsigned int64 group ID", indexed: true);
    private static readonly int GidSigned = Columns.Add("gid_signed", ColumnType.BigInt, "A signed int64 version of gid");
    private static readonly int Groupname = Columns.Add("groupname", ColumnType.Text, "Canonical local group name");
    private static readonly int GroupSid = Columns.Add("group_sid", ColumnType.Text, "Unique group ID", hidden: true, indexed: true);
    private static readonly int Comment = Columns.Add("comment", ColumnType.Text, "Remarks or comments associated with the group", hidden: true);
    private static readonly int IsHidden = Columns.Add("is_hidden", ColumnType.Integer, "IsHidden attribute set in OpenDirectory", hidden: true);
    private static readonly int PidWithNamespace = Columns.Add("pid_with_namespace", ColumnType.Integer, "Pids that contain a namespace", hidden: true);

    /// <summary>specs/groups.table with the columns of the other platforms, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("groups", "Local system groups.", isEventTable: false);

    private readonly string _group;

    /// <summary>The table over /etc/group.</summary>
    public GroupsTable()
        : this("/etc/group")
    {
    }

    /// <summary>The table over the group file <paramref name="group"/>.</summary>
    internal GroupsTable(string group)
    {
        _group = group;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var seen = new HashSet<uint>();
        foreach (var entry in AccountFile.Entries(_group, 4))
        {
            if (!AccountFile.TryId(entry[2], out var gid) || !seen.Add(gid))
            {
                continue;
            }

            var row = OsqueryRow.Empty(Schema);
            row[Gid] = ColumnValue.Of(gid);
            row[GidSigned] = ColumnValue.Of((int)gid);
            row[Groupname] = ColumnValue.Of(entry[0]);
            row[PidWithNamespace] = ColumnValue.Of(0);
            yield return row;
        }
    }
}
