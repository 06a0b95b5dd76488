using BenchmarkDotNet.Attributes;
using Vigil.Events;
using Vigil.Records;

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

    /// <summary>A fresh reassembler (the serials repeat between invocations) fed every record, then flushed.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Records)]
    public long Reassemble()
    {
        var sink = new NullEventSink();
        var reassembler = new Reassembler(sink, new IngestCounters());
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
        return sink.Events;
    }
}
