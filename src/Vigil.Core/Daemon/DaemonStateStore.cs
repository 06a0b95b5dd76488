using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Schedule;
using Vigil.Store;

namespace Vigil.Daemon;

/// <summary>
/// The daemon's own state in its database file, on a connection of its own: each scheduled query's differential
/// state (<see cref="IResultStore"/>) and its events_optimize marks, the highest eid it has read per event table.
/// Both survive a restart, so a query neither repeats nor misses rows across one. Differential state set during a tick
/// is held in memory and written by <see cref="Commit"/> in one transaction with the marks and the result-log journal.
/// The schedule's denylist is kept here too, as osquery keeps it in its database.
/// </summary>
public sealed class DaemonStateStore : IResultStore, IDenylistStore, IDisposable
{
    private const string DenylistTable = "vigil_denylist";
    private const string SettingsTable = "vigil_settings";
    private const string InstanceIdName = "instance_uuid_v1";

    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly Dictionary<string, QueryState> _pending = new(StringComparer.Ordinal);

    /// <summary>
    /// Opens <paramref name="databasePath"/> (an event store already initialised) and creates the state tables when
    /// missing; throws <see cref="StoreException"/> naming the file when it cannot (a disk full or read-only at start).
    /// </summary>
    public DaemonStateStore(string databasePath)
    {
        try
        {
            _connection = StateConnection.Open(databasePath);
            Execute("CREATE TABLE IF NOT EXISTS vigil_query_state(name TEXT PRIMARY KEY, sql TEXT NOT NULL, epoch INTEGER NOT NULL, counter INTEGER, results TEXT NOT NULL)");
            Execute("CREATE TABLE IF NOT EXISTS vigil_event_marks(query TEXT NOT NULL, event_table TEXT NOT NULL, eid INTEGER NOT NULL, PRIMARY KEY(query, event_table))");
            Execute("CREATE TABLE IF NOT EXISTS vigil_log_journal(path TEXT PRIMARY KEY, offset INTEGER NOT NULL, bytes BLOB NOT NULL, inode INTEGER NOT NULL DEFAULT 0)");
            if (!HasColumn(_connection, "vigil_log_journal", "inode"))
            {
                // A journal made before inodes were recorded: its appends are resolved as before, by path alone.
                Execute("ALTER TABLE vigil_log_journal ADD COLUMN inode INTEGER NOT NULL DEFAULT 0");
            }

            Execute($"CREATE TABLE IF NOT EXISTS {SettingsTable}(name TEXT PRIMARY KEY, value TEXT NOT NULL)");
            Execute($"CREATE TABLE IF NOT EXISTS {DenylistTable}(name TEXT PRIMARY KEY, until INTEGER NOT NULL, reason TEXT NOT NULL)");
        }
        catch (SqliteException e)
        {
            _connection?.Dispose();
            throw new StoreException($"cannot open the daemon's state in {databasePath}: {e.Message}", e);
        }
    }

    /// <summary>
    /// osquery_info's instance_id, and the host identifier under <c>--host_identifier=instance</c>: a random UUID made
    /// the first time a daemon runs on this database and kept in it (osquery keeps its own as instance_uuid_v1 in its
    /// database).
    /// </summary>
    public string InstanceId()
    {
        lock (_lock)
        {
            Execute($"INSERT OR IGNORE INTO {SettingsTable}(name, value) VALUES ('{InstanceIdName}', '{Guid.NewGuid():D}')");
            return ReadInstanceId(_connection)!;
        }
    }

    /// <summary>
    /// The instance id kept in the daemon's database at <paramref name="databasePath"/>, read without writing
    /// (<c>vigil shell --database_path</c>); null where no daemon ran on it.
    /// </summary>
    public static string? ReadInstanceId(string databasePath)
    {
        using var connection = StateConnection.Open(databasePath, readOnly: true);
        return HasTable(connection, SettingsTable) ? ReadInstanceId(connection) : null;
    }

    private static string? ReadInstanceId(SqliteConnection connection)
    {
        using var command = StateConnection.Command(connection, $"SELECT value FROM {SettingsTable} WHERE name = '{InstanceIdName}'");
        return command.ExecuteScalar() as string;
    }

