namespace Vigil.Tables;

/// <summary>
/// A row as osquery's row map reads before its builder sets anything: a text column never set is '' and an integer
/// column is NULL (osquery's xColumn looks the name up with <c>operator[]</c>, which inserts an empty string, and an
/// empty string is NULL only for the integer types). Builders of osquery's tables start from it, so every column they
/// leave alone reads as it does in osquery, including the columns osquery declares for other platforms only.
/// </summary>
public static class OsqueryRow
{
    /// <summary>A new row of <paramref name="spec"/> with every column unset.</summary>
    public static ColumnValue[] Empty(TableSpec spec)
    {
        var row = new ColumnValue[spec.Columns.Count];
        for (var i = 0; i < row.Length; i++)
        {
            row[i] = spec.Columns[i].Type == ColumnType.Text ? ColumnValue.Of(string.Empty) : ColumnValue.Null;
        }

        return row;
    }

    /// <summary>
    /// An integer column's value from text as osquery casts it (<c>tryTo&lt;long&gt;(text, 0)</c>, i.e. std::stol): leading
    /// whitespace and a sign, then a number in the base its prefix gives (0x hexadecimal, 0 octal, else decimal), read
    /// as far as it goes ("08" is 0, "12ab" 12); NULL when no digit starts it or it does not fit.
    /// </summary>
    public static ColumnValue Integer(string text)
    {
        var span = text.AsSpan().TrimStart(" \t\n\v\f\r");
        var negative = false;
        if (span.Length > 0 && span[0] is '+' or '-')
        {
            negative = span[0] == '-';
            span = span[1..];
        }

        var radix = 10;
        if (span.Length > 1 && span[0] == '0' && span[1] is 'x' or 'X' && span.Length > 2 && Uri.IsHexDigit(span[2]))
        {
            radix = 16;
            span = span[2..];
        }
        else if (span.Length > 0 && span[0] == '0')
        {
            radix = 8;
        }

        ulong value = 0;
        var digits = 0;
        foreach (var c in span)
        {
            var digit = c is >= '0' and <= '9' ? c - '0' : c is >= 'a' and <= 'f' ? c - 'a' + 10 : c is >= 'A' and <= 'F' ? c - 'A' + 10 : radix;
            if (digit >= radix)
            {
                break;
            }

            if (value > (ulong.MaxValue - (ulong)digit) / (ulong)radix)
            {
                return ColumnValue.Null;
            }

            value = (value * (ulong)radix) + (ulong)digit;
            digits++;
        }

        if (digits == 0 || value > (negative ? (ulong)long.MaxValue + 1 : long.MaxValue))
        {
            return ColumnValue.Null;
        }

        return ColumnValue.Of(negative ? (long)(0 - value) : (long)value);
    }
}
