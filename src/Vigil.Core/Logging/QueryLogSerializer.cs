using System.Buffers;
using Vigil.Sql;

namespace Vigil.Logging;

/// <summary>
/// Writes query log items in osquery's JSON shapes (osquery/core/query.cpp), member for member in osquery's order,
/// with <c>--logger_numerics=false</c> (every column value a string), each line encoded as it is made.
/// </summary>
public static class QueryLogSerializer
{
    /// <summary>
    /// The batch form (<c>--logger_event_type=false</c>, and snapshots by default): one line per run,
    /// <c>{"diffResults":{"removed":[…],"added":[…]},"name":…,…}</c> or <c>{"snapshot":[…],"action":"snapshot","name":…,…}</c>.
    /// </summary>
    public static void SerializeBatch(QueryLogItem item, bool decorationsTopLevel, Utf8Lines lines)
    {
        var line = new ArrayBufferWriter<byte>(256);
        line.Write("{"u8);
        var first = true;
        if (!item.IsSnapshot)
        {
            JsonText.Name(line, "diffResults", ref first);
            line.Write("{\"removed\":"u8);
            JsonText.Rows(line, item.Diff.Removed);
            line.Write(",\"added\":"u8);
            JsonText.Rows(line, item.Diff.Added);
            line.Write("}"u8);
        }
        else
        {
            JsonText.Name(line, "snapshot", ref first);
            JsonText.Rows(line, item.Snapshot);
            JsonText.Name(line, "action", ref first);
            JsonText.String(line, "snapshot"u8);
        }

        WriteLegacyFieldsAndDecorations(line, item, decorationsTopLevel, ref first);
        line.Write("}"u8);
        lines.Add(line.WrittenSpan);
    }

    /// <summary>
    /// The event form (<c>--logger_event_type=true</c>, and snapshots with <c>--logger_snapshot_event_type</c>): one line per row,
    /// removed rows first, then added rows (or snapshot rows), each with its <c>columns</c> and <c>action</c>.
    /// </summary>
    public static void SerializeEvents(QueryLogItem item, bool decorationsTopLevel, Utf8Lines lines)
    {
        // Every line of an item starts with the same members: they are written once.
        var line = new ArrayBufferWriter<byte>(256);
        line.Write("{"u8);
        var first = true;
        WriteLegacyFieldsAndDecorations(line, item, decorationsTopLevel, ref first);
        JsonText.Name(line, "columns", ref first);
        var start = line.WrittenSpan.ToArray();
        var names = new JsonText.MemberNames();
        if (item.IsSnapshot)
        {
            WriteEvents(line, lines, start, names, item.Snapshot, ",\"action\":\"snapshot\"}"u8);
        }
        else
        {
            WriteEvents(line, lines, start, names, item.Diff.Removed, ",\"action\":\"removed\"}"u8);
            WriteEvents(line, lines, start, names, item.Diff.Added, ",\"action\":\"added\"}"u8);
        }
    }

    private static void WriteEvents(
        ArrayBufferWriter<byte> line, Utf8Lines lines, byte[] start, JsonText.MemberNames names, IReadOnlyList<ResultRow> rows, ReadOnlySpan<byte> end)
    {
        foreach (var row in rows)
        {
            line.ResetWrittenCount();
            line.Write(start);
            JsonText.Row(line, row, names);
            line.Write(end);
            lines.Add(line.WrittenSpan);
        }
    }

    private static void WriteLegacyFieldsAndDecorations(ArrayBufferWriter<byte> line, QueryLogItem item, bool decorationsTopLevel, ref bool first)
    {
        JsonText.Name(line, "name", ref first);
        JsonText.String(line, item.Name);
        JsonText.Name(line, "hostIdentifier", ref first);
        JsonText.String(line, item.HostIdentifier);
        JsonText.Name(line, "calendarTime", ref first);
        JsonText.String(line, item.CalendarTime);
        JsonText.Name(line, "unixTime", ref first);
        JsonText.Number(line, item.UnixTime);
        JsonText.Name(line, "epoch", ref first);
        JsonText.Number(line, item.Epoch);
        JsonText.Name(line, "counter", ref first);
        JsonText.Number(line, item.Counter);
        JsonText.Name(line, "numerics", ref first);
        line.Write("false"u8);

        // osquery writes no "decorations" member at all when there are none.
        if (item.Decorations.Count == 0)
        {
            return;
        }

        if (decorationsTopLevel)
        {
            foreach (var decoration in item.Decorations)
            {
                JsonText.Name(line, decoration.Key, ref first);
                JsonText.String(line, decoration.Value);
            }

            return;
        }

        JsonText.Name(line, "decorations", ref first);
        line.Write("{"u8);
        var firstDecoration = true;
        foreach (var decoration in item.Decorations)
        {
            JsonText.Name(line, decoration.Key, ref firstDecoration);
            JsonText.String(line, decoration.Value);
        }

        line.Write("}"u8);
    }
}
