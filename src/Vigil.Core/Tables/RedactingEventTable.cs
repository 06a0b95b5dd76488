using Vigil.Events;

namespace Vigil.Tables;

/// <summary>
/// Wraps an event table whose rows have a <c>cmdline</c> column (process_events) and masks it, and the parent's
/// <c>parent_cmdline</c>, with <see cref="RedactionPatterns"/> before the row leaves the ingest path, so neither the
/// store nor a log holds the secret. <c>cmdline_size</c> keeps the size of the original arguments, as osquery
/// reports it.
/// </summary>
public sealed class RedactingEventTable : IEventTable
{
    private readonly IEventTable _inner;
    private readonly RedactionPatterns _patterns;
    private readonly int _cmdline;
    private readonly int _parentCmdline;

    /// <summary>Redacts the <c>cmdline</c> column of <paramref name="inner"/>'s rows.</summary>
    public RedactingEventTable(IEventTable inner, RedactionPatterns patterns)
    {
        _inner = inner;
        _patterns = patterns;
        _cmdline = inner.Spec.IndexOf("cmdline");
        _parentCmdline = inner.Spec.IndexOf("parent_cmdline");
        if (_cmdline < 0 || _parentCmdline < 0)
        {
            throw new ArgumentException($"{inner.Spec.Name} has no cmdline and parent_cmdline columns.", nameof(inner));
        }
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

        Redact(row, _cmdline);
        Redact(row, _parentCmdline);

        return true;
    }

    private void Redact(Span<ColumnValue> row, int column)
    {
        if (row[column].Text is { } commandLine)
        {
            row[column] = ColumnValue.Of(_patterns.Redact(commandLine));
        }
    }
}
