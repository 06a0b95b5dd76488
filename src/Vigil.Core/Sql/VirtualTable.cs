using Vigil.Platform;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>One table as SQLite sees it through <see cref="VirtualTableModule"/>: its declaration, its plans, its cursors.</summary>
internal abstract unsafe class VirtualTable
{
    protected VirtualTable(TableSpec spec)
    {
        Spec = spec;
    }

    public TableSpec Spec { get; }

    /// <summary>Answers the planner: which constraints this table applies itself, at what cost.</summary>
    public abstract void BestIndex(sqlite3_index_info* info);

    /// <summary>A new cursor over the sqlite3* <paramref name="db"/> the table is registered on.</summary>
    public abstract VirtualTableCursor Open(IntPtr db);
}
