using BenchmarkDotNet.Attributes;
using Vigil.Records;

namespace Vigil.Benchmarks;

/// <summary>
/// Header parsing of netlink payloads plus the field look-ups every record gets (pid, uid, syscall); one operation is
/// one record, so records/s is 1 / Mean.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class RecordParsingBenchmarks
{
    private RecordedStream _stream = null!;

    /// <summary>Builds the stream.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _stream = RecordedStream.Build(StreamSize.Events);
        _stream.Expect(StreamSize.Records, StreamSize.Events);
    }

    /// <summary>The header alone (time, serial, body bounds), to tell its share from the look-ups'.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Records)]
    public long ParseHeaderOnly()
    {
        var payloads = _stream.Payloads;
        var types = _stream.Types;
        long sum = 0;
        for (var i = 0; i < payloads.Length; i++)
        {
            if (RecordParser.TryParseNetlink(types[i], payloads[i], out var record))
            {
                sum += record.Serial + record.Body.Length;
            }
        }

        return sum;
    }

    /// <summary>Parses every record of the stream and looks up three fields in its body.</summary>
    [Benchmark(OperationsPerInvoke = StreamSize.Records)]
    public long ParseAndLookUp()
    {
        var payloads = _stream.Payloads;
        var types = _stream.Types;
        long sum = 0;
        for (var i = 0; i < payloads.Length; i++)
        {
            if (!RecordParser.TryParseNetlink(types[i], payloads[i], out var record))
            {
                continue;
            }

            sum += record.Serial;
            if (AuditFields.TryGetInt64(record.Body, "pid"u8, out var pid))
            {
                sum += pid;
            }

            if (AuditFields.TryGetInt64(record.Body, "uid"u8, out var uid))
            {
                sum += uid;
            }

            if (AuditFields.TryGet(record.Body, "syscall"u8, out var syscall))
            {
                sum += syscall.Length;
            }
        }

        return sum;
    }
}
