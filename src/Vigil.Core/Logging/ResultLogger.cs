namespace Vigil.Logging;

/// <summary>Serializes log items in the configured shape and writes them to every sink (<c>--logger_plugin</c> is a list).</summary>
public sealed class ResultLogger : IResultLogger
{
    private readonly IReadOnlyList<IResultSink> _sinks;
    private readonly ResultLogOptions _options;

    /// <summary>Creates a logger writing to <paramref name="sinks"/> in order.</summary>
    public ResultLogger(IReadOnlyList<IResultSink> sinks, ResultLogOptions options)
    {
        _sinks = sinks;
        _options = options;
    }

    /// <inheritdoc />
    public void LogResults(QueryLogItem item)
    {
        var lines = Serialize(item, _options.EventType);
        if (lines.Count == 0)
        {
            return;
        }

        foreach (var sink in _sinks)
        {
            sink.LogResults(lines);
        }
    }

    /// <inheritdoc />
    public void LogSnapshot(QueryLogItem item)
    {
        var lines = Serialize(item, _options.SnapshotEventType);
        if (lines.Count == 0)
        {
            return;
        }

        foreach (var sink in _sinks)
        {
            sink.LogSnapshots(lines);
        }
    }

    // Encoded line by line: a run of many rows is held once, as UTF-8, rather than as strings and then bytes.
    private Utf8Lines Serialize(QueryLogItem item, bool eventType)
    {
        var lines = new Utf8Lines();
        if (eventType)
        {
            QueryLogSerializer.SerializeEvents(item, _options.DecorationsTopLevel, lines);
        }
        else
        {
            QueryLogSerializer.SerializeBatch(item, _options.DecorationsTopLevel, lines);
        }

        return lines;
    }
}
