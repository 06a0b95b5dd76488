using System.Text;

namespace Vigil.Sql;

/// <summary>
/// One string per distinct short cell value. A scheduled <c>SELECT *</c> over event tables repeats the same short
/// values in most cells ("0", "", "execve", a path, a second's time), so a result of ten thousand rows holds a few
/// hundred strings for them instead of a quarter of a million. Bounded: past its capacity new values are not kept.
/// </summary>
public sealed class ShortStringPool
{
    /// <summary>The longest value, in UTF-8 bytes, that is pooled.</summary>
    public const int MaxBytes = 32;

    private const int Capacity = 8192;

    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> _lookup;

    /// <summary>An empty pool.</summary>
    public ShortStringPool() => _lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>Distinct values held.</summary>
    public int Count => _strings.Count;

    /// <summary>The UTF-8 <paramref name="utf8"/> as a string, decoded as <see cref="Encoding.UTF8"/> does; the pooled one when it is short.</summary>
    public string Get(ReadOnlySpan<byte> utf8)
    {
        if (utf8.Length > MaxBytes)
        {
            return Encoding.UTF8.GetString(utf8);
        }

        Span<char> chars = stackalloc char[MaxBytes];
        var length = Encoding.UTF8.GetChars(utf8, chars);
        if (_lookup.TryGetValue(chars[..length], out var pooled))
        {
            return pooled;
        }

        var value = new string(chars[..length]);
        if (_strings.Count < Capacity)
        {
            _strings.Add(value, value);
        }

        return value;
    }
}
