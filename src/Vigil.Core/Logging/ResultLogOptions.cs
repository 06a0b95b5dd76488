namespace Vigil.Logging;

/// <summary>The osquery flags that shape result lines.</summary>
public sealed record ResultLogOptions
{
    /// <summary><c>--logger_event_type</c> (default true): one line per added or removed row instead of one per run.</summary>
    public bool EventType { get; init; } = true;

    /// <summary><c>--logger_snapshot_event_type</c> (default false): one line per snapshot row instead of one per run.</summary>
    public bool SnapshotEventType { get; init; }

    /// <summary><c>--decorations_top_level</c> (default false): decorations as top-level members instead of under "decorations".</summary>
    public bool DecorationsTopLevel { get; init; }
}
