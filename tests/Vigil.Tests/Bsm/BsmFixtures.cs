using Vigil.Records;
using Vigil.Sources;

namespace Vigil.Tests.Bsm;

/// <summary>Reads trails into the records and malformed spans a reader delivers.</summary>
internal static class BsmFixtures
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Fixtures", "bsm", name);

    /// <summary>Every record <see cref="BsmTrailReader"/> delivers from <paramref name="trail"/>, read <paramref name="chunk"/> bytes at a time.</summary>
    public static Collected Read(byte[] trail, int chunk = int.MaxValue)
    {
        var sink = new Collected();
        using var reader = new BsmTrailReader(new ChunkedStream(trail, chunk), sink);
        while (reader.ReadChunk())
        {
        }

        sink.Count = reader.Count;
        return sink;
    }

    public sealed class Collected : IRecordSink
    {
        public List<byte[]> Records { get; } = [];

        public List<(long Seconds, int Milliseconds)> Times { get; } = [];

        public int Malformed { get; private set; }

        public long Count { get; set; }

        public void OnRecord(in AuditRecord record)
        {
            Records.Add(record.Body.ToArray());
            Times.Add((record.Seconds, record.Milliseconds));
        }

        public void OnMalformed(ReadOnlySpan<byte> raw) => Malformed++;
    }

    /// <summary>A stream handing out at most a few bytes per read, so records straddle reads.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
