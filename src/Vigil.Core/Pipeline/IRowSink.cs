using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>Where built rows go: the store's writer, or a queue in front of it.</summary>
public interface IRowSink
{
    /// <summary>One row of <paramref name="table"/>, in column order; valid only during the call.</summary>
    void Write(TableSpec table, ReadOnlySpan<ColumnValue> row);
}
