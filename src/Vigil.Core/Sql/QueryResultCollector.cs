namespace Vigil.Sql;

/// <summary>Keeps every statement's rows as strings: the <see cref="QueryResult"/>s of <see cref="SqlEngine.Execute(string)"/>.</summary>
public sealed class QueryResultCollector : IQueryResultSink
{
    private readonly List<QueryResult> _results = [];
    private IReadOnlyList<string> _columns = [];
    private readonly ShortStringPool _pool = new();
    private List<string?[]> _rows = [];

    /// <summary>One result per finished statement that has columns, in order.</summary>
    public IReadOnlyList<QueryResult> Results => _results;

    /// <inheritdoc/>
    public void Begin(IReadOnlyList<string> columns)
    {
        _columns = columns;
        _rows = [];
    }

    /// <inheritdoc/>
    public void Row(QueryRow row)
    {
        var cells = new string?[row.Count];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = row.GetString(i, _pool);
        }

        _rows.Add(cells);
    }

    /// <inheritdoc/>
    public void End() => _results.Add(new QueryResult(_columns, _rows));
}
