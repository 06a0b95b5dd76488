using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

            var wordEnd = IndexOfAny(text, position, (byte)' ', (byte)'=');
            if (wordEnd < 0)
            {
                position = text.Length;
                continue;
            }

            if (wordEnd == position || text[wordEnd] == (byte)' ')
            {
                // A bare word (or a stray '='): not a field.
                position = wordEnd + 1;
                continue;
            }

            var valueStart = wordEnd + 1;
            var valueEnd = ValueEnd(text, valueStart);
            Key = text[position..wordEnd];
            RawValue = text[valueStart..valueEnd];
            ValueOffset = valueStart;
            _position = valueEnd;
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

    // Where the value starting at start ends: after its closing quote (the text's end when unclosed), or at the next
    // space.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static int ValueEnd(ReadOnlySpan<byte> text, int start)
    {
        if (start >= text.Length)
        {
            return start;
        }

        var quote = text[start];
        if (quote == (byte)'"' || quote == (byte)'\'')
        {
            var close = IndexOfAny(text, start + 1, quote, quote);
            return close < 0 ? text.Length : close + 1;
        }

        var space = IndexOfAny(text, start, (byte)' ', (byte)' ');
        return space < 0 ? text.Length : space;
    }

    // The first of either byte from a position on, or -1. Keys and most values (a SYSCALL record's numbers) are a few
    // bytes, and the library's search cost more in its setup than in searching: this one, inlined, looks at 16 bytes
    // a step and at the last few one by one.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int IndexOfAny(ReadOnlySpan<byte> text, int from, byte first, byte second)
    {
        ref var start = ref MemoryMarshal.GetReference(text);
        for (; from <= text.Length - Vector128<byte>.Count; from += Vector128<byte>.Count)
        {
            var bytes = Vector128.LoadUnsafe(ref start, (nuint)from);
            var found = (Vector128.Equals(bytes, Vector128.Create(first)) | Vector128.Equals(bytes, Vector128.Create(second))).ExtractMostSignificantBits();
            if (found != 0)
            {
                return from + BitOperations.TrailingZeroCount(found);
            }
        }

        for (; from < text.Length; from++)
        {
            if (text[from] == first || text[from] == second)
            {
                return from;
            }
        }

        return -1;
    }
}
