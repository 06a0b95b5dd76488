using Vigil.Platform;
using Vigil.Tables;

namespace Vigil.Store;

/// <summary>
/// The ingest path's inserts: rows are appended into one open transaction and made durable together by
/// <see cref="Commit"/>. Each table's rows are held until <see cref="RowsPerInsert"/> of them can go in one
/// multi-row INSERT (the statement's fixed cost, cursors and the AUTOINCREMENT sequence update, is paid once for
/// them); the rest go in one by one at the commit, so rows are stored in the order they were appended. The store
/// assigns <c>eid</c>, so the row's eid cell is ignored. Not thread-safe: one ingest thread owns it.
/// </summary>
public sealed class StoreWriter
{
    /// <summary>
    /// Rows per multi-row INSERT. Measured on the typical stream (bench/RESULTS.md): 8 and 32 were as fast as 16;
    /// more rows mean a longer statement and more cells held for nothing.
    /// </summary>
    public const int RowsPerInsert = 16;

    private readonly EventStore _store;
    private readonly Dictionary<string, TableBatch> _batches = new(StringComparer.Ordinal);
    private readonly NativeStatement _begin;
    private readonly NativeStatement _commit;
    private readonly NativeStatement _rollback;
    private bool _open;

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

    /// <summary>
    /// Appends a row, in <paramref name="table"/>'s column order, to the current batch. A failure to store it may be
    /// thrown here or by a later append or commit of the same batch; either way the batch has to be rolled back.
    /// </summary>
    public void Append(TableSpec table, ReadOnlySpan<ColumnValue> row)
    {
        if (row.Length != table.Columns.Count)
        {
            ThrowRowLength(table, row.Length);
        }

        var batch = Batch(table);
        Begin();
        Pending++;
        if (batch.Add(row))
        {
            Run(batch.BindHeldRows());
        }
    }

    /// <summary>
    /// Deletes the <paramref name="rows"/> oldest stored rows of <paramref name="table"/> as part of the batch, so they
    /// go only if the batch's rows are stored in their place; called before the batch's appends, it never deletes
    /// them. Returns how many were deleted.
    /// </summary>
    public int DeleteOldest(TableSpec table, int rows)
    {
        Begin();
        return _store.DeleteOldest(table, rows);
    }

    /// <summary>Commits the batch; returns how many rows it appended (0 when there was nothing to commit).</summary>
    public int Commit()
    {
        if (!_open)
        {
            return 0;
        }

        foreach (var batch in _batches.Values)
        {
            batch.InsertHeldOneByOne(this);
        }

        Run(_commit);
        _open = false;
        var committed = Pending;
        Committed += committed;
        Pending = 0;
        return committed;
    }

    /// <summary>Drops the rows appended since the last commit, also after a failed append or commit.</summary>
    public void Rollback()
    {
        Pending = 0;
        _open = false;
        foreach (var batch in _batches.Values)
        {
            batch.Clear();
        }

        if (SqliteNative.sqlite3_get_autocommit(_store.Db) == 0)
        {
            Run(_rollback);
        }
    }

    internal void DisposeStatements()
    {
        Rollback();
        foreach (var batch in _batches.Values)
        {
            batch.Dispose();
        }

        _begin.Dispose();
        _commit.Dispose();
        _rollback.Dispose();
    }

    private void Begin()
    {
        if (!_open)
        {
            Run(_begin);
            _open = true;
        }
    }

    private TableBatch Batch(TableSpec table)
    {
        if (!_batches.TryGetValue(table.Name, out var batch))
        {
            var stored = _store.Table(table);
            var one = _store.Prepare(stored.InsertSql());
            try
            {
                batch = new TableBatch(one, _store.Prepare(stored.InsertSql(RowsPerInsert)), stored.EidIndex, table.Columns.Count);
            }
            catch
            {
                one.Dispose();
                throw;
            }

            _batches.Add(table.Name, batch);
        }

        return batch;
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

    /// <summary>
    /// One table's inserts and the rows held for the next multi-row one. The cells are copies of the caller's, whose
    /// texts are immutable strings, so holding them costs no allocation.
    /// </summary>
    private sealed class TableBatch(NativeStatement one, NativeStatement many, int eidIndex, int columns) : IDisposable
    {
        private readonly NativeStatement _one = one;
        private readonly NativeStatement _many = many;
        private readonly ColumnValue[] _cells = new ColumnValue[RowsPerInsert * columns];
        private int _held;

        /// <summary>Holds a row; true when <see cref="RowsPerInsert"/> are held and the multi-row insert is due.</summary>
        public bool Add(ReadOnlySpan<ColumnValue> row)
        {
            row.CopyTo(_cells.AsSpan(_held * columns));
            return ++_held == RowsPerInsert;
        }

        /// <summary>Binds the <see cref="RowsPerInsert"/> held rows to the multi-row insert, lets go of them, and returns it.</summary>
        public NativeStatement BindHeldRows()
        {
            Bind(_many, _cells.AsSpan(0, _held * columns));
            Clear();
            return _many;
        }

        /// <summary>Inserts the held rows, fewer than a multi-row insert takes, with the one-row statement.</summary>
        public void InsertHeldOneByOne(StoreWriter writer)
        {
            for (var r = 0; r < _held; r++)
            {
                Bind(_one, _cells.AsSpan(r * columns, columns));
                writer.Run(_one);
            }

            Clear();
        }

        public void Dispose()
        {
            _one.Dispose();
            _many.Dispose();
        }

        public void Clear()
        {
            Array.Clear(_cells, 0, _held * columns);
            _held = 0;
        }

        private void Bind(NativeStatement statement, ReadOnlySpan<ColumnValue> cells)
        {
            for (var i = 0; i < cells.Length; i++)
            {
                if (i % columns != eidIndex)
                {
                    statement.Bind(i + 1, cells[i]);
                }
            }
        }
    }
}
