using Vigil.Bpf;

namespace Vigil.Tables;

/// <summary>An event table fed by BPF records: turns a record into at most one row.</summary>
public interface IBpfEventTable
{
    TableSpec Spec { get; }

    /// <summary>
    /// Fills <paramref name="row"/> (length = Spec.Columns.Count, in column order) and returns true when the record
    /// belongs to this table; returns false and leaves the row unspecified otherwise.
    /// </summary>
    bool TryBuildRow(in BpfRecord record, BpfClock clock, Span<ColumnValue> row);
}
