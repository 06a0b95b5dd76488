using BenchmarkDotNet.Attributes;
using Vigil.Pipeline;

namespace Vigil.Benchmarks;

/// <summary>The recorded stream parsed and reassembled into events delivered to a null sink; one operation is one record.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class ReassemblyBenchmarks
{
    private RecordedStream _stream = null!;

    /// <summary>Builds the stream.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _stream = RecordedStream.Build(StreamSize.Events);
        _stream.Expect(StreamSize.Records, StreamSize.Events);
    }

    /// <summary>A fresh replay (the serials repeat between invocations) fed every record, then flushed.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Records)]
    public long Reassemble()
    {
        var sink = new NullEventSink();
        var replay = new Replay(sink);
        _stream.Feed(replay);
        replay.Flush();
        return sink.Events;
    }
}
