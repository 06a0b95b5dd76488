using Vigil.Events;

namespace Vigil.Tables;

/// <summary>An event table that audit events never feed: the bpf tables over auditd log files, which are empty there.</summary>
public sealed class NoEventRows(TableSpec spec) : IEventTable
{
    public TableSpec Spec => spec;

    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row) => false;
}
