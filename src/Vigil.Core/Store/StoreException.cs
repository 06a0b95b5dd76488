namespace Vigil.Store;

/// <summary>The event store cannot be opened, read or written; the message names the file and SQLite's reason.</summary>
public sealed class StoreException : Exception
{
    // SQLite's primary result codes (sqlite3.h) that name a fault of the disk, the file system or a lock, not of the
    // statement or the rows: the same write can succeed once the fault clears.
    private const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteNoMem = 7;
    private const int SqliteReadOnly = 8;
    private const int SqliteIoErr = 10;
    private const int SqliteCorrupt = 11;
    private const int SqliteFull = 13;
    private const int SqliteCantOpen = 14;
    private const int SqliteProtocol = 15;
    private const int SqliteNotADb = 26;

    public StoreException(string message)
        : base(message)
    {
    }

    public StoreException(string message, Exception inner)
        : base(message, inner)
    {
        ResultCode = (inner as StoreException)?.ResultCode ?? (inner as Microsoft.Data.Sqlite.SqliteException)?.SqliteExtendedErrorCode ?? 0;
    }

    /// <summary>A failure SQLite reported with <paramref name="resultCode"/>, its extended result code.</summary>
    public StoreException(string message, int resultCode)
        : base(message)
    {
        ResultCode = resultCode;
    }

    /// <summary>SQLite's extended result code, or 0 when the failure did not come from SQLite.</summary>
    public int ResultCode { get; }

    /// <summary>
    /// Whether the failure is the disk's, the file system's or a lock's (full, read-only, I/O error, busy) rather than
    /// the statement's or the rows', so that trying the same write again can succeed once the fault clears. A database
    /// that reads back as damaged while open (corrupt, not a database) is the disk's too: pages whose write-back failed
    /// are dropped from the page cache, and the device then returns zeros in their place.
    /// </summary>
    public bool IsTransient => (ResultCode & 0xff) is SqliteBusy or SqliteLocked or SqliteNoMem or SqliteReadOnly or SqliteIoErr
        or SqliteCorrupt or SqliteFull or SqliteCantOpen or SqliteProtocol or SqliteNotADb;
}
