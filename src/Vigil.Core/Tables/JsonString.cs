using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vigil.Tables;

/// <summary>
/// The one JSON string escaper (see <c>Logging/JsonText</c>, which writes the rest of the JSON): rapidjson's
/// <c>WriteString</c>, only the quote, the backslash and the control characters below 0x20 escaped. It sits below the
/// logs so that a table's JSON column (bpf_process_events.json_cmdline) is escaped as the result logs are.
/// </summary>
public static class JsonString
{
    // Longer strings are encoded into a rented array rather than on the stack.
    private const int StackEncodedChars = 256;

    private static readonly SearchValues<byte> Escaped = SearchValues.Create(
        "\0\u0001\u0002\u0003\u0004\u0005\u0006\u0007\b\t\n\u000b\f\r\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\"\\"u8);

    /// <summary>
    /// Appends <paramref name="utf8"/> quoted and escaped. Its other bytes are copied as they are, as rapidjson copies
    /// them without validating. Vigil's text reaches here as valid UTF-8: <c>QueryRow</c> replaces an invalid
    /// sequence from SQLite with U+FFFD as <see cref="Encoding.UTF8"/> decoding does, where osquery would copy the
    /// bytes and write a line that is not valid JSON.
    /// </summary>
    public static void String(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> utf8) => String(output, default, utf8);

    /// <summary>
    /// Appends <paramref name="prefix"/> as it is (a member's name with its colon, written once by the caller), then
    /// <paramref name="utf8"/> as <see cref="String(ArrayBufferWriter{byte}, ReadOnlySpan{byte})"/> does.
    /// </summary>
    public static void String(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> utf8)
    {
        // Most values need no escape: they are written in one piece with the prefix, as the writer's checks per write
        // showed in the shell's profile.
        var next = utf8.IndexOfAny(Escaped);
        if (next < 0)
        {
            var quoted = output.GetSpan(prefix.Length + utf8.Length + 2);
            prefix.CopyTo(quoted);
            quoted[prefix.Length] = (byte)'"';
            utf8.CopyTo(quoted[(prefix.Length + 1)..]);
            quoted[prefix.Length + utf8.Length + 1] = (byte)'"';
            output.Advance(prefix.Length + utf8.Length + 2);
            return;
        }

        output.Write(prefix);
        output.Write("\""u8);
        do
        {
            output.Write(utf8[..next]);
            var c = utf8[next];
            var named = c switch
            {
                (byte)'"' => "\\\""u8,
                (byte)'\\' => "\\\\"u8,
                (byte)'\b' => "\\b"u8,
                (byte)'\t' => "\\t"u8,
                (byte)'\n' => "\\n"u8,
                (byte)'\f' => "\\f"u8,
                (byte)'\r' => "\\r"u8,
                _ => default,
            };
            if (named.IsEmpty)
            {
                output.Write([(byte)'\\', (byte)'u', (byte)'0', (byte)'0', HexDigit(c >> 4), HexDigit(c & 0xF)]);
            }
            else
            {
                output.Write(named);
            }

            utf8 = utf8[(next + 1)..];
        }
        while ((next = utf8.IndexOfAny(Escaped)) >= 0);

        output.Write(utf8);
        output.Write("\""u8);
    }

    // The stack buffer is written before it is read, and zeroing it for every value showed in the daemon's profile.

    /// <summary>Appends <paramref name="value"/> in UTF-8 (a lone surrogate as U+FFFD), quoted and escaped.</summary>
    [SkipLocalsInit]
    public static void String(ArrayBufferWriter<byte> output, string value)
    {
        if (value.Length <= StackEncodedChars)
        {
            Span<byte> utf8 = stackalloc byte[Encoding.UTF8.GetMaxByteCount(StackEncodedChars)];
            String(output, utf8[..Encoding.UTF8.GetBytes(value, utf8)]);
            return;
        }

        var rented = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(value.Length));
        String(output, rented.AsSpan(0, Encoding.UTF8.GetBytes(value, rented)));
        ArrayPool<byte>.Shared.Return(rented);
    }

    private static byte HexDigit(int value) => (byte)"0123456789ABCDEF"[value];
}
