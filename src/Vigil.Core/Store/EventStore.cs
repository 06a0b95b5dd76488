using System.Globalization;
using System.Runtime.InteropServices;
using SQLitePCL;
using Vigil.Platform;
using Vigil.Tables;

namespace Vigil.Store;

/// <summary>
/// The SQLite file that keeps event rows (WAL, synchronous=NORMAL; a scratch store is lighter, see
/// <see cref="CreateScratch"/>): a data table per event table, indexed on time and pid, and a meta table with the schema version. Read-write for the ingest path, read-only for a shell reading a
/// daemon's file; a file that is missing or not a Vigil database is reported, never deleted or recreated.
/// One thread at a time uses an instance; other threads or processes open their own.
/// </summary>
public sealed class EventStore : IDisposable
{
    /// <summary>The layout version written in <c>vigil_meta</c>; a file of another version is refused.</summary>
    public const int SchemaVersion = 1;

    private const string MetaTable = "vigil_meta";
    private const int BusyTimeoutMilliseconds = 5000;
    private const int WalCheckpointPages = 4000;

    private readonly sqlite3 _connection;
    private readonly Dictionary<string, StoredTable> _tables = new(StringComparer.Ordinal);
    private StoreWriter? _writer;
    private bool _disposed;

    private EventStore(string path, bool readOnly, sqlite3 connection)
    {
        Path = path;
        IsReadOnly = readOnly;
        _connection = connection;
    }

    /// <summary>The database file.</summary>
    public string Path { get; }

    /// <summary>True for a store opened with <see cref="OpenReadOnly"/>, which has no writer.</summary>
    public bool IsReadOnly { get; }

    /// <summary>The open sqlite3* of this store's connection.</summary>
    internal IntPtr Db => _connection.DangerousGetHandle();

    /// <summary>The connection's handle as SQLitePCL wraps it, for the calls it makes safely (sqlite3_db_config).</summary>
    internal sqlite3 Handle => _connection;

    /// <summary>
    /// Opens the file read-write, creating it when missing, and creates any missing data table and index for
    /// <paramref name="eventTables"/>; throws <see cref="StoreException"/> when the file is not a Vigil database.
    /// </summary>
    public static EventStore OpenReadWrite(string path, IReadOnlyList<TableSpec> eventTables) =>
        OpenInitialised(path, eventTables, scratch: false);

    /// <summary>
    /// Creates a throwaway store for one process (the shell's temporary file): its journal is kept in memory and
    /// nothing is synced, since a crash loses nothing worth keeping, and the time and pid indexes are left out until
    /// <see cref="CreateIndexes"/>, so a bulk load appends to the data tables only. A writer on another connection
    /// (<see cref="OpenReadWrite"/>) turns the file into an ordinary store, indexes included.
    /// </summary>
    public static EventStore CreateScratch(string path, IReadOnlyList<TableSpec> eventTables) =>
        OpenInitialised(path, eventTables, scratch: true);

    /// <summary>Opens an existing Vigil database read-only; throws <see cref="StoreException"/> saying why it cannot.</summary>
    public static EventStore OpenReadOnly(string path, IReadOnlyList<TableSpec> eventTables)
    {
        if (!File.Exists(path))
        {
            throw new StoreException($"Vigil database not found: {path}");
        }

        ThrowUnlessReadable(path);

        var store = Open(path, readOnly: true);
        try
        {
            if (store.ReadSchemaVersion() is not { } version)
            {
                throw new StoreException($"{path} is not a Vigil database (it has no {MetaTable} table)");
            }

            store.CheckVersion(version);
            foreach (var spec in eventTables)
            {
                store._tables[spec.Name] = new StoredTable(spec);
            }

            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    /// <summary>The writer for the ingest path (one per store, on this store's connection).</summary>
    public StoreWriter Writer
    {
        get
        {
            if (IsReadOnly)
            {
                throw new InvalidOperationException($"{Path} is open read-only.");
            }

            return _writer ??= new StoreWriter(this);
        }
    }

    /// <summary>Creates the time and pid indexes that are missing (those of a scratch store), sorting each table once.</summary>
    public void CreateIndexes()
    {
        foreach (var stored in _tables.Values)
        {
            foreach (var index in stored.IndexSql())
            {
                Execute(index);
            }
        }
    }

    /// <summary>Creates <paramref name="table"/>'s time and pid indexes when they are missing.</summary>
    public void CreateIndexes(TableSpec table)
    {
        foreach (var index in Table(table).IndexSql())
        {
            Execute(index);
        }
    }

    /// <summary>The number of rows stored for a table.</summary>
    public long Count(TableSpec table) =>
        long.Parse(Query($"SELECT count(*) FROM {StoredTable.Quote(Table(table).DataName)}")!, CultureInfo.InvariantCulture);

    /// <summary>
    /// Deletes the rows whose <c>time</c> is before <paramref name="unixTime"/> (events_expiry); returns how many.
    /// Like <see cref="TrimToMax"/>, it becomes part of the writer's open batch when there is one.
    /// </summary>
    public int DeleteOlderThan(TableSpec table, long unixTime)
    {
        var stored = Table(table);
        if (stored.TimeIndex < 0)
        {
            throw new ArgumentException($"{table.Name} has no time column.", nameof(table));
        }

        using var delete = Prepare($"DELETE FROM {StoredTable.Quote(stored.DataName)} WHERE \"time\" < ?1");
        delete.Bind(1, unixTime);
        return Changes(delete);
    }

    /// <summary>Deletes the oldest rows (lowest eid) until at most <paramref name="max"/> remain (events_max); returns how many.</summary>
    public int TrimToMax(TableSpec table, long max)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(max);
        var name = StoredTable.Quote(Table(table).DataName);
        using var delete = Prepare($"DELETE FROM {name} WHERE eid <= (SELECT eid FROM {name} ORDER BY eid DESC LIMIT 1 OFFSET ?1)");
        delete.Bind(1, max);
        return Changes(delete);
    }

    /// <summary>
    /// Deletes the <paramref name="rows"/> oldest rows (lowest eid) of a table, to make room for as many new ones
    /// (<c>--database_space_left_action=expire_oldest</c>); returns how many were deleted.
    /// </summary>
    public int DeleteOldest(TableSpec table, int rows)
    {
        var name = StoredTable.Quote(Table(table).DataName);
        using var delete = Prepare($"DELETE FROM {name} WHERE eid IN (SELECT eid FROM {name} ORDER BY eid LIMIT ?1)");
        delete.Bind(1, rows);
        return Changes(delete);
    }

    /// <summary>
    /// Copies what it can of the WAL back into the file without waiting for readers or writers (a passive
    /// checkpoint), so a checkpoint that the commits' automatic ones could not finish, on a full or failing disk, is
    /// retried and its failure seen; throws <see cref="StoreException"/> when the checkpoint fails.
    /// </summary>
    public void Checkpoint() => Query("PRAGMA wal_checkpoint(PASSIVE)");

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _writer?.DisposeStatements();
        _connection.Dispose();
    }

