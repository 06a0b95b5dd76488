using System.Buffers.Binary;

namespace Vigil.Bsm;

/// <summary>
/// Big-endian reads through a record's tokens. A read past the end returns zero or empty and sets <see cref="Failed"/>
/// for good, so a token is read whole and checked once instead of after every field.
/// </summary>
internal ref struct BsmCursor(ReadOnlySpan<byte> bytes)
{
    private readonly ReadOnlySpan<byte> _bytes = bytes;
    private int _position;

    /// <summary>A read ran past the end; every later read returns zero or empty.</summary>
    public bool Failed { get; private set; }

    public readonly bool AtEnd => Failed || _position == _bytes.Length;

    public byte ReadByte() => Take(1) is [var value] ? value : (byte)0;

    public ushort ReadUInt16() => Take(2) is { Length: 2 } bytes ? BinaryPrimitives.ReadUInt16BigEndian(bytes) : (ushort)0;

    public uint ReadUInt32() => Take(4) is { Length: 4 } bytes ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : 0;

    public int ReadInt32() => (int)ReadUInt32();

    public ulong ReadUInt64() => Take(8) is { Length: 8 } bytes ? BinaryPrimitives.ReadUInt64BigEndian(bytes) : 0;

    public ReadOnlySpan<byte> ReadBytes(int count) => Take(count);

    public void Skip(int count) => Take(count);

    /// <summary>An address of the given AU_IPv4/AU_IPv6 type; any other type is a damaged token.</summary>
    public ReadOnlySpan<byte> ReadAddress(int type)
    {
        if (type is not (BsmTokenId.AddressIPv4 or BsmTokenId.AddressIPv6))
        {
            Failed = true;
            return default;
        }

        return Take(type);
    }

    /// <summary>A 2-byte length and that many bytes (the NUL included, as path, text and zonename tokens count it), without the NUL.</summary>
    public ReadOnlySpan<byte> ReadCountedText()
    {
        var text = Take(ReadUInt16());
        return text.EndsWith((byte)0) ? text[..^1] : text;
    }

    /// <summary>Text up to its NUL within the next <paramref name="max"/> bytes (or the rest), the NUL consumed.</summary>
    public ReadOnlySpan<byte> ReadTextWithin(int max)
    {
        var window = _bytes[Math.Min(_position, _bytes.Length)..];
        window = window[..Math.Min(window.Length, max)];
        var end = window.IndexOf((byte)0);
        var text = Take(end < 0 ? window.Length : end + 1);
        return end < 0 ? text : text[..^1];
    }

    /// <summary>
    /// A 4-byte count and that many NUL-terminated strings (exec args and env tokens); returns the count and gives
    /// the strings with their NULs. A count the bytes cannot hold is a damaged token.
    /// </summary>
    public int ReadStrings(out ReadOnlySpan<byte> strings)
    {
        var count = ReadUInt32();
        var start = _position;
        strings = default;
        for (var i = 0u; i < count && !Failed; i++)
        {
            var end = _position < _bytes.Length ? _bytes[_position..].IndexOf((byte)0) : -1;
            if (end < 0)
            {
                Failed = true;
                return 0;
            }

            _position += end + 1;
        }

        if (Failed)
        {
            return 0;
        }

        strings = _bytes[start.._position];
        return (int)count;
    }

    private ReadOnlySpan<byte> Take(int count)
    {
        if (Failed || count < 0 || count > _bytes.Length - _position)
        {
            Failed = true;
            return default;
        }

        var taken = _bytes.Slice(_position, count);
        _position += count;
        return taken;
    }
}
