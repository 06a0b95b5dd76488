using System.Runtime.CompilerServices;

namespace Vigil.Records;

/// <summary>
/// Reads the <c>key=value</c> fields of a record body in order, without allocating. A value is double-quoted
/// (may hold spaces), single-quoted (a user record's <c>msg='…'</c>, itself holding fields) or bare up to the
/// next space. Words without <c>=</c> (free text such as an AVC's <c>denied { read }</c>) are skipped.
/// </summary>
public ref struct FieldReader
{
    private readonly ReadOnlySpan<byte> _text;
    private int _position;

    /// <summary>A reader positioned before the first field of <paramref name="text"/>.</summary>
    public FieldReader(ReadOnlySpan<byte> text)
    {
        _text = text;
        _position = 0;
    }

    /// <summary>The current field's key.</summary>
    public ReadOnlySpan<byte> Key { get; private set; }

    /// <summary>The current field's value as written, quotes included.</summary>
    public ReadOnlySpan<byte> RawValue { get; private set; }

    /// <summary>Where the current value starts in the text, so a caller can keep a range instead of a span.</summary>
    public int ValueOffset { get; private set; }

    /// <summary>The current value without its surrounding quotes (a bare value as it is).</summary>
    public readonly ReadOnlySpan<byte> Value => AuditValue.Unquote(RawValue);

    /// <summary>Moves to the next field; false at the end of the text.</summary>
    // Inlined into the loops that read a body's fields (two dozen in a SYSCALL record): the call, its saved registers
    // and the reader's state written back each time were a tenth of a log-file scan's row thread.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool TryReadNext()
    {
        var text = _text;
        var position = _position;
        while (true)
        {
            while ((uint)position < (uint)text.Length && text[position] == (byte)' ')
            {
                position++;
            }

            if (position >= text.Length)
            {
                _position = position;
                Key = default;
                RawValue = default;
                return false;
            }

            var rest = text[position..];
            var wordEnd = rest.IndexOfAny((byte)' ', (byte)'=');
            if (wordEnd <= 0 || rest[wordEnd] == (byte)' ')
            {
                // A bare word (or a stray '='): not a field.
                position += wordEnd < 0 ? rest.Length : wordEnd + 1;
                continue;
            }

            Key = rest[..wordEnd];
            var value = rest[(wordEnd + 1)..];
            var length = ValueLength(value);
            RawValue = value[..length];
            ValueOffset = position + wordEnd + 1;
            _position = position + wordEnd + 1 + length;
            return true;
        }
    }

    /// <summary>The value of the first field named <paramref name="key"/> after the current position.</summary>
    public bool TryFind(ReadOnlySpan<byte> key, out ReadOnlySpan<byte> rawValue)
    {
        while (TryReadNext())
        {
            if (Key.SequenceEqual(key))
            {
                rawValue = RawValue;
                return true;
            }
        }

        rawValue = default;
        return false;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int ValueLength(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty)
        {
            return 0;
        }

        var quote = value[0];
        if (quote == (byte)'"' || quote == (byte)'\'')
        {
            var close = value[1..].IndexOf(quote);
            return close < 0 ? value.Length : close + 2;
        }

        var space = value.IndexOf((byte)' ');
        return space < 0 ? value.Length : space;
    }
}
