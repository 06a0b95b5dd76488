using System.Globalization;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's <c>time</c> (osquery/tables/utility/time.cpp): the current second in UTC, in every format osquery gives,
/// and the local zone's abbreviation as localtime(3) names it (TZ or /etc/localtime).
/// </summary>
public sealed unsafe class TimeTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Weekday = Columns.Add("weekday", ColumnType.Text, "Current weekday in UTC");
    private static readonly int Year = Columns.Add("year", ColumnType.Integer, "Current year in UTC");
    private static readonly int Month = Columns.Add("month", ColumnType.Integer, "Current month in UTC");
    private static readonly int Day = Columns.Add("day", ColumnType.Integer, "Current day in UTC");
    private static readonly int Hour = Columns.Add("hour", ColumnType.Integer, "Current hour in UTC");
    private static readonly int Minutes = Columns.Add("minutes", ColumnType.Integer, "Current minutes in UTC");
    private static readonly int Seconds = Columns.Add("seconds", ColumnType.Integer, "Current seconds in UTC");
    private static readonly int Timezone = Columns.Add("timezone", ColumnType.Text, "Timezone for reported time (hardcoded to UTC)");
    private static readonly int LocalTimezone = Columns.Add("local_timezone", ColumnType.Text, "Current local timezone in of the system");
    private static readonly int UnixTime = Columns.Add("unix_time", ColumnType.Integer, "Current UNIX time in UTC");
    private static readonly int Timestamp = Columns.Add("timestamp", ColumnType.Text, "Current timestamp (log format) in UTC");
    private static readonly int Datetime = Columns.Add("datetime", ColumnType.Text, "Current date and time (ISO format) in UTC");
    private static readonly int Iso8601 = Columns.Add("iso_8601", ColumnType.Text, "Current time (ISO format) in UTC");
    private static readonly int WinTimestamp = Columns.Add("win_timestamp", ColumnType.BigInt, "Timestamp value in 100 nanosecond units", hidden: true);
    private static readonly int DateTimeAlias = Columns.Add("date_time", ColumnType.Text, "Current date and time (ISO format) in UTC", hidden: true);

    /// <summary>specs/utility/time.table; the alias date_time is a hidden copy of datetime, last, as osquery adds it.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("time", "Track current date and time in UTC.", isEventTable: false, utility: true);

    private readonly TimeProvider _time;

    /// <summary>The table over the system clock.</summary>
    public TimeTable()
        : this(TimeProvider.System)
    {
    }

    /// <summary>The table over <paramref name="time"/>.</summary>
    public TimeTable(TimeProvider time)
    {
        _time = time;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var unix = _time.GetUtcNow().ToUnixTimeSeconds();
        var now = DateTimeOffset.FromUnixTimeSeconds(unix).UtcDateTime;
        var iso = now.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        var row = OsqueryRow.Empty(Schema);
        row[Weekday] = ColumnValue.Of(now.DayOfWeek.ToString());
        row[Year] = ColumnValue.Of(now.Year);
        row[Month] = ColumnValue.Of(now.Month);
        row[Day] = ColumnValue.Of(now.Day);
        row[Hour] = ColumnValue.Of(now.Hour);
        row[Minutes] = ColumnValue.Of(now.Minute);
        row[Seconds] = ColumnValue.Of(now.Second);
        row[Timezone] = ColumnValue.Of("UTC");
        row[LocalTimezone] = ColumnValue.Of(LocalZone(unix));
        row[UnixTime] = ColumnValue.Of(unix);
        row[Timestamp] = ColumnValue.Of(CalendarTime.Format(unix));
        row[Datetime] = row[Iso8601] = row[DateTimeAlias] = ColumnValue.Of(iso);
        return [row];
    }

    /// <summary>
    /// localtime(3)'s tm_zone for <paramref name="unix"/> ("UTC", "CET", "EDT"); UTC when it names none or, as osquery's
    /// 8-byte strftime buffer has it, a name of 8 characters or more.
    /// </summary>
    private static string LocalZone(long unix)
    {
        Libc.Tm local;
        if (Libc.localtime_r(&unix, &local) == null || local.tm_zone == null)
        {
            return "UTC";
        }

        var zone = new string((sbyte*)local.tm_zone);
        return zone.Length is 0 or >= 8 ? "UTC" : zone;
    }
}