    internal StoredTable Table(TableSpec table) =>
        _tables.TryGetValue(table.Name, out var stored)
            ? stored
            : throw new ArgumentException($"{table.Name} is not an event table of this store.", nameof(table));

    internal NativeStatement Prepare(string sql)
    {
        try
        {
            return NativeStatement.Prepare(Db, sql);
        }
        catch (StoreException e)
        {
            throw Failure(e.Message, e);
        }
    }

    internal void Execute(string sql)
    {
        using var statement = Prepare(sql);
        Step(statement);
    }

    internal bool Step(NativeStatement statement)
    {
        try
        {
            return statement.Step();
        }
        catch (StoreException e)
        {
            throw Failure(e.Message, e);
        }
    }

    private static EventStore OpenInitialised(string path, IReadOnlyList<TableSpec> eventTables, bool scratch)
    {
        var store = Open(path, readOnly: false);
        try
        {
            store.Initialise(eventTables, scratch);
            return store;
        }
        catch
        {
            store.Dispose();
            throw;
        }
    }

    // Opened through SQLitePCL's raw API, not a Microsoft.Data.Sqlite connection: the first such connection of a process
    // runs that library's static set-up (a reflection lookup of SQLitePCL's batteries and its pool's pruning timer, a
    // thread), about 1.3 ms of the 18 of `vigil shell "SELECT 1"` (bench/RESULTS.md). The message of a failed open is
    // that library's, which users and tests already know.
    private static EventStore Open(string path, bool readOnly)
    {
        if (!readOnly)
        {
            CreateOwnerOnly(path);
        }

        Batteries_V2.Init();
        var flags = readOnly ? raw.SQLITE_OPEN_READONLY : raw.SQLITE_OPEN_READWRITE | raw.SQLITE_OPEN_CREATE;
        var rc = raw.sqlite3_open_v2(path, out var connection, flags, null);
        if (rc != raw.SQLITE_OK)
        {
            var message = $"SQLite Error {rc}: '{raw.sqlite3_errmsg(connection).utf8_to_string()}'.";
            connection.Dispose();
            throw new StoreException($"cannot open {path}: {message}");
        }

        var store = new EventStore(path, readOnly, connection);
        store.Execute($"PRAGMA busy_timeout = {BusyTimeoutMilliseconds}");
        return store;
    }

    /// <summary>
    /// Creates a missing database file readable by its owner only: events hold command lines and addresses. SQLite
    /// gives its -wal and -shm files the database file's mode.
    /// </summary>
    private static void CreateOwnerOnly(string path)
    {
        if (OperatingSystem.IsWindows() || File.Exists(path))
        {
            return;
        }

        try
        {
            new FileStream(path, new FileStreamOptions
            {
                Mode = FileMode.CreateNew,
                Access = FileAccess.Write,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            }).Dispose();
        }
        catch (IOException) when (File.Exists(path))
        {
            // Created by another process between the check and here: SQLite opens that one.
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new StoreException(UnwritableDirectory(path) ?? $"cannot create {path}: {e.Message}", e);
        }
    }

