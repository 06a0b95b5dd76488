using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class TimeAndUptimeTablesTests
{
    [Fact]
    public void Schemas_are_osquerys_with_the_alias_last_and_hidden()
    {
        Assert.Equal(
            ["weekday", "year", "month", "day", "hour", "minutes", "seconds", "timezone", "local_timezone", "unix_time", "timestamp",
             "datetime", "iso_8601", "win_timestamp*", "date_time*"],
            SchemaText.Of(TimeTable.Schema));
        Assert.Equal(["days", "hours", "minutes", "seconds", "total_seconds"], SchemaText.Of(UptimeTable.Schema));
    }

    [Fact]
    public void Time_is_the_clocks_second_in_every_format()
    {
        var row = new TableRow(TimeTable.Schema, Assert.Single(new TimeTable(new FixedClock(1709292153)).Generate()));

        Assert.Equal(
            "Friday|2024|3|1|11|22|33|UTC|1709292153|Fri Mar  1 11:22:33 2024 UTC|2024-03-01T11:22:33Z|2024-03-01T11:22:33Z|NULL|2024-03-01T11:22:33Z",
            row.Values("weekday", "year", "month", "day", "hour", "minutes", "seconds", "timezone", "unix_time", "timestamp", "datetime", "iso_8601", "win_timestamp", "date_time"));
    }

    [Fact]
    public void The_local_timezone_is_the_abbreviation_date_prints()
    {
        var clock = new FixedClock(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var row = new TableRow(TimeTable.Schema, Assert.Single(new TimeTable(clock).Generate()));

        Assert.Equal(HostCommand.Run("date", $"--date=@{row.Integer("unix_time")}", "+%Z").Trim(), row.Text("local_timezone"));
    }

    [Fact]
    public void Uptime_splits_the_seconds_since_boot()
    {
        Assert.Equal([1L, 2, 3, 4, 93784], Assert.Single(new UptimeTable(new FixedUptime(93784)).Generate()).Select(value => value.Integer));
    }

    [Fact]
    public void Uptime_is_what_proc_uptime_counts()
    {
        var before = (long)double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);
        var total = Assert.Single(new UptimeTable().Generate())[4].Integer;
        var after = (long)double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture);

        Assert.InRange(total, before, after);
    }

    private sealed class FixedClock(long unixSeconds) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(unixSeconds);
    }
}
