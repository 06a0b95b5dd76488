using System.Globalization;
using Microsoft.Data.Sqlite;
using Vigil.Schedule;

namespace Vigil.Daemon;

/// <summary>
/// The daemon's own state in its database file, on a connection of its own: each scheduled query's differential
/// state (<see cref="IResultStore"/>) and its events_optimize marks, the highest eid it has read per event table.
/// Both survive a restart, so a query neither repeats nor misses rows across one.
/// </summary>
public sealed class DaemonStateStore : IResultStore, IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();

    /// <summary>Opens <paramref name="databasePath"/> (an event store already initialised) and creates the state tables when missing.</summary>
    public DaemonStateStore(string databasePath)
    {
        _connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = databasePath,
            Mode = SqliteOpenMode.ReadWrite,
            Pooling = false,
        }.ToString());
        _connection.Open();
        Execute("PRAGMA busy_timeout = 5000");
        Execute("CREATE TABLE IF NOT EXISTS vigil_query_state(name TEXT PRIMARY KEY, sql TEXT NOT NULL, epoch INTEGER NOT NULL, counter INTEGER, results TEXT NOT NULL)");
        Execute("CREATE TABLE IF NOT EXISTS vigil_event_marks(query TEXT NOT NULL, event_table TEXT NOT NULL, eid INTEGER NOT NULL, PRIMARY KEY(query, event_table))");
    }

    /// <inheritdoc/>
    public QueryState? Get(string name)
    {
        lock (_lock)
        {
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
            using var command = Command(
                "INSERT OR REPLACE INTO vigil_query_state(name, sql, epoch, counter, results) VALUES ($name, $sql, $epoch, $counter, $results)",
                ("$name", name), ("$sql", state.Sql), ("$epoch", (long)state.Epoch), ("$counter", state.Counter is { } c ? (long)c : null),
                ("$results", ResultRowsJson.Serialize(state.Results)));
            command.ExecuteNonQuery();
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

    /// <summary>Saves the marks of several queries in one transaction.</summary>
    public void SetMarks(IReadOnlyDictionary<string, Dictionary<string, long>> marksByQuery)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var (query, marks) in marksByQuery)
            {
                foreach (var (table, eid) in marks)
                {
                    using var command = Command(
                        "INSERT OR REPLACE INTO vigil_event_marks(query, event_table, eid) VALUES ($query, $table, $eid)",
                        ("$query", query), ("$table", table), ("$eid", eid));
                    command.Transaction = transaction;
                    command.ExecuteNonQuery();
                }
            }

            transaction.Commit();
        }
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    private void Execute(string sql)
    {
        using var command = Command(sql);
        command.ExecuteNonQuery();
    }

    private SqliteCommand Command(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = _connection.CreateCommand();
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value ?? DBNull.Value);
        }

        return command;
    }
}
