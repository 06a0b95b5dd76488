namespace Vigil.Sql;

/// <summary>
/// Keeps the last statement's rows as <see cref="ResultRow"/>s, each made as SQLite steps it: what a scheduled,
/// decorator or discovery query returns. Each statement with columns replaces the rows of the one before.
/// </summary>
public sealed class ResultRowCollector : IQueryResultSink
{
    private readonly ShortStringPool _pool = new();
    private ColumnOrder _order = new([]);
    private List<ResultRow> _rows = [];

    /// <summary>The rows of the last statement that had columns; empty when none had.</summary>
    public IReadOnlyList<ResultRow> Rows => _rows;

    /// <inheritdoc/>
    public void Begin(IReadOnlyList<string> columns)
    {
        _order = new ColumnOrder(columns);
        _rows = [];
    }

    /// <inheritdoc/>
    public void Row(QueryRow row) => _rows.Add(ResultRow.From(_order, row, _pool));

    /// <inheritdoc/>
    public void End()
    {
    }
}
