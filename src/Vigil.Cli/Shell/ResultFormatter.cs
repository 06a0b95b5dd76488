using Vigil.Sql;
using System.Text;

namespace Vigil.Cli.Shell;

/// <summary>Writes a <see cref="QueryResult"/> in one of the <see cref="OutputMode"/>s, byte for byte as osqueryi does.</summary>
/// <remarks>
/// Every mode prints SQL NULL as the empty string (osqueryi's default <c>--nullvalue</c>). Where osqueryi differs:
/// JSON keys follow the column order of the query (osqueryi sorts them, as its rows are maps), and a column name
/// that appears twice keeps both values. Widths count Unicode code points, as osqueryi's utf8StringSize does.
/// </remarks>
public static class ResultFormatter
{
    /// <summary>osqueryi's default separator, which its <c>--csv</c> keeps.</summary>
    /// <remarks>osqueryi's <c>.mode csv</c> switches to ','; here <c>--csv</c> and <c>.mode csv</c> print the same.</remarks>
    public const char CsvSeparator = '|';

    /// <summary>Writes <paramref name="result"/> to <paramref name="output"/>; a result without columns writes nothing.</summary>
    public static void Write(TextWriter output, QueryResult result, OutputMode mode)
    {
        if (result.Columns.Count == 0)
        {
            return;
        }

        switch (mode)
        {
            case OutputMode.Pretty:
                WritePretty(output, result);
                break;
            case OutputMode.Json:
                WriteJson(output, result);
                break;
            case OutputMode.Csv:
                WriteCsv(output, result);
                break;
            case OutputMode.Line:
                WriteLine(output, result);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mode), mode, null);
        }
    }

    private static void WritePretty(TextWriter output, QueryResult result)
    {
        if (result.Rows.Count == 0)
        {
            return;
        }

        var columns = result.Columns;
        var widths = new int[columns.Count];
        for (var c = 0; c < columns.Count; c++)
        {
            widths[c] = Width(columns[c]);
            foreach (var row in result.Rows)
            {
                widths[c] = Math.Max(widths[c], Width(row[c] ?? ""));
            }
        }

        var separator = new StringBuilder("+");
        foreach (var width in widths)
        {
            separator.Append('-', width + 2).Append('+');
        }

        separator.Append('\n');
        output.Write(separator);
        WritePrettyRow(output, columns, widths);
        output.Write(separator);
        foreach (var row in result.Rows)
        {
            WritePrettyRow(output, row, widths);
        }

        output.Write(separator);
    }

    private static void WritePrettyRow(TextWriter output, IReadOnlyList<string?> cells, int[] widths)
    {
        for (var c = 0; c < widths.Length; c++)
        {
            var cell = cells[c] ?? "";
            output.Write("| ");
            output.Write(cell);
            output.Write(new string(' ', widths[c] - Width(cell) + 1));
        }

        output.Write("|\n");
    }

    private static void WriteJson(TextWriter output, QueryResult result)
    {
        output.Write("[\n");
        for (var r = 0; r < result.Rows.Count; r++)
        {
            output.Write("  {");
            var row = result.Rows[r];
            for (var c = 0; c < result.Columns.Count; c++)
            {
                if (c > 0)
                {
                    output.Write(',');
                }

                WriteJsonString(output, result.Columns[c]);
                output.Write(':');
                WriteJsonString(output, row[c] ?? "");
            }

            output.Write(r < result.Rows.Count - 1 ? "},\n" : "}");
        }

        output.Write("\n]\n");
    }

    // Escapes as rapidjson's writer does for osqueryi: the two-character forms where JSON has them, \u00XX for the
    // other control characters, everything else (including non-ASCII) as is.
    private static void WriteJsonString(TextWriter output, string value)
    {
        output.Write('"');
        foreach (var ch in value)
        {
            switch (ch)
            {
                case '"':
                    output.Write("\\\"");
                    break;
                case '\\':
                    output.Write("\\\\");
                    break;
                case '\b':
                    output.Write("\\b");
                    break;
                case '\f':
                    output.Write("\\f");
                    break;
                case '\n':
                    output.Write("\\n");
                    break;
                case '\r':
                    output.Write("\\r");
                    break;
                case '\t':
                    output.Write("\\t");
                    break;
                case < ' ':
                    output.Write("\\u00");
                    output.Write(((int)ch).ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
                    break;
                default:
                    output.Write(ch);
                    break;
            }
        }

        output.Write('"');
    }

    private static void WriteCsv(TextWriter output, QueryResult result)
    {
        if (result.Rows.Count == 0)
        {
            return;
        }

        WriteCsvRow(output, result.Columns);
        foreach (var row in result.Rows)
        {
            WriteCsvRow(output, row);
        }
    }

    private static void WriteCsvRow(TextWriter output, IReadOnlyList<string?> cells)
    {
        for (var c = 0; c < cells.Count; c++)
        {
            if (c > 0)
            {
                output.Write(CsvSeparator);
            }

            WriteCsvField(output, cells[c]);
        }

        output.Write('\n');
    }

    // osqueryi (after SQLite's shell) quotes a field holding a control character, a space, a quote of either kind,
    // DEL, any non-ASCII character or the separator, and doubles the double quotes inside. The empty string is
    // quoted too (""), which tells it apart from NULL, written as nothing.
    private static void WriteCsvField(TextWriter output, string? value)
    {
        if (value is null)
        {
            return;
        }

        var quote = value.Length == 0;
        foreach (var ch in value)
        {
            if (ch <= ' ' || ch == '"' || ch == '\'' || ch >= '\x7f' || ch == CsvSeparator)
            {
                quote = true;
                break;
            }
        }

        if (!quote)
        {
            output.Write(value);
            return;
        }

        output.Write('"');
        output.Write(value.Replace("\"", "\"\"", StringComparison.Ordinal));
        output.Write('"');
    }

    private static void WriteLine(TextWriter output, QueryResult result)
    {
        var width = 5;
        foreach (var column in result.Columns)
        {
            width = Math.Max(width, Width(column));
        }

        for (var r = 0; r < result.Rows.Count; r++)
        {
            if (r > 0)
            {
                output.Write('\n');
            }

            var row = result.Rows[r];
            for (var c = 0; c < result.Columns.Count; c++)
            {
                var column = result.Columns[c];
                output.Write(new string(' ', width - Width(column)));
                output.Write(column);
                output.Write(" = ");
                output.Write(row[c] ?? "");
                output.Write('\n');
            }
        }
    }

    private static int Width(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
