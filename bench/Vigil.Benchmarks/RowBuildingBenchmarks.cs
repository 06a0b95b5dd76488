using BenchmarkDotNet.Attributes;
using Vigil.Events;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>
/// Complete events turned into rows by the real table builders (statx of each executable included); one operation
/// is one event offered to the table, whether or not it makes a row.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RowBuildingBenchmarks
{
    private readonly ProcessEventsTable _processEvents = new();
    private readonly SocketEventsTable _socketEvents = new(new SocketEventsOptions());
    private readonly ColumnValue[] _processRow = new ColumnValue[ProcessEventsTable.Schema.Columns.Count];
    private readonly ColumnValue[] _socketRow = new ColumnValue[SocketEventsTable.Schema.Columns.Count];
    private AuditEvent[] _events = [];

    /// <summary>Reassembles the stream once into owned events.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var stream = RecordedStream.Build(StreamSize.Events);
        stream.Expect(StreamSize.Records, StreamSize.Events);
        _events = stream.ToEvents();
        if (_events.Length != StreamSize.Events)
        {
            throw new InvalidOperationException($"{_events.Length} events, expected {StreamSize.Events}");
        }
    }

    /// <summary>process_events rows from every event; returns how many were built.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Events)]
    public int ProcessEvents() => Build(_processEvents, _processRow);

    /// <summary>socket_events rows from every event; returns how many were built.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Events)]
    public int SocketEvents() => Build(_socketEvents, _socketRow);

    private int Build(IEventTable table, ColumnValue[] row)
    {
        var built = 0;
        foreach (var auditEvent in _events)
        {
            if (table.TryBuildRow(auditEvent, row))
            {
                built++;
            }
        }

        return built;
    }
}
