using Microsoft.Data.Sqlite;
using Vigil.Logging;
using Vigil.Store;

namespace Vigil.Remote;

/// <summary>
/// The TLS logger's durable buffer (osquery's <c>BufferedLogForwarder</c>), a table in the daemon's database: result
/// lines are inserted in the same transaction as the run's differential state and events_optimize marks (so a run is
/// either buffered with its state or repeated whole, as the filesystem logger's journal does), status lines as they
/// are logged. Lines leave it only when the server acknowledged the batch that carried them. Lines longer than
/// <c>--logger_tls_max_linesize</c> are not buffered; past <c>--buffered_log_max</c> lines the oldest are deleted.
/// Both are counted, and <see cref="TakeDrops"/> hands the counts to whoever reports them (never the inserting
/// transaction, whose own status line would wait on it).
/// </summary>
public sealed class TlsLogBuffer : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Lock _lock = new();
    private readonly long _maxLineSize;
    private readonly long _maxLines;
    private long _count;
    private long _tooLong;
    private long _overflow;

    /// <summary>Opens the buffer in <paramref name="databasePath"/> (an event store already initialised), creating its table when missing.</summary>
    public TlsLogBuffer(string databasePath, long maxLineSize, long maxLines)
    {
        _maxLineSize = maxLineSize;
        _maxLines = maxLines;
        _connection = StateConnection.Open(databasePath);
        StateConnection.Execute(_connection, "CREATE TABLE IF NOT EXISTS vigil_tls_log(id INTEGER PRIMARY KEY AUTOINCREMENT, log_type INTEGER NOT NULL, line BLOB NOT NULL)");
        using var count = StateConnection.Command(_connection, "SELECT count(*) FROM vigil_tls_log");
        _count = (long)count.ExecuteScalar()!;
    }

    /// <summary>Lines buffered now.</summary>
    public long Count => Interlocked.Read(ref _count);

    /// <summary>
    /// Buffers <paramref name="lines"/> as <paramref name="type"/> within <paramref name="transaction"/> (a connection of
    /// the same database), dropping the oldest lines past the maximum in it too.
    /// </summary>
    public void Insert(SqliteTransaction transaction, TlsLogType type, Utf8Lines lines)
    {
        if (lines.Count == 0)
        {
            return;
        }

        using var insert = transaction.Connection!.CreateCommand();
        insert.Transaction = transaction;
        insert.CommandText = "INSERT INTO vigil_tls_log(log_type, line) VALUES ($type, $line)";
        insert.Parameters.AddWithValue("$type", (int)type);
        var line = insert.Parameters.Add("$line", SqliteType.Blob);
        var added = 0L;
        foreach (var text in lines.Lines())
        {
            if (text.Length > _maxLineSize)
            {
                Interlocked.Increment(ref _tooLong);
                continue;
            }

            line.Value = text.ToArray();
            insert.ExecuteNonQuery();
            added++;
        }

        Trim(transaction, Interlocked.Add(ref _count, added));
    }

    /// <summary>Buffers one status line in a transaction of its own.</summary>
    public void InsertStatus(byte[] line)
    {
        lock (_lock)
        {
            using var transaction = _connection.BeginTransaction();
            using (var insert = StateConnection.Command(_connection, "INSERT INTO vigil_tls_log(log_type, line) VALUES ($type, $line)",
                ("$type", (int)TlsLogType.Status), ("$line", line)))
            {
                insert.Transaction = transaction;
                insert.ExecuteNonQuery();
            }

            Trim(transaction, Interlocked.Increment(ref _count));
            transaction.Commit();
        }
    }

    /// <summary>Up to <paramref name="maxLines"/> of the oldest lines of <paramref name="type"/>, oldest first, or null when there are none.</summary>
    public TlsLogBatch? Next(TlsLogType type, int maxLines)
    {
        lock (_lock)
        {
            using var select = StateConnection.Command(_connection, "SELECT id, line FROM vigil_tls_log WHERE log_type = $type ORDER BY id LIMIT $max",
                ("$type", (int)type), ("$max", maxLines));
            using var reader = select.ExecuteReader();
            var ids = new List<long>();
            var lines = new List<byte[]>();
            while (reader.Read())
            {
                ids.Add(reader.GetInt64(0));
                lines.Add((byte[])reader.GetValue(1));
            }

            return lines.Count == 0 ? null : new TlsLogBatch(type, ids, lines);
        }
    }

    /// <summary>Deletes the lines the server acknowledged: <paramref name="batch"/>'s, and any older of its type.</summary>
    public void Acknowledge(TlsLogBatch batch)
    {
        lock (_lock)
        {
            using var delete = StateConnection.Command(_connection, "DELETE FROM vigil_tls_log WHERE log_type = $type AND id <= $last",
                ("$type", (int)batch.Type), ("$last", batch.LastId));
            Interlocked.Add(ref _count, -delete.ExecuteNonQuery());
        }
    }

    /// <summary>The lines dropped since the last call: too long to send, and the oldest past the maximum.</summary>
    public (long TooLong, long Overflow) TakeDrops() => (Interlocked.Exchange(ref _tooLong, 0), Interlocked.Exchange(ref _overflow, 0));

    public void Dispose() => _connection.Dispose();

    private void Trim(SqliteTransaction transaction, long count)
    {
        if (_maxLines <= 0 || count <= _maxLines)
        {
            return;
        }

        using var delete = transaction.Connection!.CreateCommand();
        delete.Transaction = transaction;
        delete.CommandText = "DELETE FROM vigil_tls_log WHERE id IN (SELECT id FROM vigil_tls_log ORDER BY id LIMIT $excess)";
        delete.Parameters.AddWithValue("$excess", count - _maxLines);
        var deleted = delete.ExecuteNonQuery();
        Interlocked.Add(ref _count, -deleted);
        Interlocked.Add(ref _overflow, deleted);
    }
}
