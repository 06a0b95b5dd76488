using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// Where an engine reads event tables from instead of its store (the shell over log files): each scan reads the
/// rows afresh, eid 1, 2, … in order, exactly as loading them into an empty store would number them.
/// </summary>
public interface IEventRowSource
{
    /// <summary>A new pass over <paramref name="table"/>'s rows.</summary>
    IEventRowReader Open(TableSpec table);

    /// <summary>Appends every row of <paramref name="table"/> to <paramref name="writer"/> and commits (for scans a single pass cannot serve).</summary>
    void Load(TableSpec table, StoreWriter writer);
}
