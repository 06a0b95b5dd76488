namespace Vigil.Records;

/// <summary>Decodes the value encodings the kernel uses for untrusted strings.</summary>
public static class AuditValue
{
    /// <summary>
    /// A string value as text: a double-quoted value loses its quotes, an unquoted even-length hex value is
    /// decoded to UTF-8, <c>(null)</c> becomes empty, anything else is returned as it is.
    /// </summary>
    public static string DecodeText(ReadOnlySpan<byte> rawValue) => throw new NotImplementedException();
}
