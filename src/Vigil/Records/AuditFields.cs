namespace Vigil.Records;

/// <summary>Look-ups of single fields in a record body, without allocating.</summary>
public static class AuditFields
{
    /// <summary>The raw value of the first field named <paramref name="key"/>, quotes included when quoted.</summary>
    public static bool TryGet(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> rawValue) =>
        throw new NotImplementedException();

    /// <summary>A decimal field (pid, uid, exit, …); false when absent or not a number.</summary>
    public static bool TryGetInt64(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out long value) =>
        throw new NotImplementedException();

    /// <summary>A hexadecimal field without 0x (a0–a3, arch); false when absent or not hex.</summary>
    public static bool TryGetHex(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, out ulong value) =>
        throw new NotImplementedException();
}
