using Vigil.Events;
using Vigil.Tables;

namespace Vigil.Ingest;

/// <summary>
/// Wraps an event table whose rows have a <c>cmdline</c> column (process_events) and masks it with
/// <see cref="RedactionPatterns"/> before the row leaves the ingest path, so neither the store nor a log holds the
/// secret. <c>cmdline_size</c> keeps the size of the original arguments, as osquery reports it.
/// </summary>
public sealed class RedactingEventTable : IEventTable
{
    private readonly IEventTable _inner;
    private readonly RedactionPatterns _patterns;
    private readonly int _cmdline;

    /// <summary>Redacts the <c>cmdline</c> column of <paramref name="inner"/>'s rows.</summary>
    public RedactingEventTable(IEventTable inner, RedactionPatterns patterns)
    {
        _inner = inner;
        _patterns = patterns;
        _cmdline = -1;
        for (var i = 0; i < inner.Spec.Columns.Count; i++)
        {
            if (inner.Spec.Columns[i].Name == "cmdline")
            {
                _cmdline = i;
            }
        }

        if (_cmdline < 0)
        {
            throw new ArgumentException($"{inner.Spec.Name} has no cmdline column.", nameof(inner));
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

        if (row[_cmdline].Text is { } commandLine)
        {
            row[_cmdline] = ColumnValue.Of(_patterns.Redact(commandLine));
        }

        return true;
    }
}
