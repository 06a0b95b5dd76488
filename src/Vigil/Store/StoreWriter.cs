using Vigil.Tables;

namespace Vigil.Store;

/// <summary>
/// The ingest path's inserts: rows are appended into one open transaction and made durable together by
/// <see cref="Commit"/>; each table's insert is prepared once and reused. The store assigns <c>eid</c>, so the row's
/// eid cell is ignored. Not thread-safe: one ingest thread owns it.
/// </summary>
public sealed class StoreWriter
{
    private readonly EventStore _store;
    private readonly Dictionary<string, (NativeStatement Statement, int EidIndex)> _inserts = new(StringComparer.Ordinal);
    private readonly NativeStatement _begin;
    private readonly NativeStatement _commit;
    private readonly NativeStatement _rollback;

    internal StoreWriter(EventStore store)
    {
        _store = store;
        _begin = store.Prepare("BEGIN IMMEDIATE");
        _commit = store.Prepare("COMMIT");
        _rollback = store.Prepare("ROLLBACK");
    }

    /// <summary>Rows appended since the last commit.</summary>
    public int Pending { get; private set; }

    /// <summary>Rows committed by this writer since the store was opened.</summary>
    public long Committed { get; private set; }

    /// <summary>Appends a row, in <paramref name="table"/>'s column order, to the current batch.</summary>
    public void Append(TableSpec table, ReadOnlySpan<ColumnValue> row)
    {
        if (row.Length != table.Columns.Count)
        {
            ThrowRowLength(table, row.Length);
        }

        var (insert, eidIndex) = Insert(table);
        if (Pending == 0)
        {
            Run(_begin);
        }

        for (var i = 0; i < row.Length; i++)
        {
            if (i != eidIndex)
            {
                insert.Bind(i + 1, row[i]);
            }
        }

        Run(insert);
        Pending++;
    }

    /// <summary>Commits the batch; returns how many rows it held (0 when there was nothing to commit).</summary>
    public int Commit()
    {
        if (Pending == 0)
        {
            return 0;
        }

        Run(_commit);
        var committed = Pending;
        Committed += committed;
        Pending = 0;
        return committed;
    }

    /// <summary>Drops the rows appended since the last commit, also after a failed append or commit.</summary>
    public void Rollback()
    {
        Pending = 0;
        if (SqliteNative.sqlite3_get_autocommit(_store.Db) == 0)
        {
            Run(_rollback);
        }
    }

    internal void DisposeStatements()
    {
        Rollback();
        foreach (var insert in _inserts.Values)
        {
            insert.Statement.Dispose();
        }

        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
    }

    private (NativeStatement Statement, int EidIndex) Insert(TableSpec table)
    {
        if (!_inserts.TryGetValue(table.Name, out var insert))
        {
            var stored = _store.Table(table);
            insert = (_store.Prepare(stored.InsertSql()), stored.EidIndex);
            _inserts.Add(table.Name, insert);
        }

        return insert;
    }

    private void Run(NativeStatement statement)
    {
        try
        {
            _store.Step(statement);
        }
        finally
        {
            statement.Reset();
        }
    }

    private static void ThrowRowLength(TableSpec table, int length) =>
        throw new ArgumentException($"{table.Name} has {table.Columns.Count} columns; the row has {length}.");
}
