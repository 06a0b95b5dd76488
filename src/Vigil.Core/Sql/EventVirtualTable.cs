using System.Text;
using Vigil.Pipeline;
using Vigil.Platform;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>
/// An event table read from its data table in the store, on the same connection. Constraints on time, pid and eid
/// (=, &lt;, &lt;=, &gt;, &gt;=) become a WHERE clause over the data table's indexes. The plan text handed from
/// xBestIndex to xFilter (and shown by EXPLAIN QUERY PLAN) lists the pushed terms, e.g. <c>time&gt;=,time&lt;</c>, then,
/// when the query needs only some columns, a semicolon and their names (<c>time&gt;=;pid,path</c>; nothing after it for
/// <c>count(*)</c>): the data table is read for those columns only, so a count over a time range never leaves the
/// time index. With an <see cref="IEventRowSource"/> (the shell over log files) a scan reads the source instead,
/// until a scan needs a second pass (see <see cref="StreamedEventCursor"/>).
/// </summary>
internal sealed unsafe class EventVirtualTable : VirtualTable
{
    // The planner only compares costs, so a nominal table size is enough to rank the plans.
    private const double NominalRows = 1_000_000;

    private readonly EventStore _store;
    private readonly IEventRowSource? _rows;
    private bool _loaded;

    public EventVirtualTable(TableSpec spec, EventStore store, IEventRowSource? rows)
        : base(spec)
    {
        _store = store;
        _rows = rows;
        Stored = new StoredTable(spec);
        EidIsText = Stored.EidIndex >= 0 && spec.Columns[Stored.EidIndex].Type == ColumnType.Text;
    }

    public StoredTable Stored { get; }

    /// <summary>Whether scans read the row source rather than the store: until the source's rows have been loaded.</summary>
    public bool Streams => _rows is not null && !_loaded;

    /// <summary>
    /// osquery's eid is TEXT, a 10-digit zero-padded counter; the store keeps it as the integer primary key. Terms on a
    /// TEXT eid are pushed down only for 10-digit values (where text order is number order) and always re-checked.
    /// </summary>
    public bool EidIsText { get; }

    /// <summary>Rows read from the data table by this table's cursors: shows how much a pushed-down constraint saved.</summary>
    public long RowsRead { get; set; }

    /// <summary>events_optimize: scans skip rows with an eid at or below this mark, unless they constrain time.</summary>
    public long? AfterEid { get; set; }

    /// <summary>Whether a cursor scanned this table since <see cref="ResetScan"/>.</summary>
    public bool Scanned { get; private set; }

    /// <summary>The highest eid a cursor read since <see cref="ResetScan"/>, or null.</summary>
    public long? MaxEidRead { get; private set; }

    public void ResetScan()
    {
        Scanned = false;
        MaxEidRead = null;
    }

    public void NoteScan() => Scanned = true;

    /// <summary>A new pass over the row source's rows (only while <see cref="Streams"/>).</summary>
    public IEventRowReader OpenRows() => _rows!.Open(Spec);

    /// <summary>
    /// Loads the row source's rows into the store, once, with the time and pid indexes: from then on every scan
    /// reads the store, whose eids are the source's (1, 2, … into an empty data table).
    /// </summary>
    public void LoadRows()
    {
        if (!Streams)
        {
            return;
        }

        _rows!.Load(Spec, _store.Writer);
        _store.CreateIndexes(Spec);
        _loaded = true;
    }

    public void NoteRow(long eid)
    {
        if (MaxEidRead is not { } max || eid > max)
        {
            MaxEidRead = eid;
        }
    }

    public override void BestIndex(sqlite3_index_info* info)
    {
        var plan = new StringBuilder();
        var used = 0;
        var rows = NominalRows;
        for (var i = 0; i < info->nConstraint; i++)
        {
            var constraint = info->aConstraint[i];
            var column = PushableColumn(constraint.iColumn);
            var op = Operator(constraint.op);
            if (constraint.usable == 0 || column is null || op is null)
            {
                continue;
            }

            used++;
            info->aConstraintUsage[i].argvIndex = used;
            // Time and pid have the same type (so the same affinity) in the data table as here: the data table
            // answers the term exactly, and SQLite need not test it again. A streamed scan only skips the rows a term
            // surely rejects, so SQLite tests them all.
            info->aConstraintUsage[i].omit = (byte)(_rows is not null || (column == StoredTable.EidColumn && EidIsText) ? 0 : 1);
            plan.Append(plan.Length == 0 ? string.Empty : ",").Append(column).Append(op);
            if (op == "=" && column == StoredTable.EidColumn)
            {
                rows = 1;
                info->idxFlags |= sqlite3_index_info.SQLITE_INDEX_SCAN_UNIQUE;
            }
            else
            {
                rows /= op == "=" ? 100_000 : 4;
            }
        }

        if (ReadColumns(info->colUsed) is { } read)
        {
            plan.Append(';').Append(read);
        }

        // idxNum only labels the plan in EXPLAIN QUERY PLAN ("INDEX 2:time>=,time<"); xFilter reads idxStr.
        info->idxNum = used;
        if (plan.Length > 0)
        {
            info->idxStr = SqliteNative.AllocUtf8(plan.ToString());
            info->needToFreeIdxStr = 1;
        }

        info->estimatedRows = (long)Math.Max(1, rows);
        info->estimatedCost = Math.Max(1, rows);
    }

    public override VirtualTableCursor Open(IntPtr db) => Streams ? new StreamedEventCursor(this, db) : new EventCursor(this, db);

    /// <summary>The names of the columns SQLite may ask for (colUsed; bit 63 stands for every column from 63 on), or null when it may ask for all.</summary>
    private string? ReadColumns(ulong colUsed)
    {
        var names = new StringBuilder();
        var all = true;
        for (var i = 0; i < Spec.Columns.Count; i++)
        {
            if ((colUsed & (1UL << Math.Min(i, 63))) == 0)
            {
                all = false;
                continue;
            }

            names.Append(names.Length == 0 ? string.Empty : ",").Append(Spec.Columns[i].Name);
        }

        return all ? null : names.ToString();
    }

    private string? PushableColumn(int index) =>
        index < 0 ? null
        : index == Stored.TimeIndex ? StoredTable.TimeColumn
        : index == Stored.PidIndex ? StoredTable.PidColumn
        : index == Stored.EidIndex ? StoredTable.EidColumn
        : null;

    private static string? Operator(byte op) => op switch
    {
        sqlite3_index_info.SQLITE_INDEX_CONSTRAINT_EQ => "=",
        sqlite3_index_info.SQLITE_INDEX_CONSTRAINT_LT => "<",
        sqlite3_index_info.SQLITE_INDEX_CONSTRAINT_LE => "<=",
        sqlite3_index_info.SQLITE_INDEX_CONSTRAINT_GT => ">",
        sqlite3_index_info.SQLITE_INDEX_CONSTRAINT_GE => ">=",
        _ => null,
    };
}
