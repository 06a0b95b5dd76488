using Vigil.Platform;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>A table generated when queried: its rows are materialised once per cursor, so a join re-scans the same snapshot.</summary>
internal sealed unsafe class LiveVirtualTable : VirtualTable
{
    // Cheap next to a stored table's full scan, so the planner puts a live table on the outside of a join with one.
    private const double NominalRows = 1_000;

    public LiveVirtualTable(ILiveTable table)
        : base(table.Spec)
    {
        Table = table;
    }

    public ILiveTable Table { get; }

    public override void BestIndex(sqlite3_index_info* info)
    {
        info->estimatedRows = (long)NominalRows;
        info->estimatedCost = NominalRows;
    }

    public override VirtualTableCursor Open(IntPtr db) => new LiveCursor(Table);
}
