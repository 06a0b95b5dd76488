using BenchmarkDotNet.Attributes;
using Vigil.Events;
using Vigil.Ingest;
using Vigil.Records;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>
/// Rows into a temporary event store through <see cref="StoreRowSink"/> (commits every 8192 rows, then at the end), and
/// the whole ingest path: netlink payloads parsed, reassembled, routed to every table and stored. The store grows across
/// iterations, as a running agent's does.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StoreInsertBenchmarks
{
    private const int InsertedRows = 10_000;

    private readonly IngestOptions _options = IngestOptions.FromFlags(Vigil.Flags.FlagValues.Defaults);
    private RecordedStream _stream = null!;
    private (TableSpec Table, ColumnValue[] Row)[] _rows = [];
    private TemporaryStore _store = null!;

    /// <summary>Builds the stream, its rows once, and an empty store.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _stream = RecordedStream.Build(StreamSize.Events);
        _stream.Expect(StreamSize.Records, StreamSize.Events);
        var captured = new CapturedRows();
        var router = new TableRouter(_options.LogFileTables(), captured, new IngestCounters());
        foreach (var auditEvent in _stream.ToEvents())
        {
            router.OnEvent(auditEvent);
        }

        _rows = [.. captured.Rows];
        _store = new TemporaryStore();
    }

    /// <summary>Deletes the store.</summary>
    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>10,000 prebuilt rows (process, socket and user events in recorded proportion); one operation is one row.</summary>
    [Benchmark(OperationsPerInvoke = InsertedRows)]
    public long InsertRows()
    {
        var sink = new StoreRowSink(_store.Store.Writer);
        for (var i = 0; i < InsertedRows; i++)
        {
            var (table, row) = _rows[i % _rows.Length];
            sink.Write(table, row);
        }

        sink.Commit();
        return _store.Store.Writer.Committed;
    }

    /// <summary>The recorded stream from netlink payloads to stored rows; one operation is one event.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Events)]
    public long EndToEnd()
    {
        var counters = new IngestCounters();
        var sink = new StoreRowSink(_store.Store.Writer);
        var reassembler = new Reassembler(new TableRouter(_options.LogFileTables(), sink, counters), counters);
        var payloads = _stream.Payloads;
        var types = _stream.Types;
        for (var i = 0; i < payloads.Length; i++)
        {
            if (RecordParser.TryParseNetlink(types[i], payloads[i], out var record))
            {
                reassembler.OnRecord(record);
            }
        }

        reassembler.Flush();
        sink.Commit();
        return counters.EventsBuilt;
    }
}
