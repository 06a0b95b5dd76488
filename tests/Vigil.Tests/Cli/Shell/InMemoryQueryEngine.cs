using Vigil.Sql;
using Vigil.Cli.Shell;
using Microsoft.Data.Sqlite;

namespace Vigil.Tests.Cli.Shell;

/// <summary>A plain in-memory SQLite connection behind <see cref="IQueryEngine"/>: tests the shell without event tables.</summary>
public sealed class InMemoryQueryEngine : IQueryEngine, IDisposable
{
    private readonly SqliteConnection _connection = new("Data Source=:memory:");

    /// <summary>Opens the in-memory database.</summary>
    public InMemoryQueryEngine() => _connection.Open();

    /// <inheritdoc/>
    public void Execute(string sql, IQueryResultSink sink)
    {
        List<QueryResult> results;
        try
        {
            results = ExecuteCore(sql);
        }
        catch (SqliteException)
        {
            // SQLite's own message ("no such table: t"), as osqueryi prints it, without the provider's decoration.
            throw new InvalidOperationException(SQLitePCL.raw.sqlite3_errmsg(_connection.Handle).utf8_to_string());
        }

        foreach (var result in results)
        {
            if (result.Columns.Count == 0)
            {
                continue;
            }

            sink.Begin(result.Columns);
            foreach (var row in result.Rows)
            {
                sink.Row(new QueryRow(row));
            }

            sink.End();
        }
    }

    private List<QueryResult> ExecuteCore(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var results = new List<QueryResult>();
        do
        {
            var columns = new string[reader.FieldCount];
            for (var i = 0; i < columns.Length; i++)
            {
                columns[i] = reader.GetName(i);
            }

            var rows = new List<string?[]>();
            while (reader.Read())
            {
                var row = new string?[columns.Length];
                for (var i = 0; i < row.Length; i++)
                {
                    // GetString is sqlite3_column_text: SQLite's own text for numbers, as osqueryi prints them.
                    row[i] = reader.IsDBNull(i) ? null : reader.GetString(i);
                }

                rows.Add(row);
            }

            results.Add(new QueryResult(columns, rows));
        }
        while (reader.NextResult());

        return results;
    }

    /// <inheritdoc/>
    public IReadOnlyList<string> TableNames()
    {
        var names = new List<string>();
        foreach (var row in ExecuteCore("SELECT name FROM sqlite_schema WHERE type IN ('table', 'view') ORDER BY name")[0].Rows)
        {
            names.Add(row[0]!);
        }

        return names;
    }

    /// <inheritdoc/>
    public string Schema(string? table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT sql FROM sqlite_schema WHERE type IN ('table', 'view') AND ($name IS NULL OR name = $name) ORDER BY name";
        command.Parameters.AddWithValue("$name", (object?)table ?? DBNull.Value);
        using var reader = command.ExecuteReader();
        var text = new System.Text.StringBuilder();
        while (reader.Read())
        {
            text.Append(reader.GetString(0)).Append(";\n");
        }

        return text.ToString();
    }

    /// <inheritdoc/>
    public void Dispose() => _connection.Dispose();
}
