namespace Vigil.Tables;

/// <summary>
/// Finishes rows where they wait for the store, off the ingest thread: work too slow for the row builder (hashing a
/// file). Called again for a row whose commit is retried, so it leaves a finished cell as it is.
/// </summary>
public interface IRowCompletion
{
    /// <summary>Finishes <paramref name="row"/> of <paramref name="table"/> in place.</summary>
    void Complete(TableSpec table, Span<ColumnValue> row);
}
