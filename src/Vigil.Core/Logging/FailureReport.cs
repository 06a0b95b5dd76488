namespace Vigil.Logging;

/// <summary>
/// The failures of one place that writes (a log, a table's expiry, the pidfile), reported at most once per interval:
/// the first failure at once, later ones only when the interval has passed since the last report, each report standing
/// for the failures since the one before. A success after a reported failure is reported once; failures that come and
/// go between two reports stay silent both ways. Times are milliseconds on a clock that does not go back.
/// </summary>
public sealed class FailureReport(TimeSpan interval)
{
    /// <summary>Once a minute, as auditd and the daemon's other reports go.</summary>
    public static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);

    private readonly long _interval = (long)interval.TotalMilliseconds;
    private long? _lastReport;
    private long _failingSince;
    private bool _failing;
    private bool _reportedThisFailure;
    private int _unreported;

    /// <summary>Whether the last attempt failed.</summary>
    public bool Failing => _failing;

    /// <summary>
    /// Counts a failure at <paramref name="now"/>; true when it is to be reported now, with <paramref name="failures"/>
    /// the failures the report stands for, this one included.
    /// </summary>
    public bool Fail(long now, out int failures)
    {
        if (!_failing)
        {
            (_failing, _failingSince, _reportedThisFailure) = (true, now, false);
        }

        _unreported++;
        if (_lastReport is { } last && now - last < _interval)
        {
            failures = 0;
            return false;
        }

        (_lastReport, _reportedThisFailure, failures, _unreported) = (now, true, _unreported, 0);
        return true;
    }

    /// <summary>
    /// Notes a success at <paramref name="now"/>; true when it ends a failure that was reported, with
    /// <paramref name="failedMilliseconds"/> how long ago that failure began.
    /// </summary>
    public bool Recover(long now, out long failedMilliseconds)
    {
        failedMilliseconds = now - _failingSince;
        var report = _failing && _reportedThisFailure;
        _failing = false;
        return report;
    }
}
