using Vigil.Logging;
using Xunit;

namespace Vigil.Tests.Logging;

public sealed class FailureReportTests
{
    [Fact]
    public void The_first_failure_is_reported_then_one_a_minute_standing_for_those_between()
    {
        var report = new FailureReport(FailureReport.Minute);

        Assert.True(report.Fail(1_000, out var first));
        Assert.False(report.Fail(30_000, out _));
        Assert.False(report.Fail(60_999, out _));
        Assert.True(report.Fail(61_000, out var later));

        Assert.Equal((1, 3), (first, later));
        Assert.True(report.Failing);
    }

    [Fact]
    public void A_success_after_a_reported_failure_is_reported_once_with_how_long_it_failed()
    {
        var report = new FailureReport(FailureReport.Minute);
        report.Fail(1_000, out _);
        report.Fail(2_000, out _);

        Assert.True(report.Recover(9_500, out var failed));
        Assert.Equal(8_500, failed);
        Assert.False(report.Recover(10_000, out _));
        Assert.False(report.Failing);
    }

    [Fact]
    public void A_failure_that_comes_and_goes_between_reports_stays_silent_both_ways_and_counts_in_the_next_report()
    {
        var report = new FailureReport(FailureReport.Minute);
        Assert.True(report.Fail(1_000, out _));
        Assert.True(report.Recover(2_000, out _));

        Assert.False(report.Fail(3_000, out _));
        Assert.False(report.Recover(4_000, out _));
        Assert.True(report.Fail(61_000, out var failures));
        Assert.Equal(2, failures);
    }
}
