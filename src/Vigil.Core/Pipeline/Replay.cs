using Vigil.Events;
using Vigil.Records;
using Vigil.Sources;
using Vigil.Tables;

namespace Vigil.Pipeline;

/// <summary>
/// The one way records become events, for every path (live collection, log files, the shell, <c>vigil top</c>, tests
/// and benchmarks): a reassembler over an event sink, with the counters it keeps. A source feeds it as an
/// <see cref="IRecordSink"/>; log files are read through it in order, each flushed at its end.
/// </summary>
public sealed class Replay : IRecordSink
{
    private readonly Reassembler _reassembler;

    /// <summary>A replay delivering events to <paramref name="events"/>, counting into <paramref name="counters"/> (new ones when null).</summary>
    public Replay(IAuditEventSink events, IngestCounters? counters = null)
    {
        Counters = counters ?? new IngestCounters();
        _reassembler = new Reassembler(events, Counters);
    }

    /// <summary>What the reassembler counted (records, events) and, when the sink is a <see cref="TableRouter"/>, the rows it built.</summary>
    public IngestCounters Counters { get; }

    /// <summary>Records to events to rows: the events go to one <see cref="TableRouter"/> over <paramref name="tables"/> writing into <paramref name="rows"/>.</summary>
    public static Replay ToRows(IReadOnlyList<IEventTable> tables, IRowSink rows, IngestCounters? counters = null)
    {
        counters ??= new IngestCounters();
        return new Replay(new TableRouter(tables, rows, counters), counters);
    }

    /// <inheritdoc/>
    public void OnRecord(in AuditRecord record) => _reassembler.OnRecord(record);

    /// <inheritdoc/>
    public void OnMalformed(ReadOnlySpan<byte> raw) => _reassembler.OnMalformed(raw);

    /// <summary>Emits the events that have waited longer than the reassembler's timeout (a live source calls it when idle).</summary>
    public void FlushExpired() => _reassembler.FlushExpired();

    /// <summary>Events started and not yet emitted: zero between two events of a live stream.</summary>
    public int InFlightCount => _reassembler.InFlightCount;

    /// <summary>Emits every event in flight (the end of a stream).</summary>
    public void Flush() => _reassembler.Flush();

    /// <summary>
    /// Reads each file in order, emitting the events it left open before the next is opened (auditd writes no EOE, so a
    /// file's last event ends with it), then tells <paramref name="afterEach"/> the file and its number of lines.
    /// An unreadable file throws with its path.
    /// </summary>
    public void ReadLogFiles(IReadOnlyList<string> paths, Action<string, long>? afterEach = null, CancellationToken cancellation = default)
    {
        foreach (var path in paths)
        {
            var lines = new LogFileSource(path).Read(_reassembler, cancellation);
            _reassembler.Flush();
            afterEach?.Invoke(path, lines);
        }
    }
}
