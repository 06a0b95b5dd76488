using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>Writes rows straight into a store on the caller's thread, committing every <c>batchSize</c> rows.</summary>
public sealed class StoreRowSink(StoreWriter writer, int batchSize = 8192) : IRowSink
{
    /// <inheritdoc/>
    public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row)
    {
        writer.Append(table, row);
        if (writer.Pending >= batchSize)
        {
            writer.Commit();
        }
    }

    /// <summary>Commits what is pending.</summary>
    public void Commit() => writer.Commit();
}
