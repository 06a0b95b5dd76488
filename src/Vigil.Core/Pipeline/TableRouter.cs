using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// The one event→row step: offers each complete event to every table of its set and passes the rows they build on,
/// counting them, and counts the syscall events of an architecture or syscall Vigil cannot name. Events are the
/// reassembler's to count.
/// </summary>
public sealed class TableRouter : IAuditEventSink
{
    private readonly IEventTable[] _tables;
    private readonly ColumnValue[][] _rows;
    private readonly IRowSink _sink;
    private readonly IngestCounters _counters;

    public TableRouter(IReadOnlyList<IEventTable> tables, IRowSink sink, IngestCounters counters)
    {
        _tables = [.. tables];
        _rows = new ColumnValue[_tables.Length][];
        for (var i = 0; i < _tables.Length; i++)
        {
            _rows[i] = new ColumnValue[_tables[i].Spec.Columns.Count];
        }

        _sink = sink;
        _counters = counters;
    }

    /// <inheritdoc/>
    public void OnEvent(AuditEvent auditEvent)
    {
        CountUnknown(auditEvent);

        for (var i = 0; i < _tables.Length; i++)
        {
            if (_tables[i].TryBuildRow(auditEvent, _rows[i]))
            {
                _counters.RowsBuilt++;
                _sink.Write(_tables[i].Spec, _rows[i]);
            }
        }
    }

    /// <summary>
    /// Counts a syscall event no table can name, so that an architecture or a syscall newer than the generated tables
    /// is reported instead of giving no row silently.
    /// </summary>
    private void CountUnknown(AuditEvent auditEvent)
    {
        if (!auditEvent.TryGetSyscall(out var arch, out var number) || SyscallTable.GetName(arch, number) is not null)
        {
            return;
        }

        if (SyscallTable.HasTable(arch))
        {
            _counters.UnknownSyscallEvents++;
        }
        else
        {
            _counters.UnknownArchEvents++;
        }

        _counters.LastUnknownArch = (long)arch;
        _counters.LastUnknownSyscall = number;
    }
}
