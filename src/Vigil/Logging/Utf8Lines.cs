using System.Text;

namespace Vigil.Logging;

/// <summary>
/// Result lines held as UTF-8 in one buffer, each followed by a newline: the bytes the logs receive, in half the
/// memory of the strings (a scheduled SELECT * of 10 s of events at the maximum rate is some 10,000 lines).
/// </summary>
public sealed class Utf8Lines
{
    // A buffer grown past this for one large run is let go on Clear rather than kept for the life of the daemon.
    private const int RetainedBytes = 1024 * 1024;

    private byte[] _bytes = [];
    private int _length;

    /// <summary>The number of lines.</summary>
    public int Count { get; private set; }

    /// <summary>Every line, each followed by a newline.</summary>
    public ReadOnlySpan<byte> Bytes => _bytes.AsSpan(0, _length);

    /// <summary>Appends one line (which holds no newline: result lines are JSON, whose strings escape it).</summary>
    public void Add(string line)
    {
        var needed = _length + Encoding.UTF8.GetMaxByteCount(line.Length) + 1;
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, Math.Min(Array.MaxLength, _bytes.Length * 2)));
        }

        _length += Encoding.UTF8.GetBytes(line, _bytes.AsSpan(_length));
        _bytes[_length++] = (byte)'\n';
        Count++;
    }

    /// <summary>Appends every line of <paramref name="lines"/>.</summary>
    public void AddRange(IReadOnlyList<string> lines)
    {
        foreach (var line in lines)
        {
            Add(line);
        }
    }

    /// <summary>Appends every line of <paramref name="lines"/>.</summary>
    public void AddRange(Utf8Lines lines)
    {
        var needed = _length + lines._length;
        if (needed > _bytes.Length)
        {
            Array.Resize(ref _bytes, Math.Max(needed, Math.Min(Array.MaxLength, _bytes.Length * 2)));
        }

        lines.Bytes.CopyTo(_bytes.AsSpan(_length));
        _length = needed;
        Count += lines.Count;
    }

    /// <summary>Forgets every line.</summary>
    public void Clear()
    {
        _length = 0;
        Count = 0;
        if (_bytes.Length > RetainedBytes)
        {
            _bytes = [];
        }
    }

    /// <summary>The lines as strings, without their newlines.</summary>
    public List<string> ToStrings()
    {
        var lines = new List<string>(Count);
        var rest = Bytes;
        while (rest.Length > 0)
        {
            var end = rest.IndexOf((byte)'\n');
            lines.Add(Encoding.UTF8.GetString(rest[..end]));
            rest = rest[(end + 1)..];
        }

        return lines;
    }
}
