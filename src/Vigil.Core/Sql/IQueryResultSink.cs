namespace Vigil.Sql;

/// <summary>Receives a statement's result while SQLite steps it, so rows need not be kept: columns, each row, then the end.</summary>
public interface IQueryResultSink
{
    /// <summary>A statement with columns starts; statements without columns (DDL) are not reported.</summary>
    void Begin(IReadOnlyList<string> columns);

    /// <summary>One row; its cells are valid only during the call.</summary>
    void Row(QueryRow row);

    /// <summary>The statement finished without error (after a failure, the engine throws instead).</summary>
    void End();
}
