using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using Vigil.Sql;
using Vigil.Tables;

namespace Vigil.Logging;

/// <summary>
/// JSON written as UTF-8 the way osquery's rapidjson <c>Writer</c> prints it (rapidjson/writer.h <c>WriteString</c>;
/// osquery's <c>JSON::toString</c> sets no write flags): compact, and in strings only the quote, the backslash and the
/// control characters below 0x20 escaped, <c>\b \t \n \f \r</c> by name and the others as <c>\u00XX</c> with
/// upper-case digits. '/', DEL and non-ASCII text are written as they are. The one escaper of the result logs, the
/// saved differential state and the shell's <c>--json</c>.
/// </summary>
public static class JsonText
{
    // long.MinValue's twenty characters and two quotes.
    private const int MaxQuotedInt64 = 22;

    /// <summary>Appends <paramref name="utf8"/> quoted and escaped (<see cref="JsonString"/>).</summary>
    public static void String(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> utf8) => JsonString.String(output, utf8);

    /// <summary>Appends <paramref name="prefix"/> as it is, then <paramref name="utf8"/> quoted and escaped (<see cref="JsonString"/>).</summary>
    public static void String(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> utf8) =>
        JsonString.String(output, prefix, utf8);

    /// <summary>Appends <paramref name="value"/> in UTF-8, quoted and escaped (<see cref="JsonString"/>).</summary>
    public static void String(ArrayBufferWriter<byte> output, string value) => JsonString.String(output, value);

    /// <summary>Appends an integer.</summary>
    public static void Number<T>(ArrayBufferWriter<byte> output, T value)
        where T : IBinaryInteger<T>
    {
        value.TryFormat(output.GetSpan(20), out var written, default, CultureInfo.InvariantCulture);
        output.Advance(written);
    }

    /// <summary>
    /// Appends <paramref name="prefix"/> as it is, then <paramref name="value"/> as a quoted string (osquery's cells are
    /// strings), formatted in place: its digits need no look for characters to escape.
    /// </summary>
    public static void QuotedNumber(ArrayBufferWriter<byte> output, ReadOnlySpan<byte> prefix, long value)
    {
        var span = output.GetSpan(prefix.Length + MaxQuotedInt64);
        prefix.CopyTo(span);
        span[prefix.Length] = (byte)'"';
        value.TryFormat(span[(prefix.Length + 1)..], out var written, default, CultureInfo.InvariantCulture);
        span[prefix.Length + 1 + written] = (byte)'"';
        output.Advance(prefix.Length + written + 2);
    }

    /// <summary>Appends <c>"name":</c>, preceded by a comma unless it is the first member.</summary>
    public static void Name(ArrayBufferWriter<byte> output, string name, ref bool first)
    {
        if (!first)
        {
            output.Write(","u8);
        }

        first = false;
        String(output, name);
        output.Write(":"u8);
    }

    /// <summary>Appends a row as an object of string members in its (name) order, the names from <paramref name="names"/>.</summary>
    public static void Row(ArrayBufferWriter<byte> output, ResultRow row, MemberNames names)
    {
        output.Write("{"u8);
        var cells = row.Cells;
        for (var i = 0; i < cells.Length; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            output.Write(names.Get(i, cells[i].Key));
            String(output, cells[i].Value);
        }

        output.Write("}"u8);
    }

    /// <summary>Appends rows as an array of objects.</summary>
    public static void Rows(ArrayBufferWriter<byte> output, IReadOnlyList<ResultRow> rows)
    {
        var names = new MemberNames();
        output.Write("["u8);
        for (var i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                output.Write(","u8);
            }

            Row(output, rows[i], names);
        }

        output.Write("]"u8);
    }

    /// <summary>
    /// The member names of a result's rows, each written as <c>"name":</c> once: the rows of one result share their
    /// column name strings (<see cref="ColumnOrder"/>), so a name is escaped and encoded once per position, not once per
    /// cell.
    /// </summary>
    public sealed class MemberNames
    {
        private readonly List<KeyValuePair<string, byte[]>> _names = [];

        /// <summary><c>"name":</c> for the member at <paramref name="position"/>.</summary>
        public ReadOnlySpan<byte> Get(int position, string name)
        {
            if (position < _names.Count && ReferenceEquals(_names[position].Key, name))
            {
                return _names[position].Value;
            }

            var encoded = new ArrayBufferWriter<byte>(name.Length + 3);
            String(encoded, name);
            encoded.Write(":"u8);
            var entry = new KeyValuePair<string, byte[]>(name, encoded.WrittenSpan.ToArray());
            if (position < _names.Count)
            {
                _names[position] = entry;
            }
            else
            {
                _names.Add(entry);
            }

            return entry.Value;
        }
    }
}
