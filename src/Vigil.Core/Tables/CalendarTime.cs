using System.Globalization;

namespace Vigil.Tables;

/// <summary>osquery's <c>calendarTime</c>: C <c>asctime</c> of the UTC time, trimmed, plus " UTC" ("Mon May  2 22:27:32 2016 UTC").</summary>
public static class CalendarTime
{
    private static readonly string[] Days = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    /// <summary>Formats a time as osquery's calendarTime; the day of month is space-padded to two, as asctime's <c>%3d</c> does.</summary>
    public static string Format(DateTimeOffset time)
    {
        var t = time.UtcDateTime;
        return string.Create(
            CultureInfo.InvariantCulture,
            $"{Days[(int)t.DayOfWeek]} {Months[t.Month - 1]} {t.Day,2} {t.Hour:00}:{t.Minute:00}:{t.Second:00} {t.Year} UTC");
    }

    /// <summary>Formats Unix seconds as osquery's calendarTime.</summary>
    public static string Format(long unixSeconds) => Format(DateTimeOffset.FromUnixTimeSeconds(unixSeconds));
}
