using Vigil.Pipeline;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>Keeps copies of the rows the table router builds, to insert them later without building them again.</summary>
internal sealed class CapturedRows : IRowSink
{
    public List<(TableSpec Table, ColumnValue[] Row)> Rows { get; } = [];

    public void Write(TableSpec table, ReadOnlySpan<ColumnValue> row) => Rows.Add((table, row.ToArray()));
}
