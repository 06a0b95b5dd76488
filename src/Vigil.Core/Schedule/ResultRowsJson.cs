using System.Buffers;
using System.Text;
using System.Text.Json;
using Vigil.Logging;
using Vigil.Sql;

namespace Vigil.Schedule;

/// <summary>Rows as a JSON array of string-valued objects, the form osquery stores previous results in; for persistent <see cref="IResultStore"/>s.</summary>
public static class ResultRowsJson
{
    /// <summary>Writes rows as <c>[{"col":"value",…},…]</c>.</summary>
    public static string Serialize(IReadOnlyList<ResultRow> rows)
    {
        var json = new ArrayBufferWriter<byte>();
        JsonText.Rows(json, rows);
        return Encoding.UTF8.GetString(json.WrittenSpan);
    }

    /// <summary>Reads rows written by <see cref="Serialize"/>.</summary>
    /// <exception cref="JsonException">The text is not an array of objects of strings.</exception>
    public static List<ResultRow> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var rows = new List<ResultRow>();
        foreach (var row in doc.RootElement.EnumerateArray())
        {
            var cells = new List<KeyValuePair<string, string>>();
            foreach (var cell in row.EnumerateObject())
            {
                if (cell.Value.ValueKind != JsonValueKind.String)
                {
                    throw new JsonException($"Column {cell.Name} is not a string.");
                }

                cells.Add(new(cell.Name, cell.Value.GetString()!));
            }

            rows.Add(ResultRow.From(cells));
        }

        return rows;
    }
}
