namespace Vigil.Tables;

/// <summary>
/// osquery's <c>users</c> on Linux (osquery/tables/system/linux/users.cpp): the local accounts of /etc/passwd, read
/// directly so that LDAP and other NSS sources are never asked, as osquery does unless include_remote=1.
/// </summary>
public sealed class UsersTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Uid = Columns.Add("uid", ColumnType.BigInt, "User ID", indexed: true);
    private static readonly int Gid = Columns.Add("gid", ColumnType.BigInt, "Group ID (unsigned)");
    private static readonly int UidSigned = Columns.Add("uid_signed", ColumnType.BigInt, "User ID as int64 signed (Apple)");
    private static readonly int GidSigned = Columns.Add("gid_signed", ColumnType.BigInt, "Default group ID as int64 signed (Apple)");
    private static readonly int Username = Columns.Add("username", ColumnType.Text, "Username");
    private static readonly int Description = Columns.Add("description", ColumnType.Text, "Optional user description");
    private static readonly int Directory = Columns.Add("directory", ColumnType.Text, "User's home directory");
    private static readonly int Shell = Columns.Add("shell", ColumnType.Text, "User's configured default shell");
    private static readonly int Uuid = Columns.Add("uuid", ColumnType.Text, "User's UUID (Apple) or SID (Windows)", indexed: true);
    private static readonly int Type = Columns.Add("type", ColumnType.Text, "Whether the account is roaming (domain), local, or a system profile", hidden: true);
    private static readonly int IsHidden = Columns.Add("is_hidden", ColumnType.Integer, "IsHidden attribute set in OpenDirectory", hidden: true);
    private static readonly int PidWithNamespace = Columns.Add("pid_with_namespace", ColumnType.Integer, "Pids that contain a namespace", hidden: true);
    private static readonly int IncludeRemote = Columns.Add("include_remote", ColumnType.Integer, "1 to include remote (LDAP/AD) accounts (default 0). Warning: without any uid/username filtering it may list whole LDAP directories", hidden: true);

    /// <summary>specs/users.table with the columns of the other platforms, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("users", "Local user accounts (including domain accounts that have logged on locally (Windows)).", isEventTable: false);

    private readonly string _passwd;

    /// <summary>The table over /etc/passwd.</summary>
    public UsersTable()
        : this("/etc/passwd")
    {
    }

    /// <summary>The table over the passwd file <paramref name="passwd"/>.</summary>
    internal UsersTable(string passwd)
    {
        _passwd = passwd;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        foreach (var entry in AccountFile.Entries(_passwd, 7))
        {
            if (!AccountFile.TryId(entry[2], out var uid) || !AccountFile.TryId(entry[3], out var gid))
            {
                continue;
            }

            var row = OsqueryRow.Empty(Schema);
            row[Uid] = ColumnValue.Of(uid);
            row[Gid] = ColumnValue.Of(gid);
            row[UidSigned] = ColumnValue.Of((int)uid);
            row[GidSigned] = ColumnValue.Of((int)gid);
            row[Username] = ColumnValue.Of(entry[0]);
            row[Description] = ColumnValue.Of(entry[4]);
            row[Directory] = ColumnValue.Of(entry[5]);
            row[Shell] = ColumnValue.Of(entry[6]);
            row[PidWithNamespace] = ColumnValue.Of(0);
            row[IncludeRemote] = ColumnValue.Of(0);
            yield return row;
        }
    }
}
