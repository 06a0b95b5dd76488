using BenchmarkDotNet.Attributes;
using Vigil.Flags;
using Vigil.Pipeline;
using Vigil.Tables;

namespace Vigil.Benchmarks;

/// <summary>
/// Rows into a temporary event store through <see cref="StoreRowSink"/> (commits every 8192 rows, then at the end), and
/// the whole ingest path: netlink payloads parsed, reassembled, routed to every table and stored. The store grows across
/// iterations, as a running agent's does. Each is measured over the recorded stream (<see cref="StreamSize"/>, whose
/// bytes are mostly two very large exec events) and, labelled Typical, over a stream of small execs, connects and logins.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class StoreInsertBenchmarks
{
    private const int InsertedRows = 10_000;

    private readonly IngestOptions _options = IngestOptions.FromFlags(Vigil.Flags.FlagValues.Defaults);
    private RecordedStream _stream = null!;
    private RecordedStream _typicalStream = null!;
    private (TableSpec Table, ColumnValue[] Row)[] _rows = [];
    private (TableSpec Table, ColumnValue[] Row)[] _typicalRows = [];
    private TemporaryStore _store = null!;

    /// <summary>Builds the streams, their rows once, and an empty store.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _stream = RecordedStream.Build(StreamSize.Events);
        _stream.Expect(StreamSize.Records, StreamSize.Events);
        _typicalStream = RecordedStream.BuildTypical(StreamSize.TypicalEvents);
        _typicalStream.Expect(StreamSize.TypicalRecords, StreamSize.TypicalEvents);
        _rows = BuildRows(_stream);
        _typicalRows = BuildRows(_typicalStream);
        _store = new TemporaryStore();
    }

    /// <summary>Deletes the store.</summary>
    [GlobalCleanup]
    public void Cleanup() => _store.Dispose();

    /// <summary>10,000 prebuilt rows (process, socket and user events in recorded proportion); one operation is one row.</summary>
    [Benchmark(OperationsPerInvoke = InsertedRows)]
    public long InsertRows() => Insert(_rows);

    /// <summary>10,000 prebuilt rows of the typical stream; one operation is one row.</summary>
    [Benchmark(OperationsPerInvoke = InsertedRows)]
    public long InsertTypicalRows() => Insert(_typicalRows);

    /// <summary>The recorded stream from netlink payloads to stored rows; one operation is one event.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Events)]
    public long EndToEnd() => Ingest(_stream);

    /// <summary>The typical stream from netlink payloads to stored rows; one operation is one event.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.TypicalEvents)]
    public long EndToEndTypical() => Ingest(_typicalStream);

    private (TableSpec Table, ColumnValue[] Row)[] BuildRows(RecordedStream stream)
    {
        var captured = new CapturedRows();
        var replay = Replay.ToRows(_options.LogFileTables(), captured);
        stream.Feed(replay);
        replay.Flush();
        return [.. captured.Rows];
    }

    private long Insert((TableSpec Table, ColumnValue[] Row)[] rows)
    {
        var sink = new StoreRowSink(_store.Store.Writer);
        for (var i = 0; i < InsertedRows; i++)
        {
            var (table, row) = rows[i % rows.Length];
            sink.Write(table, row);
        }

        sink.Commit();
        return _store.Store.Writer.Committed;
    }

    private long Ingest(RecordedStream stream)
    {
        var sink = new StoreRowSink(_store.Store.Writer);
        var replay = Replay.ToRows(_options.LogFileTables(), sink);
        stream.Feed(replay);
        replay.Flush();
        sink.Commit();
        return replay.Counters.EventsBuilt;
    }
}