    // SQLite only says "unable to open database file"; a shell pointed at the daemon's root-only file says why.
    private static void ThrowUnlessReadable(string path)
    {
        try
        {
            File.OpenHandle(path, FileMode.Open, FileAccess.Read).Dispose();
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StoreException(
                $"cannot read {path}: permission denied ({FilePermissions.Describe(path)}); run as its owner or root", e);
        }
    }

    private void Initialise(IReadOnlyList<TableSpec> eventTables, bool scratch)
    {
        var version = ReadSchemaVersion();
        if (version is null && Query("SELECT count(*) FROM sqlite_master") != "0")
        {
            throw new StoreException($"{Path} is not a Vigil database (it has tables but no {MetaTable} table)");
        }

        if (version is not null)
        {
            CheckVersion(version);
        }

        if (scratch)
        {
            Query("PRAGMA journal_mode = MEMORY");
            Execute("PRAGMA synchronous = OFF");
            Execute("PRAGMA temp_store = MEMORY");
        }
        else
        {
            Query("PRAGMA journal_mode = WAL");
            Execute("PRAGMA synchronous = NORMAL");

            // A checkpoint copies the WAL's pages back into the file and syncs it, on whichever connection commits
            // past the limit: the ingest thread. At SQLite's 1000 pages a store insert cost a fifth more than at 4000
            // (4.05 against 3.33 μs, bench/RESULTS.md). The -wal file keeps the size it reached: 16-18 MB over
            // 600,000 typical rows committed 8192 at a time.
            Execute($"PRAGMA wal_autocheckpoint = {WalCheckpointPages}");
        }

        Execute("BEGIN IMMEDIATE");
        try
        {
            Execute($"CREATE TABLE IF NOT EXISTS {MetaTable}(key TEXT PRIMARY KEY, value TEXT NOT NULL)");
            Execute($"INSERT OR IGNORE INTO {MetaTable}(key, value) VALUES ('schema_version', '{SchemaVersion}')");
            foreach (var spec in eventTables)
            {
                var stored = new StoredTable(spec);
                Execute(stored.CreateSql());
                AddMissingColumns(stored);
                if (!scratch)
                {
                    foreach (var index in stored.IndexSql())
                    {
                        Execute(index);
                    }
                }

                _tables[spec.Name] = stored;
            }

            Execute("COMMIT");
        }
        catch
        {
            Execute("ROLLBACK");
            throw;
        }
    }

    /// <summary>A column added to a spec since the file was created is added to its data table (NULL in older rows).</summary>
    private void AddMissingColumns(StoredTable stored)
    {
        var existing = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        using (var info = Prepare($"SELECT name FROM pragma_table_info({Literal(stored.DataName)})"))
        {
            while (Step(info))
            {
                existing.Add(info.ColumnText(0)!);
            }
        }

        foreach (var column in stored.Spec.Columns)
        {
            if (!existing.Contains(column.Name))
            {
                Execute($"ALTER TABLE {StoredTable.Quote(stored.DataName)} ADD COLUMN {StoredTable.Quote(column.Name)} {StoredTable.TypeName(column.Type)}");
            }
        }
    }

    /// <summary>The stored schema version, or null when the file has no meta table; also proves the file is SQLite.</summary>
    private string? ReadSchemaVersion()
    {
        var hasMeta = Query($"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = '{MetaTable}'");
        return hasMeta == "0" ? null : Query($"SELECT value FROM {MetaTable} WHERE key = 'schema_version'") ?? string.Empty;
    }

    private void CheckVersion(string version)
    {
        if (version != SchemaVersion.ToString(CultureInfo.InvariantCulture))
        {
            throw new StoreException($"{Path} has Vigil schema version '{version}'; this Vigil reads version {SchemaVersion}");
        }
    }

    private string? Query(string sql)
    {
        using var statement = Prepare(sql);
        return Step(statement) ? statement.ColumnText(0) : null;
    }

    private int Changes(NativeStatement statement)
    {
        Step(statement);
        return SqliteNative.sqlite3_changes(Db);
    }

    internal static string Literal(string text) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    // SQLite keeps its -wal and -shm files beside the database; when it cannot create them it says only that it cannot
    // open or write the file. The directory's own errno says why.
    private static string? UnwritableDirectory(string path)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (directory is null || Libc.access(directory, Libc.W_OK) == 0)
        {
            return null;
        }

        var reason = Marshal.GetPInvokeErrorMessage(Marshal.GetLastPInvokeError());
        return $"{path}: its directory {directory} is not writable ({reason}), and SQLite keeps its -wal and -shm files there";
    }

    private StoreException Failure(string sqliteMessage, Exception inner) => sqliteMessage switch
    {
        "file is not a database" => new StoreException($"{Path} is not a Vigil database: {sqliteMessage}", inner),
        "unable to open database file" or "attempt to write a readonly database" when !IsReadOnly && UnwritableDirectory(Path) is { } unwritable =>
            new StoreException(unwritable, inner),
        _ => new StoreException($"{Path}: {sqliteMessage}", inner),
    };
}