    /// <inheritdoc/>
    public QueryState? Get(string name)
    {
        lock (_lock)
        {
            if (_pending.TryGetValue(name, out var pending))
            {
                return pending;
            }

            using var command = Command("SELECT sql, epoch, counter, results FROM vigil_query_state WHERE name = $name", ("$name", name));
            using var reader = command.ExecuteReader();
            if (!reader.Read())
            {
                return null;
            }

            ulong? counter = reader.IsDBNull(2) ? null : (ulong)reader.GetInt64(2);
            return new QueryState(reader.GetString(0), (ulong)reader.GetInt64(1), counter, ResultRowsJson.Parse(reader.GetString(3)));
        }
    }

    /// <inheritdoc/>
    public void Set(string name, QueryState state)
    {
        lock (_lock)
        {
            _pending[name] = state;
        }
    }

    /// <inheritdoc/>
    public IReadOnlyList<DenylistEntry> LoadDenylist(long now)
    {
        lock (_lock)
        {
            using (var expire = Command($"DELETE FROM {DenylistTable} WHERE until < $now", ("$now", now)))
            {
                expire.ExecuteNonQuery();
            }

            return ReadDenylist(_connection, now);
        }
    }

    /// <inheritdoc/>
    public void SaveDenylisted(DenylistEntry entry)
    {
        lock (_lock)
        {
            using var save = Command($"INSERT OR REPLACE INTO {DenylistTable}(name, until, reason) VALUES ($name, $until, $reason)",
                ("$name", entry.Name), ("$until", entry.Until), ("$reason", entry.Reason));
            save.ExecuteNonQuery();
        }
    }

    /// <summary>
    /// The queries denylisted in the daemon's database at <paramref name="databasePath"/> and not expired at Unix time
    /// <paramref name="now"/>, read without writing (<c>vigil status</c>); none where no daemon kept a denylist.
    /// </summary>
    public static IReadOnlyList<DenylistEntry> ReadDenylist(string databasePath, long now)
    {
        using var connection = StateConnection.Open(databasePath, readOnly: true);
        return HasTable(connection, DenylistTable) ? ReadDenylist(connection, now) : [];
    }

    // A database no daemon ran on has none of the state tables, and a read-only reader may not create them.
    private static bool HasTable(SqliteConnection connection, string table)
    {
        using var exists = StateConnection.Command(connection, "SELECT count(*) FROM sqlite_master WHERE name = $name", ("$name", table));
        return (long)exists.ExecuteScalar()! > 0;
    }

    private static bool HasColumn(SqliteConnection connection, string table, string column)
    {
        using var exists = StateConnection.Command(connection, "SELECT count(*) FROM pragma_table_info($table) WHERE name = $column", ("$table", table), ("$column", column));
        return (long)exists.ExecuteScalar()! > 0;
    }

    private static List<DenylistEntry> ReadDenylist(SqliteConnection connection, long now)
    {
        var entries = new List<DenylistEntry>();
        using var command = StateConnection.Command(connection, $"SELECT name, until, reason FROM {DenylistTable} WHERE until >= $now ORDER BY name", ("$now", now));
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            entries.Add(new DenylistEntry(reader.GetString(0), reader.GetInt64(1), reader.GetString(2)));
        }

