using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>One pass over an event table's rows, pulled one at a time.</summary>
public interface IEventRowReader : IDisposable
{
    /// <summary>The current row, in the table's column order (its eid cell is unspecified); valid until the next <see cref="MoveNext"/>.</summary>
    ReadOnlySpan<ColumnValue> Current { get; }

    /// <summary>The current row's eid, counted from 1.</summary>
    long Eid { get; }

    /// <summary>Advances to the next row; false at the end.</summary>
    bool MoveNext();
}
