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
        IReadOnlyList<string> lines = _options.EventType
            ? QueryLogSerializer.SerializeEvents(item, _options.DecorationsTopLevel)
            : [QueryLogSerializer.SerializeBatch(item, _options.DecorationsTopLevel)];
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
        IReadOnlyList<string> lines = _options.SnapshotEventType
            ? QueryLogSerializer.SerializeEvents(item, _options.DecorationsTopLevel)
            : [QueryLogSerializer.SerializeBatch(item, _options.DecorationsTopLevel)];
        if (lines.Count == 0)
        {
            return;
        }

        foreach (var sink in _sinks)
        {
            sink.LogSnapshots(lines);
        }
    }
}
