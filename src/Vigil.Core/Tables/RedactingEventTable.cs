using Vigil.Events;

namespace Vigil.Tables;

/// <summary>
/// Wraps an event table whose rows carry command lines (process_events' <c>cmdline</c>, the <c>parent_cmdline</c> of
/// process_events and socket_events) and masks them (<see cref="CommandLineRedaction"/>), so neither the store nor a
/// log holds the secret. <c>cmdline_size</c> keeps the size of the original arguments, as osquery reports it.
/// </summary>
public sealed class RedactingEventTable : IEventTable
{
    private readonly IEventTable _inner;
    private readonly CommandLineRedaction _redaction;

    /// <summary>Redacts the command lines of <paramref name="inner"/>'s rows.</summary>
    public RedactingEventTable(IEventTable inner, RedactionPatterns patterns)
    {
        _inner = inner;
        _redaction = CommandLineRedaction.For(inner.Spec, patterns)
            ?? throw new ArgumentException($"{inner.Spec.Name} has no cmdline or parent_cmdline column.", nameof(inner));
    }

    /// <inheritdoc/>
    public TableSpec Spec => _inner.Spec;

    /// <inheritdoc/>
    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row)
    {
        if (!_inner.TryBuildRow(auditEvent, row))
        {
            return false;
        }

        _redaction.Apply(row);
        return true;
    }
}