        return entries;
    }

    /// <summary>Transactions written by <see cref="Commit"/> since the store was opened.</summary>
    internal long Commits { get; private set; }

    /// <summary>Whether differential state was set since the last commit or discard.</summary>
    public bool HasPending
    {
        get
        {
            lock (_lock)
            {
                return _pending.Count > 0;
            }
        }
    }

    /// <summary>The events_optimize marks of a scheduled query: event table name to the highest eid it has read.</summary>
    public Dictionary<string, long> Marks(string query)
    {
        lock (_lock)
        {
            var marks = new Dictionary<string, long>(StringComparer.Ordinal);
            using var command = Command("SELECT event_table, eid FROM vigil_event_marks WHERE query = $query", ("$query", query));
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                marks[reader.GetString(0)] = reader.GetInt64(1);
            }

            return marks;
        }
    }

    /// <summary>
    /// Writes, in one transaction, the differential state set since the last commit, the marks of
    /// <paramref name="marksByQuery"/> and the journal of result-log appends about to be made (replacing the last one),
    /// with what <paramref name="alsoWrite"/> writes (the TLS logger's buffered lines).
    /// </summary>
    public void Commit(IReadOnlyDictionary<string, Dictionary<string, long>> marksByQuery, IReadOnlyList<LogAppend> journal, Action<SqliteTransaction>? alsoWrite = null)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var (name, state) in _pending)
            {
                Run(transaction, "INSERT OR REPLACE INTO vigil_query_state(name, sql, epoch, counter, results) VALUES ($name, $sql, $epoch, $counter, $results)",
                    ("$name", name), ("$sql", state.Sql), ("$epoch", (long)state.Epoch), ("$counter", state.Counter is { } c ? (long)c : null),
                    ("$results", ResultRowsJson.Serialize(state.Results)));
            }

            foreach (var (query, marks) in marksByQuery)
            {
                foreach (var (table, eid) in marks)
                {
                    Run(transaction, "INSERT OR REPLACE INTO vigil_event_marks(query, event_table, eid) VALUES ($query, $table, $eid)",
                        ("$query", query), ("$table", table), ("$eid", eid));
                }
            }

            ReplaceJournal(transaction, journal);
            alsoWrite?.Invoke(transaction);
            transaction.Commit();
            _pending.Clear();
            Commits++;
        }
    }

    /// <summary>
    /// Replaces the journal with <paramref name="journal"/> in a transaction of its own: where each append of a run
    /// about to be written starts, before the run is committed. An append without bytes is one to cut off again if its
    /// run is never committed.
    /// </summary>
    public void JournalAppends(IReadOnlyList<LogAppend> journal)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            ReplaceJournal(transaction, journal);
            transaction.Commit();
        }
    }

    /// <summary>Forgets the differential state set since the last commit (its run was not logged).</summary>
    public void Discard()
    {
        lock (_lock)
        {
            _pending.Clear();
        }
    }

    /// <summary>The journaled result-log appends of the last commit not yet known to be complete.</summary>
    public List<LogAppend> Journal()
    {
        lock (_lock)
        {
            var journal = new List<LogAppend>();
            using var command = Command("SELECT path, offset, bytes, inode FROM vigil_log_journal");
            using var reader = command.ExecuteReader();
            while (reader.Read())
            {
                journal.Add(new LogAppend(reader.GetString(0), reader.GetInt64(1), [(byte[])reader.GetValue(2)], (ulong)reader.GetInt64(3)));
            }

            return journal;
        }
    }

    /// <summary>Empties the journal once its appends are on disk.</summary>
    public void ClearJournal()
    {
        lock (_lock)
        {
            Execute("DELETE FROM vigil_log_journal");
        }
    }

    private void ReplaceJournal(SqliteTransaction transaction, IReadOnlyList<LogAppend> journal)
    {
        Run(transaction, "DELETE FROM vigil_log_journal");
        foreach (var append in journal)
        {
            WriteJournal(transaction, append);
        }
    }

    // The bytes go into a zeroblob chunk by chunk (incremental blob I/O), so a large run's lines are never copied
    // into one array to be journaled.
    private void WriteJournal(SqliteTransaction transaction, LogAppend append)
    {
        using (var insert = Command("INSERT INTO vigil_log_journal(path, offset, bytes, inode) VALUES ($path, $offset, zeroblob($length), $inode) RETURNING rowid",
            ("$path", append.Path), ("$offset", append.Offset), ("$length", append.Length), ("$inode", (long)append.Inode)))
        {
            insert.Transaction = transaction;
            var rowid = (long)insert.ExecuteScalar()!;
            using var blob = new SqliteBlob(_connection, "vigil_log_journal", "bytes", rowid);
            foreach (var chunk in append.Chunks)
            {
                blob.Write(chunk.Span);
            }
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    private void Execute(string sql) => StateConnection.Execute(_connection, sql);

    private void Run(SqliteTransaction transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = Command(sql, parameters);
        command.Transaction = transaction;
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters) =>
        StateConnection.Command(_connection, sql, parameters);
}
