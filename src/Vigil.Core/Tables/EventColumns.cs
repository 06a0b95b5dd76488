using System.Text;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>Cells made from record fields, shared by the event tables' row builders.</summary>
internal static class EventColumns
{
    /// <summary>A decimal field, or NULL when absent (osquery returns NULL for a column it did not set).</summary>
    public static ColumnValue Integer(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key) =>
        AuditFields.TryGetInt64(body, key, out var value) ? ColumnValue.Of(value) : ColumnValue.Null;

    /// <summary>A decimal value already found in a body, or NULL when it was absent or is not a number.</summary>
    public static ColumnValue Integer(ReadOnlySpan<byte> rawValue) =>
        SyscallFields.TryParseInt64(rawValue, out var value) ? ColumnValue.Of(value) : ColumnValue.Null;

    /// <summary>A field's raw text, for values that are never encoded (octal modes, hex a0, addresses, terminals).</summary>
    public static ColumnValue Raw(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key) =>
        AuditFields.TryGet(body, key, out var value) ? ColumnValue.Of(Encoding.UTF8.GetString(value)) : ColumnValue.Null;

    /// <summary>A string field unquoted or hex-decoded (paths, exe) through <paramref name="texts"/>, empty when absent.</summary>
    public static string Decoded(ReadOnlySpan<byte> body, ReadOnlySpan<byte> key, DecodedTexts texts) =>
        AuditFields.TryGet(body, key, out var value) ? texts.Decode(value) : string.Empty;
}
