using System.Globalization;
using System.Text;
using Vigil.Schedule;

namespace Vigil.Logging;

/// <summary>
/// Writes query log items in osquery's JSON shapes (osquery/core/query.cpp), member for member in osquery's order,
/// with <c>--logger_numerics=false</c> (every column value a string).
/// </summary>
public static class QueryLogSerializer
{
    /// <summary>
    /// The batch form (<c>--logger_event_type=false</c>, and snapshots by default): one line per run,
    /// <c>{"diffResults":{"removed":[…],"added":[…]},"name":…,…}</c> or <c>{"snapshot":[…],"action":"snapshot","name":…,…}</c>.
    /// </summary>
    public static string SerializeBatch(QueryLogItem item, bool decorationsTopLevel)
    {
        var sb = new StringBuilder(256);
        sb.Append('{');
        bool first = true;
        if (!item.IsSnapshot)
        {
            JsonText.Name(sb, "diffResults", ref first);
            sb.Append("{\"removed\":");
            JsonText.Rows(sb, item.Diff.Removed);
            sb.Append(",\"added\":");
            JsonText.Rows(sb, item.Diff.Added);
            sb.Append('}');
        }
        else
        {
            JsonText.Name(sb, "snapshot", ref first);
            JsonText.Rows(sb, item.Snapshot);
            JsonText.Name(sb, "action", ref first);
            JsonText.String(sb, "snapshot");
        }

        AppendLegacyFieldsAndDecorations(sb, item, decorationsTopLevel, ref first);
        sb.Append('}');
        return sb.ToString();
    }

    /// <summary>
    /// The event form (<c>--logger_event_type=true</c>, and snapshots with <c>--logger_snapshot_event_type</c>): one line per row,
    /// removed rows first, then added rows (or snapshot rows), each with its <c>columns</c> and <c>action</c>.
    /// </summary>
    public static List<string> SerializeEvents(QueryLogItem item, bool decorationsTopLevel)
    {
        var lines = new List<string>();
        WriteEvents(item, decorationsTopLevel, lines.Add);
        return lines;
    }

    /// <summary>
    /// The event form as <see cref="SerializeEvents(QueryLogItem, bool)"/> writes it, each line encoded into
    /// <paramref name="lines"/> as soon as it is made, so a run of many rows never holds all its lines as strings.
    /// </summary>
    public static void SerializeEvents(QueryLogItem item, bool decorationsTopLevel, Utf8Lines lines) =>
        WriteEvents(item, decorationsTopLevel, lines.Add);

    private static void WriteEvents(QueryLogItem item, bool decorationsTopLevel, Action<string> line)
    {
        if (item.IsSnapshot)
        {
            AppendEvents(line, item, item.Snapshot, "snapshot", decorationsTopLevel);
        }
        else
        {
            AppendEvents(line, item, item.Diff.Removed, "removed", decorationsTopLevel);
            AppendEvents(line, item, item.Diff.Added, "added", decorationsTopLevel);
        }
    }

    private static void AppendEvents(Action<string> line, QueryLogItem item, IReadOnlyList<ResultRow> rows, string action, bool decorationsTopLevel)
    {
        var sb = new StringBuilder(256);
        foreach (var row in rows)
        {
            sb.Clear();
            sb.Append('{');
            bool first = true;
            AppendLegacyFieldsAndDecorations(sb, item, decorationsTopLevel, ref first);
            JsonText.Name(sb, "columns", ref first);
            JsonText.Row(sb, row);
            JsonText.Name(sb, "action", ref first);
            JsonText.String(sb, action);
            sb.Append('}');
            line(sb.ToString());
        }
    }

    private static void AppendLegacyFieldsAndDecorations(StringBuilder sb, QueryLogItem item, bool decorationsTopLevel, ref bool first)
    {
        JsonText.Name(sb, "name", ref first);
        JsonText.String(sb, item.Name);
        JsonText.Name(sb, "hostIdentifier", ref first);
        JsonText.String(sb, item.HostIdentifier);
        JsonText.Name(sb, "calendarTime", ref first);
        JsonText.String(sb, item.CalendarTime);
        JsonText.Name(sb, "unixTime", ref first);
        sb.Append(item.UnixTime.ToString(CultureInfo.InvariantCulture));
        JsonText.Name(sb, "epoch", ref first);
        sb.Append(item.Epoch.ToString(CultureInfo.InvariantCulture));
        JsonText.Name(sb, "counter", ref first);
        sb.Append(item.Counter.ToString(CultureInfo.InvariantCulture));
        JsonText.Name(sb, "numerics", ref first);
        sb.Append("false");

        // osquery writes no "decorations" member at all when there are none.
        if (item.Decorations.Count == 0)
        {
            return;
        }

        if (decorationsTopLevel)
        {
            foreach (var decoration in item.Decorations)
            {
                JsonText.Name(sb, decoration.Key, ref first);
                JsonText.String(sb, decoration.Value);
            }

            return;
        }

        JsonText.Name(sb, "decorations", ref first);
        sb.Append('{');
        bool firstDecoration = true;
        foreach (var decoration in item.Decorations)
        {
            JsonText.Name(sb, decoration.Key, ref firstDecoration);
            JsonText.String(sb, decoration.Value);
        }

        sb.Append('}');
    }
}
