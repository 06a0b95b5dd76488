using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;

namespace Vigil.Records;

/// <summary>Decodes the value encodings the kernel uses for untrusted strings.</summary>
public static class AuditValue
{
    /// <summary>Values up to this many bytes are decoded on the stack.</summary>
    private const int StackLimit = 512;

    /// <summary>
    /// A string value as text: a double-quoted value loses its quotes, an unquoted even-length hex value is
    /// decoded to UTF-8 (invalid sequences replaced), <c>(null)</c> becomes empty, anything else is returned as it is.
    /// </summary>
    public static string DecodeText(ReadOnlySpan<byte> rawValue)
    {
        if (IsQuoted(rawValue))
        {
            return Encoding.UTF8.GetString(rawValue[1..^1]);
        }

        if (rawValue.SequenceEqual("(null)"u8))
        {
            return string.Empty;
        }

        if (!IsHex(rawValue))
        {
            return Encoding.UTF8.GetString(rawValue);
        }

        var length = rawValue.Length / 2;
        byte[]? rented = null;
        var bytes = length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(length));
        try
        {
            TryDecodeHex(rawValue, bytes, out var written);
            return Encoding.UTF8.GetString(bytes[..written]);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// A PROCTITLE value as a command line: the process's argument area decoded, the NULs between arguments as
    /// spaces, trailing NULs dropped. The kernel records at most 128 bytes of it (MAX_PROCTITLE_AUDIT_LEN), and
    /// what a process wrote over its own argv.
    /// </summary>
    public static string DecodeProcessTitle(ReadOnlySpan<byte> rawValue)
    {
        byte[]? rented = null;
        var bytes = rawValue.Length <= StackLimit ? stackalloc byte[StackLimit] : (rented = ArrayPool<byte>.Shared.Rent(rawValue.Length));
        try
        {
            TryDecodeBytes(rawValue, bytes, out var written);
            var title = bytes[..written].TrimEnd((byte)0);
            title.Replace((byte)0, (byte)' ');
            return Encoding.UTF8.GetString(title);
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>
    /// The bytes a raw value stands for, written to <paramref name="destination"/>: quoted values without their
    /// quotes, hex values decoded, <c>(null)</c> as nothing, anything else as it is. False when it does not fit.
    /// </summary>
    public static bool TryDecodeBytes(ReadOnlySpan<byte> rawValue, Span<byte> destination, out int written)
    {
        written = 0;
        if (IsQuoted(rawValue))
        {
            rawValue = rawValue[1..^1];
        }
        else if (rawValue.SequenceEqual("(null)"u8))
        {
            return true;
        }
        else if (IsHex(rawValue))
        {
            return TryDecodeHex(rawValue, destination, out written);
        }

        if (!rawValue.TryCopyTo(destination))
        {
            return false;
        }

        written = rawValue.Length;
        return true;
    }

    /// <summary>
    /// Decodes hex digits (either case) into <paramref name="destination"/>; false for an odd length, a non-hex
    /// digit or a destination shorter than half the input.
    /// </summary>
    public static bool TryDecodeHex(ReadOnlySpan<byte> hex, Span<byte> destination, out int written)
    {
        written = 0;
        if ((hex.Length & 1) != 0 || destination.Length < hex.Length / 2)
        {
            return false;
        }

        for (var i = 0; i < hex.Length; i += 2)
        {
            var high = HexDigit(hex[i]);
            var low = HexDigit(hex[i + 1]);
            if ((high | low) < 0)
            {
                written = 0;
                return false;
            }

            destination[i / 2] = (byte)((high << 4) | low);
        }

        written = hex.Length / 2;
        return true;
    }

    /// <summary>Whether the value is non-empty, of even length and only hex digits: the kernel's encoding.</summary>
    public static bool IsHex(ReadOnlySpan<byte> value) =>
        !value.IsEmpty && (value.Length & 1) == 0 && !value.ContainsAnyExcept(HexDigits);

    /// <summary>A value without its surrounding double or single quotes; other values as they are.</summary>
    public static ReadOnlySpan<byte> Unquote(ReadOnlySpan<byte> rawValue) =>
        IsQuoted(rawValue) ? rawValue[1..^1] : rawValue;

    private static bool IsQuoted(ReadOnlySpan<byte> value) =>
        value.Length >= 2 && (value[0] == (byte)'"' || value[0] == (byte)'\'') && value[^1] == value[0];

    private static readonly SearchValues<byte> HexDigits = SearchValues.Create("0123456789ABCDEFabcdef"u8);

    // Inlined into the decoding loop: a call for each digit of a hex path or title showed in the row thread's profile.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static int HexDigit(byte c) => c switch
    {
        >= (byte)'0' and <= (byte)'9' => c - '0',
        >= (byte)'A' and <= (byte)'F' => c - 'A' + 10,
        >= (byte)'a' and <= (byte)'f' => c - 'a' + 10,
        _ => -1,
    };
}
