using System.Text;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>The CREATE TABLE texts derived from a <see cref="TableSpec"/>.</summary>
public static class TableSchema
{
    /// <summary>
    /// The table as osqueryi's <c>.schema</c> prints it: backquoted names, HIDDEN columns, and for tables with indexed
    /// columns a primary key over them and WITHOUT ROWID.
    /// </summary>
    public static string OsqueryText(TableSpec spec)
    {
        var text = new StringBuilder("CREATE TABLE ").Append(spec.Name);
        AppendColumns(text, spec);
        var keys = new List<string>();
        foreach (var column in spec.Columns)
        {
            if (column.Indexed)
            {
                keys.Add('`' + column.Name + '`');
            }
        }

        text.Length--;
        if (keys.Count > 0)
        {
            text.Append(", PRIMARY KEY (").AppendJoin(", ", keys).Append(")) WITHOUT ROWID");
        }
        else
        {
            text.Append(')');
        }

        return text.Append(';').ToString();
    }

    /// <summary>The declaration handed to sqlite3_declare_vtab: the columns in spec order, hidden ones marked HIDDEN.</summary>
    internal static string Declaration(TableSpec spec) => AppendColumns(new StringBuilder("CREATE TABLE x"), spec).ToString();

    private static StringBuilder AppendColumns(StringBuilder text, TableSpec spec)
    {
        text.Append('(');
        for (var i = 0; i < spec.Columns.Count; i++)
        {
            var column = spec.Columns[i];
            text.Append(i == 0 ? "`" : ", `").Append(column.Name).Append("` ").Append(StoredTable.TypeName(column.Type));
            if (column.Hidden)
            {
                text.Append(" HIDDEN");
            }
        }

        return text.Append(')');
    }
}
