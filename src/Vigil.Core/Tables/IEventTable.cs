using Vigil.Events;

namespace Vigil.Tables;

/// <summary>An event-backed table: turns a complete audit event into at most one row.</summary>
public interface IEventTable
{
    TableSpec Spec { get; }

    /// <summary>
    /// Fills <paramref name="row"/> (length = Spec.Columns.Count, in column order) and returns true when
    /// the event belongs to this table; returns false and leaves the row unspecified otherwise.
    /// </summary>
    bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row);
}
