using System.Text;

namespace Vigil.Logging;

/// <summary>
/// Result lines held as UTF-8, each followed by a newline: the bytes the logs receive, in half the memory of the
/// strings (a scheduled SELECT * of 10 s of events at the maximum rate is some 10,000 lines). The bytes are kept in
/// chunks that never change once written and never split a line, so lines appended from another instance are shared
/// rather than copied, and a large run never regrows one array (which held the old and the new copy at once).
/// </summary>
public sealed class Utf8Lines
{
    // Under the 85,000 bytes at which an array goes to the large object heap, which only a full collection reclaims.
    private const int MaxSegmentBytes = 64 * 1024;
    private const int MinSegmentBytes = 4 * 1024;

    private readonly List<ReadOnlyMemory<byte>> _chunks = [];
    private byte[]? _segment;
    private int _segmentUsed;

    /// <summary>The number of lines.</summary>
    public int Count { get; private set; }

    /// <summary>The number of bytes, newlines included.</summary>
    public long Length { get; private set; }

    /// <summary>Every line in order, each followed by a newline, in chunks that each hold whole lines.</summary>
    public IReadOnlyList<ReadOnlyMemory<byte>> Chunks
    {
        get
        {
            Seal();
            return _chunks;
        }
    }

    /// <summary>Appends one line (which holds no newline: result lines are JSON, whose strings escape it).</summary>
    public void Add(ReadOnlySpan<byte> line)
    {
        if (!TryCopy(line))
        {
            Seal();
            _segment = new byte[NextSegmentBytes()];
            if (!TryCopy(line))
            {
                // A line longer than a segment (a huge command line) gets an array of its own.
                var bytes = new byte[line.Length + 1];
                line.CopyTo(bytes);
                bytes[^1] = (byte)'\n';
                _chunks.Add(bytes);
                Length += bytes.Length;
            }
        }

        Count++;
    }

    /// <summary>Appends every line of <paramref name="lines"/>, sharing its bytes (neither copy changes them later).</summary>
    public void AddRange(Utf8Lines lines)
    {
        Seal();
        _chunks.AddRange(lines.Chunks);
        Count += lines.Count;
        Length += lines.Length;
    }

    /// <summary>Forgets every line.</summary>
    public void Clear()
    {
        _chunks.Clear();
        _segment = null;
        _segmentUsed = 0;
        Count = 0;
        Length = 0;
    }

    /// <summary>The lines as strings, without their newlines.</summary>
    public List<string> ToStrings()
    {
        var lines = new List<string>(Count);
        foreach (var line in Lines())
        {
            lines.Add(Encoding.UTF8.GetString(line.Span));
        }

        return lines;
    }

    /// <summary>Each line's bytes without its newline, in order, sharing the chunks' memory.</summary>
    public IEnumerable<ReadOnlyMemory<byte>> Lines()
    {
        foreach (var chunk in Chunks)
        {
            var rest = chunk;
            while (rest.Length > 0)
            {
                var end = rest.Span.IndexOf((byte)'\n');
                yield return rest[..end];
                rest = rest[(end + 1)..];
            }
        }
    }

    /// <summary>Every byte in one array.</summary>
    public byte[] ToArray()
    {
        var bytes = new byte[Length];
        var at = 0;
        foreach (var chunk in Chunks)
        {
            chunk.Span.CopyTo(bytes.AsSpan(at));
            at += chunk.Length;
        }

        return bytes;
    }

    private bool TryCopy(ReadOnlySpan<byte> line)
    {
        if (_segment is null || line.Length >= _segment.Length - _segmentUsed)
        {
            return false;
        }

        line.CopyTo(_segment.AsSpan(_segmentUsed));
        _segmentUsed += line.Length;
        _segment[_segmentUsed++] = (byte)'\n';
        Length += line.Length + 1;
        return true;
    }

    // Small runs (most of them) take a small array; a large one grows to full segments.
    private int NextSegmentBytes() => Math.Min(MaxSegmentBytes, Math.Max(MinSegmentBytes, (int)Math.Min(Length, MaxSegmentBytes)));

    // The segment's bytes so far become a chunk that is never written again; the next line starts a new segment.
    private void Seal()
    {
        if (_segment is not null && _segmentUsed > 0)
        {
            _chunks.Add(_segment.AsMemory(0, _segmentUsed));
        }

        _segment = null;
        _segmentUsed = 0;
    }
}
