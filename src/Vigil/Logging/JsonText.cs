using System.Text;

namespace Vigil.Logging;

/// <summary>
/// Appends JSON tokens to a <see cref="StringBuilder"/> the way osquery's rapidjson <c>Writer</c> prints them: compact, strings
/// escaped only where JSON requires (quote, backslash, control characters), non-ASCII written as is.
/// </summary>
internal static class JsonText
{
    private const string HexDigits = "0123456789ABCDEF";

    /// <summary>Appends a quoted, escaped string.</summary>
    public static void String(StringBuilder sb, string value)
    {
        sb.Append('"');
        int start = 0;
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c >= 0x20 && c != '"' && c != '\\')
            {
                continue;
            }

            sb.Append(value, start, i - start);
            start = i + 1;
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    sb.Append("\\u00").Append(HexDigits[c >> 4]).Append(HexDigits[c & 0xF]);
                    break;
            }
        }

        sb.Append(value, start, value.Length - start).Append('"');
    }

    /// <summary>Appends <c>"name":</c>, preceded by a comma unless it is the first member.</summary>
    public static void Name(StringBuilder sb, string name, ref bool first)
    {
        if (!first)
        {
            sb.Append(',');
        }

        first = false;
        String(sb, name);
        sb.Append(':');
    }

    /// <summary>Appends a row as an object of string members in column order.</summary>
    public static void Row(StringBuilder sb, Schedule.ResultRow row)
    {
        sb.Append('{');
        bool first = true;
        foreach (var cell in row.Cells)
        {
            Name(sb, cell.Key, ref first);
            String(sb, cell.Value);
        }

        sb.Append('}');
    }

    /// <summary>Appends rows as an array of objects.</summary>
    public static void Rows(StringBuilder sb, IReadOnlyList<Schedule.ResultRow> rows)
    {
        sb.Append('[');
        for (int i = 0; i < rows.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            Row(sb, rows[i]);
        }

        sb.Append(']');
    }
}
