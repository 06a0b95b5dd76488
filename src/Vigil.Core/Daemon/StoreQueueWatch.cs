using Vigil.Pipeline;
using Vigil.Logging;

namespace Vigil.Daemon;

/// <summary>
/// Reports what the store queue does about faults, each at most once a minute: events not being stored (why, how many
/// wait in memory, how many were dropped oldest first since the last report) and, once, that storing works again;
/// events dropped because the queue was full while storing worked (the store could not keep up); free space below
/// <c>--database_space_left</c> and what is done about it.
/// </summary>
/// <param name="queue">The queue watched.</param>
/// <param name="events">What its rows are, as the reports name them: "events" for the audit collector's.</param>
/// <param name="status">Where the reports go.</param>
public sealed class StoreQueueWatch(StoreQueue queue, string events, IStatusLog status)
{
    private readonly FailureReport _failing = new(FailureReport.Minute);
    private readonly FailureReport _behind = new(FailureReport.Minute);
    private readonly FailureReport _space = new(FailureReport.Minute);
    private long _droppedReported;
    private long _droppedBeforeFailure;
    private long _failuresReported;
    private long _expiredReported;

    /// <summary>Looks at the queue at <paramref name="nowMilliseconds"/> and reports what is due.</summary>
    public void Check(long nowMilliseconds)
    {
        var dropped = queue.DroppedQueueFull;
        if (queue.Error is { } error)
        {
            if (!_failing.Failing)
            {
                _droppedBeforeFailure = dropped;
            }

            if (_failing.Fail(nowMilliseconds, out _))
            {
                var failures = queue.Failures;
                status.Error($"Cannot store {events}: {error}; {queue.Depth} {events} wait in memory (at most {queue.Options.Capacity}), "
                    + $"{dropped - _droppedReported} dropped oldest first and {failures - _failuresReported} attempts failed since the last report; "
                    + "retried every second, reported at most once a minute");
                (_droppedReported, _failuresReported) = (dropped, failures);
            }
        }
        else if (_failing.Recover(nowMilliseconds, out var failed))
        {
            status.Info($"Storing {events} works again after {failed / 1000} s; {dropped - _droppedBeforeFailure} {events} were dropped oldest first meanwhile, the others are stored");
            _droppedReported = dropped;
        }
        else if (dropped > _droppedReported && _behind.Fail(nowMilliseconds, out _))
        {
            status.Warning($"Dropped {dropped - _droppedReported} {events} oldest first: the store queue was full ({queue.Options.Capacity} {events}) because the store could not keep up");
            _droppedReported = dropped;
        }

        CheckSpace(nowMilliseconds);
    }

    // keep_in_memory is reported as events not being stored, above.
    private void CheckSpace(long nowMilliseconds)
    {
        var options = queue.Options;
        if (!queue.SpaceLow || options.SpaceLeftAction == SpaceLeftAction.KeepInMemory)
        {
            if (_space.Recover(nowMilliseconds, out _))
            {
                status.Info($"Free space on the database's file system is back above --database_space_left={options.SpaceLeftBytes / (1024 * 1024)} MB");
            }

            return;
        }

        if (_space.Fail(nowMilliseconds, out _))
        {
            var expired = queue.ExpiredForSpace;
            status.Warning($"The database's file system has {queue.FreeBytes / (1024 * 1024)} MB free, below --database_space_left={options.SpaceLeftBytes / (1024 * 1024)} MB: "
                + (options.SpaceLeftAction == SpaceLeftAction.ExpireOldest
                    ? $"{expired - _expiredReported} oldest stored {events} deleted since the last report to make room for new ones (--database_space_left_action=expire_oldest)"
                    : "storing goes on until the disk is full (--database_space_left_action=warn)"));
            _expiredReported = expired;
        }
    }
}
