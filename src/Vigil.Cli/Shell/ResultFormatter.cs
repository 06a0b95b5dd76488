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

        if (mode == OutputMode.Pretty)
        {
            WritePretty(output, result);
            return;
        }

        var writer = new ResultWriter(output, mode);
        writer.Begin(result.Columns);
        foreach (var row in result.Rows)
        {
            writer.Row(new QueryRow(row));
        }

        writer.End();
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

    /// <summary>The width of a text on a terminal, counted in code points as osqueryi counts it.</summary>
    internal static int Width(string text)
    {
        var count = 0;
        foreach (var _ in text.EnumerateRunes())
        {
            count++;
        }

        return count;
    }
}
