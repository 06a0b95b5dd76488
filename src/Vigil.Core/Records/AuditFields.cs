using System.Buffers.Text;

namespace Vigil.Records;

/// <summary>Look-ups of single fields in a record body, without allocating.</summary>
public static class AuditFields
{
    /// <summary>The raw value of the first field named <paramref name="key"/>, quotes included when quoted.</summary>
    public static bool TryGet(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> rawValue) =>
        new FieldReader(body).TryFind(key, out rawValue);

    /// <summary>A decimal field (pid, uid, exit, …); false when absent or not a number.</summary>
    public static bool TryGetInt64(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out long value)
    {
        value = 0;
        return TryGet(body, key, out var raw)
            && Utf8Parser.TryParse(raw, out value, out var consumed)
            && consumed == raw.Length;
    }

    /// <summary>A hexadecimal field without 0x (a0–a3, arch); false when absent or not hex.</summary>
    public static bool TryGetHex(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out ulong value)
    {
        value = 0;
        return TryGet(body, key, out var raw)
            && Utf8Parser.TryParse(raw, out value, out var consumed, 'x')
            && consumed == raw.Length;
    }

    /// <summary>
    /// The text inside a user-space record's <c>msg='…'</c> (<c>op=PAM:session_open acct="root" exe=… res=success</c>),
    /// which <see cref="TryGet"/> reads like a body of its own.
    /// </summary>
    public static bool TryGetUserMessage(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> message)
    {
        if (TryGet(body, "msg"u8, out var raw) && raw.Length >= 2 && raw[0] == (byte)'\'' && raw[^1] == (byte)'\'')
        {
            message = raw[1..^1];
            return true;
        }

        message = default;
        return false;
    }
}
