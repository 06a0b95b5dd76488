using System.Text;
using Vigil.Tables;

namespace Vigil.Store;

/// <summary>
/// How an event table is laid out in the store: a data table named <c>&lt;table&gt;_data</c> with <c>eid</c> as its
/// integer primary key and every other column of the spec, in spec order, under the spec's own types (so a
/// comparison in the data table has the same affinity as the same comparison on the virtual table).
/// </summary>
internal sealed class StoredTable
{
    public const string EidColumn = "eid";
    public const string TimeColumn = "time";
    public const string PidColumn = "pid";

    public StoredTable(TableSpec spec)
    {
        Spec = spec;
        DataName = DataTableName(spec.Name);
        EidIndex = spec.IndexOf(EidColumn);
        TimeIndex = spec.IndexOf(TimeColumn);
        PidIndex = spec.IndexOf(PidColumn);
    }

    public TableSpec Spec { get; }

    public string DataName { get; }

    /// <summary>The spec's index of <c>eid</c>, whose cell the store assigns, or -1.</summary>
    public int EidIndex { get; }

    public int TimeIndex { get; }

    public int PidIndex { get; }

    public static string DataTableName(string table) => table + "_data";

    public static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    public static string TypeName(ColumnType type) => type switch
    {
        ColumnType.Integer => "INTEGER",
        ColumnType.BigInt => "BIGINT",
        _ => "TEXT",
    };

    /// <summary>
    /// The data table. AUTOINCREMENT keeps eids from being reused after expiry empties a table, so an eid seen
    /// once (a scheduled query's cursor) always stays behind every newer row.
    /// </summary>
    public string CreateSql()
    {
        var sql = new StringBuilder("CREATE TABLE IF NOT EXISTS ").Append(Quote(DataName)).Append("(eid INTEGER PRIMARY KEY AUTOINCREMENT");
        foreach (var column in Spec.Columns)
        {
            if (column.Name != EidColumn)
            {
                sql.Append(", ").Append(Quote(column.Name)).Append(' ').Append(TypeName(column.Type));
            }
        }

        return sql.Append(')').ToString();
    }

    public IEnumerable<string> IndexSql()
    {
        if (TimeIndex >= 0)
        {
            yield return $"CREATE INDEX IF NOT EXISTS {Quote(DataName + "_time")} ON {Quote(DataName)}({Quote(TimeColumn)})";
        }

        if (PidIndex >= 0)
        {
            yield return $"CREATE INDEX IF NOT EXISTS {Quote(DataName + "_pid")} ON {Quote(DataName)}({Quote(PidColumn)})";
        }
    }

    /// <summary>
    /// The insert of <paramref name="rows"/> rows; parameter r*n+k+1 is the spec's k-th column of row r (n columns),
    /// eid's parameters are never bound.
    /// </summary>
    public string InsertSql(int rows = 1)
    {
        var names = new StringBuilder();
        var values = new StringBuilder();
        var columns = Spec.Columns.Count;
        for (var r = 0; r < rows; r++)
        {
            values.Append(r == 0 ? "(" : ", (");
            var first = true;
            for (var i = 0; i < columns; i++)
            {
                if (i == EidIndex)
                {
                    continue;
                }

                if (r == 0)
                {
                    names.Append(first ? string.Empty : ", ").Append(Quote(Spec.Columns[i].Name));
                }

                values.Append(first ? "?" : ", ?").Append(r * columns + i + 1);
                first = false;
            }

            values.Append(')');
        }

        return $"INSERT INTO {Quote(DataName)}({names}) VALUES {values}";
    }

    /// <summary>
    /// A select whose result column 0 is eid and column k+1 is the spec's k-th column (eid again where the spec has it),
    /// or NULL for a column left out of <paramref name="read"/> (null reads every column): a select of indexed columns
    /// only is answered from the index without visiting the rows.
    /// </summary>
    public string SelectSql(string? where, IReadOnlySet<string>? read = null)
    {
        var sql = new StringBuilder("SELECT eid");
        foreach (var column in Spec.Columns)
        {
            sql.Append(", ").Append(
                read is not null && !read.Contains(column.Name) ? "NULL"
                : column.Name == EidColumn ? "eid"
                : Quote(column.Name));
        }

        sql.Append(" FROM ").Append(Quote(DataName));
        if (!string.IsNullOrEmpty(where))
        {
            sql.Append(" WHERE ").Append(where);
        }

        return sql.ToString();
    }
}
