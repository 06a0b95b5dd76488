using System.Buffers.Binary;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>logged_in_users</c> on Linux (osquery/tables/system/posix/logged_in_users.cpp): every utmp entry but
/// init's (pid 1), with its type named. osquery walks getutxent(3), whose position in the file is process-wide state
/// it guards with a lock; Vigil reads the same file, /var/run/utmp, record by record instead, so queries running at
/// once cannot disturb each other.
/// </summary>
public sealed class LoggedInUsersTable : ILiveTable
{
    /// <summary>sizeof(struct utmp) in glibc on 64-bit Linux (bits/utmp.h), with its 32-bit ut_tv.</summary>
    internal const int RecordSize = 384;

    private const int TypeOffset = 0;
    private const int PidOffset = 4;
    private const int LineOffset = 8;
    private const int LineSize = 32;
    private const int UserOffset = 44;
    private const int UserSize = 32;
    private const int HostOffset = 76;
    private const int HostSize = 256;
    private const int TimeOffset = 340;

    // ut_type values of bits/utmp.h, by number; FreeBSD lacks the last two, Linux has them.
    private static readonly string[] TypeNames =
        ["empty", "runlevel", "boot_time", "new_time", "old_time", "init", "login", "user", "dead", "accounting"];

    private static readonly TableColumns Columns = new();

    private static readonly int Type = Columns.Add("type", ColumnType.Text, "Login type");
    private static readonly int User = Columns.Add("user", ColumnType.Text, "User login name");
    private static readonly int Tty = Columns.Add("tty", ColumnType.Text, "Device name");
    private static readonly int Host = Columns.Add("host", ColumnType.Text, "Remote hostname");
    private static readonly int Time = Columns.Add("time", ColumnType.BigInt, "Time entry was made");
    private static readonly int Pid = Columns.Add("pid", ColumnType.Integer, "Process (or thread) ID");
    private static readonly int Sid = Columns.Add("sid", ColumnType.Text, "The user's unique security identifier", hidden: true);
    private static readonly int RegistryHive = Columns.Add("registry_hive", ColumnType.Text, "HKEY_USERS registry hive", hidden: true);

    /// <summary>specs/logged_in_users.table with the Windows columns, hidden, as osquery builds it on Linux.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("logged_in_users", "Users with an active shell on the system.", isEventTable: false);

    private readonly string _utmp;

    /// <summary>The table over _PATH_UTMP.</summary>
    public LoggedInUsersTable()
        : this("/var/run/utmp")
    {
    }

    /// <summary>The table over the utmp file <paramref name="utmp"/>.</summary>
    internal LoggedInUsersTable(string utmp)
    {
        _utmp = utmp;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        byte[] file;
        try
        {
            file = File.ReadAllBytes(_utmp);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // As getutxent finds no entry in a file it cannot open.
            yield break;
        }

        for (var offset = 0; offset + RecordSize <= file.Length; offset += RecordSize)
        {
            var record = file.AsSpan(offset, RecordSize);
            var pid = BinaryPrimitives.ReadInt32LittleEndian(record[PidOffset..]);
            if (pid == 1)
            {
                continue;
            }

            var type = BinaryPrimitives.ReadInt16LittleEndian(record[TypeOffset..]);
            var row = OsqueryRow.Empty(Schema);
            row[Type] = ColumnValue.Of(type >= 0 && type < TypeNames.Length ? TypeNames[type] : "unknown");
            row[User] = ColumnValue.Of(HostFacts.CString(record.Slice(UserOffset, UserSize)));
            row[Tty] = ColumnValue.Of(HostFacts.CString(record.Slice(LineOffset, LineSize)));
            row[Host] = ColumnValue.Of(HostFacts.CString(record.Slice(HostOffset, HostSize)));
            row[Time] = ColumnValue.Of(BinaryPrimitives.ReadInt32LittleEndian(record[TimeOffset..]));
            row[Pid] = ColumnValue.Of(pid);
            yield return row;
        }
    }
}
