using Vigil.Logging;
using Vigil.Pipeline;

namespace Vigil.Daemon;

/// <summary>
/// Reports the exceptions a collector's reading thread survived (<see cref="ReaderLoop"/>): at most once a minute, with
/// the last one and how many came since the last report, and once that reading works again.
/// </summary>
public sealed class ReaderWatch(string records, ReaderLoop reader, IStatusLog status)
{
    private readonly FailureReport _report = new(FailureReport.Minute);
    private long _seen;
    private long _reported;

    /// <summary>Looks at the reader at <paramref name="nowMilliseconds"/> and reports what is due.</summary>
    public void Check(long nowMilliseconds)
    {
        var failures = reader.Failures;
        if (failures == _seen)
        {
            if (_report.Recover(nowMilliseconds, out var failed))
            {
                status.Info($"Reading {records} works again after {failed / 1000} s");
            }

            return;
        }

        _seen = failures;
        if (_report.Fail(nowMilliseconds, out _))
        {
            status.Error($"Reading {records} failed: {reader.Error}; reading started again a second later (failures since the last report: {failures - _reported}; reported at most once a minute)");
            _reported = failures;
        }
    }
}
