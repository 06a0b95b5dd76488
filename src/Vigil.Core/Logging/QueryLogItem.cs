using Vigil.Sql;

namespace Vigil.Logging;

/// <summary>One scheduled query run as osquery logs it (<c>QueryLogItem</c>): either a differential or a snapshot, with its metadata.</summary>
public sealed record QueryLogItem
{
    /// <summary>The query's log name (<c>pack_&lt;pack&gt;_&lt;query&gt;</c> for pack queries).</summary>
    public required string Name { get; init; }

    /// <summary>The host identifier (<c>--host_identifier</c>).</summary>
    public required string HostIdentifier { get; init; }

    /// <summary>Unix seconds when the run finished.</summary>
    public required long UnixTime { get; init; }

    /// <summary>The calendarTime text of <see cref="UnixTime"/>.</summary>
    public string CalendarTime => Tables.CalendarTime.Format(UnixTime);

    /// <summary>The <c>--schedule_epoch</c>.</summary>
    public ulong Epoch { get; init; }

    /// <summary>0 on a run carrying every row, then +1 per logged run; snapshots are always 0.</summary>
    public ulong Counter { get; init; }

    /// <summary>Decorations, ordered by name.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Decorations { get; init; } = [];

    /// <summary>True for a snapshot query: <see cref="Snapshot"/> holds the rows and the differential is unused.</summary>
    public bool IsSnapshot { get; init; }

    /// <summary>The differential of a non-snapshot run.</summary>
    public ResultDiff Diff { get; init; } = ResultDiff.Empty;

    /// <summary>The rows of a snapshot run.</summary>
    public IReadOnlyList<ResultRow> Snapshot { get; init; } = [];
}
