using System.Text;
using Vigil.Pipeline;
using Vigil.Platform;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>
/// SQL over Vigil's tables: a connection on an event store with every event table and live table registered under its
/// own name. A daemon's database is opened read-only; each statement reads the latest commit of the writer, which
/// works on its own connection (WAL). One thread at a time runs statements on an engine.
/// </summary>
public sealed unsafe class SqlEngine : IDisposable
{
    /// <summary>SQLITE_DBCONFIG_DQS_DML (sqlite3.h).</summary>
    private const int SqliteDbConfigDqsDml = 1013;

    // SQLITE_CONFIG_MULTITHREAD (sqlite3.h).
    private const int SqliteConfigMultiThread = 2;

    private readonly EventStore _store;
    private readonly bool _temporary;
    private readonly Dictionary<string, TableSpec> _specs = new(StringComparer.Ordinal);
    private readonly List<EventVirtualTable> _eventTables = [];
    private RemoteSqlGuard? _guard;

    /// <summary>
    /// Opens <paramref name="databasePath"/> read-only, or, when it is null, a new scratch store
    /// (<see cref="EventStore.CreateScratch"/>) in a temporary file deleted on <see cref="Dispose"/>; then registers the tables. Throws <see cref="StoreException"/> when the file cannot be read.
    /// With <paramref name="rows"/> (only with a new store), the event tables are read from it instead of the store.
    /// </summary>
    public SqlEngine(string? databasePath, IReadOnlyList<TableSpec> eventTables, IReadOnlyList<ILiveTable> liveTables, IEventRowSource? rows = null)
    {
        if (rows is not null && databasePath is not null)
        {
            throw new ArgumentException("A row source replaces a new store's rows, not a database's.", nameof(rows));
        }

        _temporary = databasePath is null;
        _store = databasePath is null
            ? EventStore.CreateScratch(Path.Combine(Path.GetTempPath(), $"vigil-{Guid.NewGuid():N}.db"), eventTables)
            : EventStore.OpenReadOnly(databasePath, eventTables);
        try
        {
            SqlFunctions.Register(_store.Db);
            AllowDoubleQuotedStrings();
            foreach (var spec in eventTables)
            {
                var table = new EventVirtualTable(spec, _store, rows);
                Register(table);
                _eventTables.Add(table);
            }

            foreach (var live in liveTables)
            {
                Register(new LiveVirtualTable(live));
            }

            var names = new List<string>(_specs.Keys);
            names.Sort(StringComparer.Ordinal);
            TableNames = names;
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>The database file queried.</summary>
    public string DatabasePath => _store.Path;

    /// <summary>The store created when no database was given, whose writer ingests on this engine's thread; otherwise null.</summary>
    public EventStore? TemporaryStore => _temporary ? _store : null;

    /// <summary>The user-facing table names, sorted (what <c>.tables</c> lists).</summary>
    public IReadOnlyList<string> TableNames { get; } = [];

    /// <summary>Rows read from data tables so far (a pushed-down constraint reads fewer).</summary>
    internal long StoreRowsRead
    {
        get
        {
            var rows = 0L;
            foreach (var table in _eventTables)
            {
                rows += table.RowsRead;
            }

            return rows;
        }
    }

    /// <summary>
    /// events_optimize: until changed, scans of each event table named in <paramref name="afterEid"/> return only rows
    /// whose eid is above the given mark (tables not named return everything), and every table's scan record is reset.
    /// </summary>
    public void SetEventMarks(IReadOnlyDictionary<string, long> afterEid)
    {
        foreach (var table in _eventTables)
        {
            table.AfterEid = afterEid.TryGetValue(table.Spec.Name, out var eid) ? eid : null;
            table.ResetScan();
        }
    }

    /// <summary>The event tables scanned since <see cref="SetEventMarks"/>, each with the highest eid read (null when none).</summary>
    public IReadOnlyDictionary<string, long?> ScannedEventTables()
    {
        var scanned = new Dictionary<string, long?>(StringComparer.Ordinal);
        foreach (var table in _eventTables)
        {
            if (table.Scanned)
            {
                scanned[table.Spec.Name] = table.MaxEidRead;
            }
        }

        return scanned;
    }

    /// <summary>The table's CREATE TABLE text as osqueryi's <c>.schema</c> prints it; throws <see cref="SqlException"/> for an unknown table.</summary>
    public string Schema(string table) =>
        _specs.TryGetValue(table, out var spec) ? TableSchema.OsqueryText(spec) : throw new SqlException($"no such table: {table}");

    /// <summary>
    /// Runs every statement of <paramref name="sql"/> in order and returns the result of each statement that has
    /// columns; throws <see cref="SqlException"/> with SQLite's message at the first failing statement.
    /// </summary>
    public IReadOnlyList<QueryResult> Execute(string sql)
    {
        var results = new QueryResultCollector();
        Execute(sql, results);
        return results.Results;
    }

    /// <summary>
    /// Runs every statement of <paramref name="sql"/> in order, handing each one's rows to <paramref name="sink"/> as
    /// they are stepped; throws <see cref="SqlException"/> with SQLite's message at the first failing statement (the
    /// rows it produced before failing have been handed over).
    /// </summary>
    public void Execute(string sql, IQueryResultSink sink)
    {
        using var watched = Watch?.Watch(Interrupt, timed: _guard is null);
        try
        {
            Budgeted(sql, sink);
        }
        catch (SqlException) when (watched?.StopReason is { } reason)
        {
            throw new SqlException($"interrupted by the watchdog: {reason}") { Interrupted = true };
        }
    }

    /// <summary>
    /// What stops statements from another thread when they take too much memory or time (the daemon's watchdog); set
    /// before the first statement. SQL from a server keeps its own time budget and is stopped for memory only.
    /// </summary>
    public IStatementWatch? Watch { get; set; }

    private void Budgeted(string sql, IQueryResultSink sink)
    {
        if (_guard is not { } guard)
        {
            Step(sql, sink);
            return;
        }

        guard.Start();
        try
        {
            Step(sql, new BudgetedSink(sink, guard.Budget));
        }
        catch (SqlException) when (guard.TimedOut)
        {
            throw new SqlException($"interrupted: the query ran longer than its budget of {guard.Budget.Time.TotalSeconds:0} s");
        }
        finally
        {
            guard.Stop();
        }
    }

    /// <summary>
    /// From now on, statements run as SQL from a server must (<see cref="RemoteSqlGuard"/>): reading only, within
    /// <paramref name="budget"/>'s time, rows and bytes, past which the statement fails with a <see cref="SqlException"/>
    /// saying which limit it hit.
    /// </summary>
    public void Restrict(QueryBudget budget) => _guard ??= new RemoteSqlGuard(_store.Db, budget);

    /// <summary>
    /// Stops the statement running on this engine (from any thread, until <see cref="Dispose"/>): it fails with a
    /// <see cref="SqlException"/>. One asked for as the last statement finishes may let it finish; it never reaches a
    /// later <see cref="Execute(string, IQueryResultSink)"/>, since SQLite forgets it when a statement starts while none runs.
    /// </summary>
    public void Interrupt() => SqliteNative.sqlite3_interrupt(_store.Db);

    /// <summary>
    /// Leaves out the lock SQLite takes in every call on a connection (its multi-thread mode) for this process: for a
    /// process whose every connection is used by one thread at a time, as the shell's are (the query engine's on its
    /// thread, a collector's on its writer's; <see cref="Interrupt"/> is safe from any thread in either mode). Over a
    /// large result that lock was a seventh of the shell's main thread. Called once SQLite is in use, it changes
    /// nothing (SQLite refuses the setting), which is only slower.
    /// </summary>
    public static void LeaveOutConnectionLocks()
    {
        SQLitePCL.Batteries_V2.Init();
        SQLitePCL.raw.sqlite3_config(SqliteConfigMultiThread);
    }

    private void Step(string sql, IQueryResultSink sink)
    {
        var db = _store.Db;
        var bytes = Encoding.UTF8.GetBytes(sql);
        fixed (byte* start = bytes)
        {
            var next = start;
            var end = start + bytes.Length;
            while (next < end)
            {
                if (SqliteNative.sqlite3_prepare_v2(db, next, (int)(end - next), out var stmt, out var tail) != SqliteNative.SQLITE_OK)
                {
                    throw new SqlException(SqliteNative.ErrorMessage(db));
                }

                next = tail;
                if (stmt == IntPtr.Zero)
                {
                    continue;
                }

                try
                {
                    Run(db, stmt, sink);
                }
                finally
                {
                    SqliteNative.sqlite3_finalize(stmt);
                }
            }
        }
    }

    /// <summary>Prepares <paramref name="sql"/> without running it; false with SQLite's message when it does not compile.</summary>
    public bool Compiles(string sql, out string? error)
    {
        var db = _store.Db;
        var bytes = Encoding.UTF8.GetBytes(sql);
        fixed (byte* start = bytes)
        {
            if (SqliteNative.sqlite3_prepare_v2(db, start, bytes.Length, out var stmt, out _) != SqliteNative.SQLITE_OK)
            {
                error = SqliteNative.ErrorMessage(db);
                return false;
            }

            SqliteNative.sqlite3_finalize(stmt);
        }

        error = null;
        return true;
    }

    /// <summary>Closes the connection (and deletes the temporary store, if the engine made one).</summary>
    public void Dispose()
    {
        _guard?.Dispose();
        _store.Dispose();
        if (_temporary)
        {
            File.Delete(_store.Path);
            File.Delete(_store.Path + "-wal");
            File.Delete(_store.Path + "-shm");
        }
    }

    private static void Run(IntPtr db, IntPtr stmt, IQueryResultSink sink)
    {
        var count = SqliteNative.sqlite3_column_count(stmt);
        var columns = new string[count];
        for (var i = 0; i < count; i++)
        {
            columns[i] = SqliteNative.Utf8(SqliteNative.sqlite3_column_name(stmt, i)) ?? string.Empty;
        }

        if (count > 0)
        {
            sink.Begin(columns);
        }

        int rc;
        while ((rc = SqliteNative.sqlite3_step(stmt)) == SqliteNative.SQLITE_ROW)
        {
            if (count > 0)
            {
                sink.Row(new QueryRow(stmt, count));
            }
        }

        if (rc != SqliteNative.SQLITE_DONE)
        {
            throw new SqlException(SqliteNative.ErrorMessage(db));
        }

        if (count > 0)
        {
            sink.End();
        }
    }

    /// <summary>
    /// Lets a double-quoted word that names no column be a string, as osquery's SQLite does: fleet managers send
    /// <c>WHERE name IN ("distributed_interval", ...)</c>, which a SQLite built without it refuses.
    /// </summary>
    private void AllowDoubleQuotedStrings()
    {
        if (SQLitePCL.raw.sqlite3_db_config(_store.Handle, SqliteDbConfigDqsDml, 1, out _) != SqliteNative.SQLITE_OK)
        {
            throw new SqlException($"cannot allow double-quoted strings: {SqliteNative.ErrorMessage(_store.Db)}");
        }
    }

    private void Register(VirtualTable table)
    {
        if (!_specs.TryAdd(table.Spec.Name, table.Spec))
        {
            throw new ArgumentException($"Two tables are named {table.Spec.Name}.");
        }

        VirtualTableModule.Register(_store.Db, table);
    }

    private sealed class BudgetedSink(IQueryResultSink inner, QueryBudget budget) : IQueryResultSink
    {
        private long _rows;
        private long _bytes;

        public void Begin(IReadOnlyList<string> columns) => inner.Begin(columns);

        public void Row(QueryRow row)
        {
            _bytes += row.ByteCount();
            if (++_rows > budget.MaxRows)
            {
                throw new SqlException($"stopped: the query returned more than its limit of {budget.MaxRows} rows");
            }

            if (_bytes > budget.MaxBytes)
            {
                throw new SqlException($"stopped: the query returned more than its limit of {budget.MaxBytes} bytes");
            }

            inner.Row(row);
        }

        public void End() => inner.End();
    }
}
